import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { AppConfig } from '../config/app-config';
import { redisConnectionOptions } from '../infra/queue/redis-connection';

/**
 * Where rate-limit counts live. With Redis the counts are shared by every replica; while Redis is
 * unreachable each replica falls back to its own in-memory count (the insurance limiter), so an
 * outage loosens a limit by the replica count instead of failing requests.
 */
@Injectable()
export class RateLimitStore implements OnApplicationShutdown {
  private client?: Redis;

  constructor(private readonly config: AppConfig) {}

  /** Fixed windows of `durationSeconds`, `points` per key and window, counts under `name`. */
  limiter(name: string, points: number, durationSeconds: number): RateLimiterAbstract {
    const memory = new RateLimiterMemory({ points, duration: durationSeconds });
    if (!this.config.REDIS_URL) return memory;
    if (!this.client) {
      this.client = new Redis(redisConnectionOptions(this.config.REDIS_URL, 'producer'));
      this.client.on('error', () => undefined); // the insurance limiter takes over
    }
    return new RateLimiterRedis({
      storeClient: this.client,
      keyPrefix: `${this.config.QUEUE_PREFIX}:${name}`,
      points,
      duration: durationSeconds,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  }

  onApplicationShutdown(): void {
    this.client?.disconnect();
  }
}
