import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { DomainError } from '../../common/domain-error';
import { AppConfig } from '../../config/app-config';
import type { OipModelInput } from '../oip';
import {
  parseTensorBody,
  type ParsedTensorBody,
  type TensorBodyReply,
  type TensorBodyTask,
} from './tensor-body.worker';

// Below this an infer body is parsed in place: a 64 KiB JSON body parses in well under a
// millisecond, less than the round trip to a worker (the digits bench bodies are ~200 bytes).
const INLINE_BELOW_BYTES = 64 * 1024;

/** Compiled, the worker is the .js sibling; under jest it is the .ts source with ts-node's hook. */
function workerFile(): { filename: string; execArgv?: string[] } {
  if (!__filename.endsWith('.ts')) return { filename: join(__dirname, 'tensor-body.worker.js') };
  return {
    filename: join(__dirname, 'tensor-body.worker.ts'),
    execArgv: ['--require', 'ts-node/register/transpile-only'],
  };
}

/**
 * Parses Open Inference Protocol infer bodies (JSON, or JSON header + binary tensors) into the
 * model's tensor and its rows' hashes. Large bodies go to TENSOR_PARSE_THREADS worker threads: JSON.parse of a 20 MB
 * body holds a thread for about a second, which on the event loop would stall every other request
 * and the liveness probe (measured in BENCHMARKS.md).
 */
@Injectable()
export class TensorBodyParser implements OnModuleDestroy {
  private readonly pool: Piscina;

  constructor(config: AppConfig) {
    const threads = config.TENSOR_PARSE_THREADS;
    this.pool = new Piscina({ ...workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: Infinity });
  }

  async parse(body: Buffer, headerLength: string | undefined, model: OipModelInput): Promise<ParsedTensorBody> {
    const task: TensorBodyTask = { body, headerLength, model };
    if (body.length < INLINE_BELOW_BYTES) return parseTensorBody(task);
    // A body that owns its whole ArrayBuffer (large reads do) moves to the worker instead of being copied.
    const memory = body.buffer;
    const owned = memory instanceof ArrayBuffer && body.byteOffset === 0 && body.byteLength === memory.byteLength;
    const reply = (await this.pool.run(task, owned ? { transferList: [memory] } : {})) as TensorBodyReply;
    if ('error' in reply) {
      const { kind, code, message, details, retryAfterSeconds } = reply.error;
      throw new DomainError(kind, code, message, details, retryAfterSeconds);
    }
    return reply.request;
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.destroy();
  }
}
