import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/scopes';
import { DependencyHealth } from './dependency-health';
import { HealthCheckFilter } from './health-check.filter';

@ApiTags('Health')
@Public()
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
  @ApiOperation({ summary: 'Liveness probe', description: 'The process is up and its event loop answers.' })
  live() {
    return this.health.check([]);
  }

  /** Ready to serve: Postgres answers, and Redis when configured. 503 names what fails. */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness probe',
    description: 'Postgres answers, and Redis when configured; the 503 body names the failing part.',
  })
  ready() {
    return this.health.check(this.dependencies.readinessChecks());
  }
}
