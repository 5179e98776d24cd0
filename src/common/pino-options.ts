import type { LoggerOptions } from 'pino';
import { AppConfig } from '../config/app-config';
import { errorWithoutQueryValues, redactQuery, redactUrl } from './log-redaction';

interface SerializedRequest {
  url?: string;
  query?: unknown;
}

/** One logger configuration for the API, the worker and the CLI. Secrets are redacted (log-redaction.ts). */
export function pinoOptions(config: Pick<AppConfig, 'LOG_LEVEL' | 'LOG_FORMAT'>): LoggerOptions {
  return {
    level: config.LOG_LEVEL,
    base: { service: 'vigil' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', '*.secret', '*.password'],
      censor: '[redacted]',
    },
    serializers: {
      err: errorWithoutQueryValues,
      req: (req: SerializedRequest) => ({ ...req, url: redactUrl(req.url), query: redactQuery(req.query) }),
    },
    transport: config.LOG_FORMAT === 'pretty' ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
  };
}
