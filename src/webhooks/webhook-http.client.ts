import { Injectable } from '@nestjs/common';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AppConfig } from '../config/app-config';
import { AttemptResult, outcomeOf } from './webhook-delivery-outcome';
import {
  checkedLookup,
  ResolveHost,
  resolveChecked,
  systemResolver,
  TargetRefusedError,
} from './webhook-target-lookup';
import { checkTargetUrl, TargetCheck } from './webhook-target-policy';

const EXCERPT_BYTES = 1024;

/** The only place that speaks HTTP to receivers (node:http / node:https) and resolves their names. */
@Injectable()
export class WebhookHttpClient {
  private resolveHost: ResolveHost = systemResolver;

  constructor(private readonly config: AppConfig) {}

  /** A client whose names are resolved by `resolveHost` (tests stand in for DNS with it). */
  static resolvingWith(config: AppConfig, resolveHost: ResolveHost): WebhookHttpClient {
    const client = new WebhookHttpClient(config);
    client.resolveHost = resolveHost;
    return client;
  }

  get allowPrivateTargets(): boolean {
    return this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? this.config.NODE_ENV !== 'production';
  }

  /** At registration: the URL checks, plus the addresses its host resolves to now. */
  async checkTarget(url: URL): Promise<TargetCheck> {
    const literal = checkTargetUrl(url, this.allowPrivateTargets);
    if (!literal.allowed || this.allowPrivateTargets) return literal;
    return (await resolveChecked(this.resolveHost, url.hostname, false)).check;
  }

  /** One attempt. The name is resolved once, by the socket, and only checked addresses are used. */
  async post(url: string, body: string, headers: Record<string, string>): Promise<AttemptResult> {
    const started = Date.now();
    const target = new URL(url);
    const literal = checkTargetUrl(target, this.allowPrivateTargets);
    if (!literal.allowed) return failure('refused', literal.reason, started);
    const signal = AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS);
    try {
      const { statusCode, excerpt } = await this.send(target, body, headers, signal);
      const outcome = outcomeOf(statusCode);
      return {
        statusCode,
        latencyMs: Date.now() - started,
        outcome,
        error: outcome === 'success' ? null : `HTTP ${statusCode}`,
        responseExcerpt: excerpt,
      };
    } catch (error) {
      if (error instanceof TargetRefusedError) return failure('refused', error.message, started);
      if (signal.aborted) return failure('timeout', `no answer within ${this.config.WEBHOOK_TIMEOUT_MS} ms`, started);
      return failure('network_error', describeNetworkError(error), started);
    }
  }

  /** Redirects are not followed: one could lead to a refused target; receivers answer at the registered URL. */
  private send(url: URL, body: string, headers: Record<string, string>, signal: AbortSignal) {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<{ statusCode: number; excerpt: string | null }>((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'Vigil-Webhooks/1',
            ...headers,
          },
          lookup: checkedLookup(this.resolveHost, this.allowPrivateTargets),
          agent: false, // a fresh connection per attempt: no socket outlives the check that opened it
          signal,
        },
        (response) => readExcerpt(response).then((excerpt) => resolve({ statusCode: response.statusCode!, excerpt })),
      );
      outgoing.once('error', reject);
      outgoing.end(body);
    });
  }
}

function failure(outcome: AttemptResult['outcome'], error: string, started: number): AttemptResult {
  return { statusCode: null, latencyMs: Date.now() - started, outcome, error, responseExcerpt: null };
}

/** The first KiB of the answer; the rest is not read. */
async function readExcerpt(response: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= EXCERPT_BYTES) break;
    }
  } catch {
    // The status is what counts; a body cut short keeps what arrived.
  }
  response.destroy();
  const text = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
  return text.length > 0 ? text : null;
}

/** Socket errors carry a code (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED ...). */
function describeNetworkError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { message, code } = error as { message?: string; code?: string };
  if (code && message && !message.includes(code)) return `${code}: ${message}`;
  return message ?? code ?? String(error);
}
