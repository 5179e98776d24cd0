import { Injectable } from '@nestjs/common';
import { HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { RedisProbe } from '../infra/queue/redis-probe';

const TIMEOUT_MS = 1500;

@Injectable()
export class DependencyHealth {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly redis: RedisProbe,
  ) {}

  readinessChecks(): HealthIndicatorFunction[] {
    const checks: HealthIndicatorFunction[] = [() => this.postgres()];
    if (this.redis.configured) checks.push(() => this.redisCheck());
    return checks;
  }

  private async postgres() {
    const indicator = this.indicators.check('postgres');
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), TIMEOUT_MS);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: errorMessage(error) });
    }
  }

  private async redisCheck() {
    const indicator = this.indicators.check('redis');
    try {
      await this.redis.ping(TIMEOUT_MS);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: errorMessage(error) });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref());
  return Promise.race([promise, timeout]);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
