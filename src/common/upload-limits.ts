import type { DynamicModule } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import type { MulterOptions } from '@nestjs/platform-express/multer/interfaces/multer-options.interface';
import type { IncomingMessage } from 'node:http';
import type { Writable } from 'node:stream';
import { AppConfig } from '../config/app-config';
import { DomainError } from './domain-error';

export interface UploadLimits {
  /** Most files in one request (MAX_REQUEST_ITEMS on the predict routes); unset: multer's own count. */
  maxFiles?: number;
}

/** multer >= 2.4 feeds busboy through this hook; Nest's option type does not declare it yet. */
type StreamHandler = (req: IncomingMessage, busboy: Writable) => void;

const filesSeen = new WeakMap<object, number>();

/**
 * multer options for every multipart route. multer has no limit on a whole body, only per file,
 * so without these a multipart upload bypasses MAX_BODY_BYTES (which the JSON and raw parsers
 * enforce): the declared Content-Length and the bytes actually streamed (chunked bodies have no
 * length) are both held to it, and the file count to `maxFiles`, each a 413 naming the setting.
 */
function uploadOptions(config: AppConfig, limits: UploadLimits = {}): MulterOptions {
  const options: MulterOptions & { streamHandler: StreamHandler } = {
    streamHandler: withinBodyLimit(config.MAX_BODY_BYTES),
  };
  const { maxFiles } = limits;
  if (maxFiles !== undefined) {
    options.fileFilter = (req: object, _file, accept) => {
      const seen = (filesSeen.get(req) ?? 0) + 1;
      filesSeen.set(req, seen);
      accept(seen > maxFiles ? tooManyFiles(maxFiles) : null, true);
    };
  }
  return options;
}

/** The multer module of a feature with multipart routes, held to these limits. */
export function uploadsModule(
  limits: (config: AppConfig) => UploadLimits = () => ({}),
  multer: MulterOptions = {},
): DynamicModule {
  return MulterModule.registerAsync({
    inject: [AppConfig],
    useFactory: (config: AppConfig) => ({ ...uploadOptions(config, limits(config)), ...multer }),
  });
}

function withinBodyLimit(maxBytes: number): StreamHandler {
  return (req, busboy) => {
    const refuse = () => busboy.destroy(bodyTooLarge(maxBytes));
    if (Number(req.headers['content-length']) > maxBytes) return refuse();
    let received = 0;
    // A second 'data' listener beside the pipe only counts; the pipe still sets the pace.
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes && !busboy.destroyed) refuse();
    });
    req.pipe(busboy);
  };
}

export function bodyTooLarge(maxBytes: number): DomainError {
  return new DomainError(
    'payload_too_large',
    'entity_too_large',
    `Request body is larger than the configured limit (MAX_BODY_BYTES = ${maxBytes} bytes)`,
    { limit: maxBytes, setting: 'MAX_BODY_BYTES' },
  );
}

function tooManyFiles(maxFiles: number): DomainError {
  return new DomainError(
    'payload_too_large',
    'too_many_items',
    `the request carries more than ${maxFiles} images; the limit per request is ${maxFiles} (MAX_REQUEST_ITEMS)`,
    { limit: maxFiles, setting: 'MAX_REQUEST_ITEMS' },
  );
}
