import { Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { AppConfig } from '../config/app-config';
import { AttemptResult, outcomeOf } from './webhook-delivery-outcome';
import { checkResolvedAddresses, checkTargetUrl, hostOf, TargetCheck } from './webhook-target-policy';

const EXCERPT_BYTES = 1024;

/** The only place that speaks HTTP to receivers (Node's fetch) and resolves their names. */
@Injectable()
export class WebhookHttpClient {
  constructor(private readonly config: AppConfig) {}

  get allowPrivateTargets(): boolean {
    return this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? this.config.NODE_ENV !== 'production';
  }

  /** The URL checks, plus the addresses its host resolves to (a name can point inside). */
  async checkTarget(url: URL): Promise<TargetCheck> {
    const literal = checkTargetUrl(url, this.allowPrivateTargets);
    if (!literal.allowed || this.allowPrivateTargets) return literal;
    const host = hostOf(url);
    const addresses = await lookup(host, { all: true }).then(
      (found) => found.map((a) => a.address),
      () => [], // an unresolvable name cannot reach anything; delivery reports it
    );
    return checkResolvedAddresses(host, addresses, false);
  }

  async post(url: string, body: string, headers: Record<string, string>): Promise<AttemptResult> {
    const started = Date.now();
    const target = await this.checkTarget(new URL(url));
    if (!target.allowed) return failure('refused', target.reason, started);
    try {
      const response = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'user-agent': 'Vigil-Webhooks/1', ...headers },
        // A redirect could lead to a refused target; receivers must answer at the registered URL.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
      });
      const excerpt = await readExcerpt(response);
      const outcome = outcomeOf(response.status);
      return {
        statusCode: response.status,
        latencyMs: Date.now() - started,
        outcome,
        error: outcome === 'success' ? null : `HTTP ${response.status}`,
        responseExcerpt: excerpt,
      };
    } catch (error) {
      // Duck-typed, not instanceof: fetch's errors may come from another realm (undici, test VMs).
      if (errorName(error) === 'TimeoutError')
        return failure('timeout', `no answer within ${this.config.WEBHOOK_TIMEOUT_MS} ms`, started);
      return failure('network_error', describeNetworkError(error), started);
    }
  }
}

function failure(outcome: AttemptResult['outcome'], error: string, started: number): AttemptResult {
  return { statusCode: null, latencyMs: Date.now() - started, outcome, error, responseExcerpt: null };
}

/** The first KiB of the answer; the rest is not read. */
async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < EXCERPT_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  await reader.cancel().catch(() => undefined);
  const text = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
  return text.length > 0 ? text : null;
}

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { name?: string }).name : undefined;
}

/** fetch wraps the socket error in `cause` (ECONNREFUSED, ENOTFOUND ...). */
function describeNetworkError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { message, cause } = error as { message?: string; cause?: { code?: string; message?: string } };
  if (cause?.code) return cause.message ? `${cause.code}: ${cause.message}` : cause.code;
  return cause?.message ?? message ?? String(error);
}
