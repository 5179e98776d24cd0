import type { DynamicModule } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import type { MulterOptions } from '@nestjs/platform-express/multer/interfaces/multer-options.interface';
import type { IncomingMessage } from 'node:http';
import type { Writable } from 'node:stream';
import { AppConfig } from '../config/app-config';
import { DomainError } from './domain-error';

/** Text fields a multipart route may carry beside its files (`metadata`, `name`, `labels`, ...). */
export const MAX_MULTIPART_FIELDS = 16;

export interface UploadLimits {
  /** Most files in one request, and the setting that says so (named in the 413). */
  maxFiles: number;
  setting: string;
}

/** multer >= 2.4 feeds busboy through this hook; Nest's option type does not declare it yet. */
type StreamHandler = (req: IncomingMessage, busboy: Writable) => void;

const filesSeen = new WeakMap<object, number>();

/**
 * multer options for every multipart route, each limit a 413 naming its setting:
 * - the whole body: MAX_BODY_BYTES (multer only limits single files, so the declared
 *   Content-Length and the bytes actually streamed are both held to it);
 * - files: `maxFiles` (UPLOAD_MAX_FILES by default, MAX_REQUEST_ITEMS on the predict routes);
 * - text fields: MAX_MULTIPART_FIELDS, each up to MAX_BODY_BYTES (a labels.csv can be large).
 * Parts are files plus fields, so they are bounded too; the parts limit Nest sets when none is
 * given (1,000, answered as a bare 400 "Too many parts") is lifted in favour of these.
 */
function uploadOptions(config: AppConfig, limits: UploadLimits): MulterOptions {
  const { maxFiles, setting } = limits;
  const options: MulterOptions & { streamHandler: StreamHandler } = {
    streamHandler: (req, busboy) => {
      refuseTooManyFields(busboy);
      withinBodyLimit(config.MAX_BODY_BYTES)(req, busboy);
    },
    limits: { parts: Infinity, fields: MAX_MULTIPART_FIELDS, fieldSize: config.MAX_BODY_BYTES },
    fileFilter: (req: object, _file, accept) => {
      const seen = (filesSeen.get(req) ?? 0) + 1;
      filesSeen.set(req, seen);
      accept(seen > maxFiles ? tooManyFiles(maxFiles, setting) : null, true);
    },
  };
  return options;
}

/** The multer module of a feature with multipart routes, held to these limits. */
export function uploadsModule(
  limits: (config: AppConfig) => UploadLimits = (config) => ({
    maxFiles: config.UPLOAD_MAX_FILES,
    setting: 'UPLOAD_MAX_FILES',
  }),
  multer: MulterOptions = {},
): DynamicModule {
  return MulterModule.registerAsync({
    inject: [AppConfig],
    useFactory: (config: AppConfig) => {
      const options = uploadOptions(config, limits(config));
      return { ...options, ...multer, limits: { ...options.limits, ...multer.limits } };
    },
  });
}

/** busboy counts the fields (limits.fields); its event is answered ahead of multer's bare 400 "Too many fields". */
function refuseTooManyFields(busboy: Writable): void {
  busboy.prependListener('fieldsLimit', () => busboy.emit('error', tooManyFields()));
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

function tooManyFiles(maxFiles: number, setting: string): DomainError {
  return new DomainError(
    'payload_too_large',
    'too_many_items',
    `the request carries more than ${maxFiles} files; the limit per request is ${maxFiles} (${setting})`,
    { limit: maxFiles, setting },
  );
}

function tooManyFields(): DomainError {
  return new DomainError(
    'payload_too_large',
    'too_many_fields',
    `the multipart body has more than ${MAX_MULTIPART_FIELDS} text fields; only files may come in large numbers`,
    { limit: MAX_MULTIPART_FIELDS },
  );
}
