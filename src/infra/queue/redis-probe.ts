import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { redisConnectionOptions } from './redis-connection';

/** A dedicated connection for readiness checks: fails fast, reconnects by itself. */
@Injectable()
export class RedisProbe implements OnApplicationShutdown {
  private client?: Redis;

  constructor(private readonly config: AppConfig) {}

  get configured(): boolean {
    return Boolean(this.config.REDIS_URL);
  }

  async ping(timeoutMs = 1000): Promise<void> {
    const client = this.connection();
    if (client.status === 'wait' || client.status === 'end') await client.connect().catch(() => undefined);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('timed out')), timeoutMs).unref(),
    );
    await Promise.race([client.ping(), timeout]);
  }

  onApplicationShutdown(): void {
    this.client?.disconnect();
  }

  private connection(): Redis {
    if (!this.client) {
      this.client = new Redis(redisConnectionOptions(this.config.REDIS_URL!, 'probe'));
      this.client.on('error', () => undefined); // reported through ping()
    }
    return this.client;
  }
}
