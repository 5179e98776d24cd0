import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import { AppConfig } from '../config/app-config';
import { pinoOptions } from './pino-options';

function levelFor(_req: IncomingMessage, res: ServerResponse, err?: Error) {
  if (err || res.statusCode >= 500) return 'error';
  return res.statusCode >= 400 ? 'warn' : 'info';
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const options = {
          ...pinoOptions(config),
          genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? 'unknown',
          autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
          customLogLevel: levelFor,
        };
        // Synchronous writes: the last lines before a signal-triggered exit must not be lost.
        if (config.LOG_FORMAT === 'pretty') return { pinoHttp: options };
        return { pinoHttp: [options, pino.destination({ dest: 1, sync: true })] };
      },
    }),
  ],
})
export class LoggingModule {}
