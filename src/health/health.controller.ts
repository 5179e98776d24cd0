import { Controller, Get, UseFilters } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { DependencyHealth } from './dependency-health';
import { HealthCheckFilter } from './health-check.filter';

@Controller('health')
@UseFilters(HealthCheckFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: DependencyHealth,
  ) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Ready to serve: Postgres answers, and Redis when configured. 503 names what fails. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(this.dependencies.readinessChecks());
  }
}
