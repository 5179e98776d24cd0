import type { LoggerOptions } from 'pino';
import { AppConfig } from '../config/app-config';

/** One logger configuration for the API, the worker and the CLI. Secrets are redacted. */
export function pinoOptions(config: Pick<AppConfig, 'LOG_LEVEL' | 'LOG_FORMAT'>): LoggerOptions {
  return {
    level: config.LOG_LEVEL,
    base: { service: 'vigil' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', '*.secret', '*.password'],
      censor: '[redacted]',
    },
    transport: config.LOG_FORMAT === 'pretty' ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
  };
}
