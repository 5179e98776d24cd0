import type { RedisOptions } from 'ioredis';

/**
 * Connection options from REDIS_URL. Workers block on Redis and must retry forever
 * (maxRetriesPerRequest null); producers fail fast so a Redis outage never stalls a request.
 */
export function redisConnectionOptions(url: string, role: 'producer' | 'worker' | 'probe'): RedisOptions {
  const parsed = new URL(url);
  const options: RedisOptions = {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  };
  if (role === 'worker') return { ...options, maxRetriesPerRequest: null };
  if (role === 'probe')
    return { ...options, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 2000, lazyConnect: true };
  return { ...options, maxRetriesPerRequest: 3, enableOfflineQueue: false };
}
