import { Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { RateLimitStore } from './rate-limit-store';

/** Where rate-limit headers go: an Express or a plain node:http response. */
export type HeaderSink = Pick<ServerResponse, 'setHeader'>;

const WINDOW_SECONDS = 60;

/** Fixed one-minute windows per caller (an API key), shared by replicas through Redis. */
@Injectable()
export class RequestRateLimiter {
  private readonly limiter?: RateLimiterAbstract;
  readonly perMinute: number;

  constructor(config: AppConfig, store: RateLimitStore) {
    this.perMinute = config.RATE_LIMIT_PER_MINUTE;
    if (this.perMinute > 0) this.limiter = store.limiter('rate', this.perMinute, WINDOW_SECONDS);
  }

  /** Counts one request for `caller`; throws 429 with Retry-After once the minute's budget is spent. */
  async consume(caller: string, label: string, response: HeaderSink): Promise<void> {
    if (!this.limiter) return;
    try {
      const result = await this.limiter.consume(caller);
      this.setHeaders(response, result);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      this.setHeaders(response, rejection);
      const retryAfter = retryAfterSeconds(rejection);
      throw new DomainError(
        'rate_limited',
        'rate_limited',
        `Rate limit of ${this.perMinute} requests per minute (RATE_LIMIT_PER_MINUTE) exceeded for ${label}; retry in ${retryAfter} s`,
        { limitPerMinute: this.perMinute },
        retryAfter,
      );
    }
  }

  private setHeaders(response: HeaderSink, result: RateLimiterRes): void {
    response.setHeader('RateLimit-Limit', String(this.perMinute));
    response.setHeader('RateLimit-Remaining', String(Math.max(0, result.remainingPoints)));
    response.setHeader('RateLimit-Reset', String(Math.ceil(result.msBeforeNext / 1000)));
  }
}

/** Whole seconds until the window resets, at least 1 (what Retry-After carries). */
export function retryAfterSeconds(result: RateLimiterRes): number {
  return Math.max(1, Math.ceil(result.msBeforeNext / 1000));
}
