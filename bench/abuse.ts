// Issue 13.2's scenarios: what one client's large or unauthenticated requests do to everyone else.
// They run against a service with API keys (the other scenarios run in open mode).
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import sharp from 'sharp';
import { ProbeResult } from './health-probe';
import { runLoad } from './load';
import { BenchModel, inputDims, inputSize } from './models';
import { digitsPng } from './payloads';
import { BenchContext } from './scenarios';
import { ServerProcess } from './servers';

/** The keys the abuse service accepts: a and b infer, as two clients would. */
export const ABUSE_KEYS = {
  a: `a-${randomBytes(16).toString('hex')}`,
  b: `b-${randomBytes(16).toString('hex')}`,
};

/** Service settings for the abuse scenarios: keys, no per-key rate limit (the load is the point). */
export function abuseEnv(): Record<string, string> {
  return {
    AUTH_MODE: 'keys',
    API_KEYS: `a:infer:${ABUSE_KEYS.a},b:infer:${ABUSE_KEYS.b}`,
    RATE_LIMIT_PER_MINUTE: '0',
  };
}

// The service's defaults, which the maximal payloads are built to reach.
const MAX_BODY_BYTES = 20 * 1024 * 1024;
const MAX_REQUEST_ITEMS = 256;
const MAX_REQUEST_PIXELS = 100_000_000;

/** An FP32 OIP JSON body for the largest batch of `model` that fits in MAX_BODY_BYTES (4 decimals per value). */
export function largestJsonBody(model: BenchModel): { body: Buffer; batch: number } {
  const size = inputSize(model.inputSpec);
  const image = Array.from({ length: size }, (_, i) => (Math.round(Math.sin(i * 0.01) * 20_000) / 10_000).toString());
  const imageChars = image.join(',').length + 1;
  const batch = Math.floor((MAX_BODY_BYTES - 200) / imageChars);
  const data = Array.from({ length: batch }, () => image.join(',')).join(',');
  const shape = JSON.stringify([batch, ...inputDims(model.inputSpec)]);
  const body = Buffer.from(`{"inputs":[{"name":"input","shape":${shape},"datatype":"FP32","data":[${data}]}]}`);
  if (body.length > MAX_BODY_BYTES) throw new Error(`body of ${body.length} bytes is over MAX_BODY_BYTES`);
  return { body, batch };
}

export interface BodiesResult {
  requests: number;
  statuses: Record<string, number>;
}

/**
 * `connections` loops, each POSTing the whole of `body` on a kept-alive connection and waiting for
 * the answer, for durationS. A server that answers early (401) still receives every byte, which it
 * discards unread to find the next request on the connection.
 */
export async function postLoop(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
  connections: number,
  durationS: number,
): Promise<BodiesResult> {
  const deadline = Date.now() + durationS * 1000;
  const statuses: Record<string, number> = {};
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const count = (status: string) => (statuses[status] = (statuses[status] ?? 0) + 1);
  const once = () =>
    new Promise<void>((resolve) => {
      const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': body.length } });
      let answered = false;
      let sent = false;
      const settle = () => answered && sent && resolve();
      req.on('response', (res) => {
        count(String(res.statusCode));
        res.resume();
        res.on('end', () => {
          answered = true;
          settle();
        });
      });
      req.on('finish', () => {
        sent = true;
        settle();
      });
      req.on('error', () => {
        count('error');
        resolve();
      });
      req.end(body);
    });
  const loop = async () => {
    while (Date.now() < deadline) await once();
  };
  await Promise.all(Array.from({ length: connections }, loop));
  agent.destroy();
  return { requests: Object.values(statuses).reduce((a, b) => a + b, 0), statuses };
}

export interface BodiesScenario {
  scenario: string;
  probe: ProbeResult;
  bodyBytes: number;
  result: BodiesResult;
}

/** /health/live while `connections` clients keep POSTing a 20 MB JSON infer body. */
export async function healthDuringBodies(
  ctx: BenchContext,
  service: ServerProcess,
  scenario: string,
  model: BenchModel,
  body: Buffer,
  headers: Record<string, string>,
): Promise<BodiesScenario> {
  const { warmupS, measureS } = ctx.settings;
  const url = `${service.url}/v2/models/${model.name}/infer`;
  const sending = postLoop(url, body, { ...headers, 'content-type': 'application/json' }, 8, warmupS + measureS);
  await new Promise((resolve) => setTimeout(resolve, warmupS * 1000));
  const probe = await ctx.probeHealth(service, measureS);
  return { scenario, probe, bodyBytes: body.length, result: await sending };
}

/** A smooth greyscale PNG (compresses well, decodes at full cost): many fit in MAX_BODY_BYTES. */
function gradientPng(side: number, seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(side * side);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) pixels[y * side + x] = (x + y * seed) & 0xff;
  return sharp(pixels, { raw: { width: side, height: side, channels: 1 } })
    .png()
    .toBuffer();
}

/** MAX_REQUEST_ITEMS images that together reach MAX_REQUEST_PIXELS, as one multipart body. */
export async function maximalImageBatch(): Promise<{ body: Buffer; contentType: string; pixels: number }> {
  const side = Math.floor(Math.sqrt(MAX_REQUEST_PIXELS / MAX_REQUEST_ITEMS));
  const images = await Promise.all([1, 2, 3, 5].map((seed) => gradientPng(side, seed)));
  const boundary = `----vigilbench${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (let i = 0; i < MAX_REQUEST_ITEMS; i++) {
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="images"; filename="${i}.png"\r\ncontent-type: image/png\r\n\r\n`;
    parts.push(Buffer.from(head), images[i % images.length], Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const body = Buffer.concat(parts);
  if (body.length > MAX_BODY_BYTES) throw new Error(`image batch of ${body.length} bytes is over MAX_BODY_BYTES`);
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, pixels: side * side * MAX_REQUEST_ITEMS };
}

export interface TwoKeys {
  scenario: string;
  /** Key b's digits predict latency alone, then while key a sends maximal image batches. */
  unloadedP99Ms: number;
  loadedP99Ms: number;
  ratio: number;
  bRequests: { unloaded: number; loaded: number; non2xx: number };
  aRequests: number;
  aNon2xx: number;
  batch: { images: number; pixels: number; bodyBytes: number };
  probe: ProbeResult;
}

/** Key b predicts one digit at a time (c=4), alone and while key a sends maximal image batches (c=2). */
export async function twoKeys(ctx: BenchContext, service: ServerProcess, digits: BenchModel): Promise<TwoKeys> {
  const { warmupS, measureS } = ctx.settings;
  const b = { ...digitsPng(digits), url: service.url, connections: 4, headers: bearer(ABUSE_KEYS.b) };
  await runLoad(b, warmupS);
  const alone = await runLoad(b, measureS);
  const batch = await maximalImageBatch();
  const a = {
    url: service.url,
    path: `/v1/models/${digits.name}/predict`,
    contentType: batch.contentType,
    bodies: [batch.body],
    itemsPerRequest: MAX_REQUEST_ITEMS,
    connections: 2,
    headers: bearer(ABUSE_KEYS.a),
  };
  const loading = runLoad(a, warmupS + measureS + 1);
  await new Promise((resolve) => setTimeout(resolve, warmupS * 1000));
  const probing = ctx.probeHealth(service, measureS);
  const loaded = await runLoad(b, measureS);
  const probe = await probing;
  const aLoad = await loading;
  // autocannon abandons its requests at the deadline; one more waits behind what a still has in flight.
  await fetch(`${service.url}${a.path}`, {
    method: 'POST',
    headers: { ...a.headers, 'content-type': a.contentType },
    body: batch.body,
  });
  return {
    scenario: 'two-keys',
    unloadedP99Ms: alone.latencyP99Ms,
    loadedP99Ms: loaded.latencyP99Ms,
    ratio: loaded.latencyP99Ms / alone.latencyP99Ms,
    bRequests: { unloaded: alone.requests, loaded: loaded.requests, non2xx: alone.non2xx + loaded.non2xx },
    aRequests: aLoad.requests,
    aNon2xx: aLoad.non2xx,
    batch: { images: MAX_REQUEST_ITEMS, pixels: batch.pixels, bodyBytes: batch.body.length },
    probe,
  };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
