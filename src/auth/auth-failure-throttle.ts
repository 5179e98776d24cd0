import { Injectable } from '@nestjs/common';
import { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { RateLimitStore } from './rate-limit-store';
import { retryAfterSeconds } from './request-rate-limiter';

const WINDOW_SECONDS = 60;

/**
 * Failed authentications per client address and minute. Every key that is not already known to
 * be valid reserves one failure before it is looked up, atomically, and gets it back when it
 * turns out valid: past AUTH_FAILURES_PER_MINUTE the address gets 429 before any database work,
 * and a burst of concurrent guesses cannot slip through between a check and a count.
 */
@Injectable()
export class AuthFailureThrottle {
  private readonly limiter?: RateLimiterAbstract;
  readonly perMinute: number;

  constructor(config: AppConfig, store: RateLimitStore) {
    this.perMinute = config.AUTH_FAILURES_PER_MINUTE;
    if (this.perMinute > 0) this.limiter = store.limiter('auth-failures', this.perMinute, WINDOW_SECONDS);
  }

  /** Runs `attempt` (a key lookup) counted as a failure of `address` unless it finds a principal. */
  async guard<T>(address: string, attempt: () => Promise<T | null>): Promise<T | null> {
    if (!this.limiter) return attempt();
    await this.reserve(this.limiter, address);
    const found = await attempt();
    if (found) await this.limiter.reward(address, 1);
    return found;
  }

  private async reserve(limiter: RateLimiterAbstract, address: string): Promise<void> {
    try {
      await limiter.consume(address, 1);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = retryAfterSeconds(rejection);
      throw new DomainError(
        'rate_limited',
        'auth_failures_throttled',
        `More than ${this.perMinute} failed authentications per minute (AUTH_FAILURES_PER_MINUTE) from ${address}; retry in ${retryAfter} s`,
        { limitPerMinute: this.perMinute, setting: 'AUTH_FAILURES_PER_MINUTE' },
        retryAfter,
      );
    }
  }
}
