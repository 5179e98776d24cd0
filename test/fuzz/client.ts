import { Agent, request } from 'node:http';
import type { FuzzRequest } from './requests';

export interface FuzzResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * Sends a request exactly as generated (raw path, any method, body with or without a length) over
 * node:http rather than fetch, which would normalise the path and refuse some combinations.
 */
export function send(baseUrl: string, agent: Agent, fuzz: FuzzRequest, timeoutMs = 30_000): Promise<FuzzResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, method: fuzz.method, path: fuzz.path, headers: fuzz.headers, agent, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    if (fuzz.body === undefined) return req.end();
    if (fuzz.chunked) {
      // Explicit: node only chunks POST-like methods by default and would send a GET body unframed.
      req.setHeader('transfer-encoding', 'chunked');
      req.write(fuzz.body);
      return req.end();
    }
    req.setHeader('content-length', fuzz.body.length);
    req.end(fuzz.body);
  });
}

/**
 * The properties every answer must have: no 5xx (a 503 with Retry-After from a full inference
 * queue is the one allowed), and every 4xx carries the documented error shape with a message:
 * `{"error": "..."}` on the Open Inference Protocol paths, `{"error": {"code", "message"}}` elsewhere.
 * Returns the problem, or undefined.
 */
export function problemWith(fuzz: FuzzRequest, response: FuzzResponse): string | undefined {
  const { status } = response;
  if (status >= 500 && !(status === 503 && response.headers['retry-after'])) return `status ${status}`;
  if (status < 400 || status >= 500 || fuzz.method === 'HEAD') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(response.body.toString('utf8'));
  } catch {
    return `a ${status} whose body is not JSON`;
  }
  const error = (body as { error?: unknown } | null)?.error;
  const pathname = fuzz.path.split('?')[0];
  if (pathname === '/v2' || pathname.startsWith('/v2/')) {
    return typeof error === 'string' && error.length > 0 ? undefined : `a ${status} without {"error": "..."}`;
  }
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && code.length > 0 && typeof message === 'string' && message.length > 0)
    return undefined;
  return `a ${status} without {"error": {"code", "message"}}`;
}

/** A request and its answer, short enough for a failure message. */
export function describeExchange(fuzz: FuzzRequest, response?: FuzzResponse): string {
  const body = fuzz.body ? `${fuzz.body.length} bytes (${fuzz.kind}): ${preview(fuzz.body)}` : 'no body';
  const answer = response ? `-> ${response.status} ${preview(response.body)}` : '-> no answer';
  return `${fuzz.method} ${fuzz.path} ${JSON.stringify(fuzz.headers)} ${body} ${answer}`;
}

function preview(bytes: Buffer): string {
  const text = bytes.subarray(0, 300).toString('utf8');
  return JSON.stringify(bytes.length > 300 ? `${text}...` : text);
}
