import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../common/domain-error';
import { ModelLoadError } from './runtime/errors';
import type { ProviderName } from './runtime/types';

// Absolute paths (POSIX or Windows) with at least two segments: server layout, never for clients.
const ABSOLUTE_PATH = /(?:\b[A-Za-z]:)?(?:[\\/][^\s'"():;,[\]]+){2,}/g;
// GPU loaders report library and driver paths and versions: the log keeps them, the answer does not.
const QUIET_PROVIDERS: ReadonlySet<ProviderName> = new Set(['cuda', 'webgpu']);

/**
 * The 422 for a model onnxruntime could not load. The loader's own words stay in the log under an
 * error id; the answer keeps what helps the client (which providers tried, onnxruntime's CPU
 * verdict on the file) with the server's paths taken out.
 */
export function modelLoadFailure(
  error: ModelLoadError,
  model: { name: string; version: string; path: string },
  logger: Logger,
): DomainError {
  const errorId = randomUUID();
  logger.warn(
    { errorId, model: model.name, version: model.version, err: error.message, attempts: error.attempts },
    'onnxruntime could not load the model',
  );
  const scrub = (text: string) => text.split(model.path).join('the model file').replace(ABSOLUTE_PATH, '<path>');
  const said = error.attempts.length
    ? error.attempts.map((a) => `${a.provider}: ${QUIET_PROVIDERS.has(a.provider) ? 'failed' : scrub(a.error)}`)
    : [scrub(error.message)];
  return new DomainError(
    'unprocessable',
    'model_load_failed',
    `onnxruntime could not load the model (${said.join('; ')}); the server log has the details under error id ${errorId}`,
    { errorId, providers: error.attempts.map((a) => a.provider) },
  );
}
