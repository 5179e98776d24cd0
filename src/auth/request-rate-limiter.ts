import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';
import Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { redisConnectionOptions } from '../infra/queue/redis-connection';

const WINDOW_SECONDS = 60;

/**
 * Fixed one-minute windows per caller. With Redis the count is shared by every replica; while
 * Redis is unreachable each replica falls back to its own in-memory count (the insurance
 * limiter), so an outage loosens the limit by the replica count instead of failing requests.
 */
@Injectable()
export class RequestRateLimiter implements OnApplicationShutdown {
  private readonly limiter?: RateLimiterAbstract;
  private readonly client?: Redis;
  readonly perMinute: number;

  constructor(config: AppConfig) {
    this.perMinute = config.RATE_LIMIT_PER_MINUTE;
    if (this.perMinute === 0) return;
    const memory = new RateLimiterMemory({ points: this.perMinute, duration: WINDOW_SECONDS });
    if (!config.REDIS_URL) {
      this.limiter = memory;
      return;
    }
    this.client = new Redis(redisConnectionOptions(config.REDIS_URL, 'producer'));
    this.client.on('error', () => undefined); // the insurance limiter takes over
    this.limiter = new RateLimiterRedis({
      storeClient: this.client,
      keyPrefix: `${config.QUEUE_PREFIX}:rate`,
      points: this.perMinute,
      duration: WINDOW_SECONDS,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  }

  /** Counts one request for `caller`; throws 429 with Retry-After once the minute's budget is spent. */
  async consume(caller: string, label: string, response: Response): Promise<void> {
    if (!this.limiter) return;
    try {
      const result = await this.limiter.consume(caller);
      this.setHeaders(response, result);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      this.setHeaders(response, rejection);
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new DomainError(
        'rate_limited',
        'rate_limited',
        `Rate limit of ${this.perMinute} requests per minute (RATE_LIMIT_PER_MINUTE) exceeded for ${label}; retry in ${retryAfter} s`,
        { limitPerMinute: this.perMinute },
        retryAfter,
      );
    }
  }

  onApplicationShutdown(): void {
    this.client?.disconnect();
  }

  private setHeaders(response: Response, result: RateLimiterRes): void {
    response.setHeader('RateLimit-Limit', String(this.perMinute));
    response.setHeader('RateLimit-Remaining', String(Math.max(0, result.remainingPoints)));
    response.setHeader('RateLimit-Reset', String(Math.ceil(result.msBeforeNext / 1000)));
  }
}
