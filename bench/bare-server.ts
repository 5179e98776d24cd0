// The baseline: a bare node:http server that decodes the same request bodies as Vigil and calls
// onnxruntime directly, on the main thread, one request at a time, with no batching, no
// validation beyond the shape, no logging and no database. Config comes as JSON in BARE_CONFIG.
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { BenchModel, inputDims, inputSize } from './models';
import { INFERENCE_HEADER_CONTENT_LENGTH } from './payloads';

export interface BareServerConfig {
  port: number;
  intraOpThreads: number;
  models: BenchModel[];
}

interface Served {
  model: BenchModel;
  session: ort.InferenceSession;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BARE_CONFIG ?? '') as BareServerConfig;
  const served = new Map<string, Served>();
  for (const model of config.models) {
    const session = await ort.InferenceSession.create(model.onnxPath, {
      executionProviders: ['cpu'],
      intraOpNumThreads: config.intraOpThreads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    served.set(model.name, { model, session });
  }
  const server = createServer((req, res) => {
    handle(served, req, res).catch((err: Error) => reply(res, 500, { error: err.message }));
  });
  server.keepAliveTimeout = 60_000;
  server.listen(config.port, '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

async function handle(served: Map<string, Served>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET' && req.url === '/ready') return reply(res, 200, { ready: true });
  const route = /^\/(v2|v1)\/models\/([^/]+)\/(infer|predict)/.exec(req.url ?? '');
  const target = route && served.get(route[2]);
  if (req.method !== 'POST' || !route || !target) return reply(res, 404, { error: 'not found' });
  const body = await readBody(req);
  const { model } = target;
  const headerLength = req.headers[INFERENCE_HEADER_CONTENT_LENGTH];
  const { tensor, batch } =
    route[1] === 'v1'
      ? await fromImage(body, model)
      : typeof headerLength === 'string'
        ? fromBinaryInferRequest(body, Number(headerLength), model)
        : fromInferRequest(body, model);
  const dims = [batch, ...inputDims(model.inputSpec)];
  const output = (await target.session.run({ input: new ort.Tensor('float32', tensor, dims) })).logits;
  const probabilities = softmax(output.data as Float32Array, batch);
  const k = probabilities.length / batch;
  const labels = Array.from(
    { length: batch },
    (_, i) => model.labels[argmax(probabilities.subarray(i * k, (i + 1) * k))],
  );
  reply(res, 200, {
    model_name: model.name,
    model_version: model.version,
    outputs: [
      { name: 'logits', shape: [batch, k], datatype: 'FP32', data: Array.from(probabilities) },
      { name: 'predicted_label', shape: [batch], datatype: 'BYTES', data: labels },
    ],
  });
}

function fromInferRequest(body: Buffer, model: BenchModel): { tensor: Float32Array; batch: number } {
  const input = (
    JSON.parse(body.toString('utf8')) as { inputs: Array<{ shape: number[]; datatype: string; data: number[] }> }
  ).inputs[0];
  const batch = input.shape[0];
  if (input.data.length !== batch * inputSize(model.inputSpec)) throw new Error('wrong data length');
  const tensor = input.datatype === 'UINT8' ? normalise(input.data, model) : Float32Array.from(input.data);
  return { tensor, batch };
}

/**
 * Binary tensor data extension: JSON.parse only the small header, then view the bytes after it as
 * the tensor (little-endian, as on every host this runs on). UINT8 pixels are normalised like JSON ones.
 */
function fromBinaryInferRequest(
  body: Buffer,
  headerLength: number,
  model: BenchModel,
): { tensor: Float32Array; batch: number } {
  const header = JSON.parse(body.toString('utf8', 0, headerLength)) as { inputs: Array<BinaryInput> };
  const input = header.inputs[0];
  const batch = input.shape[0];
  const count = batch * inputSize(model.inputSpec);
  const bytes = body.subarray(headerLength);
  const width = input.datatype === 'UINT8' ? 1 : 4;
  if (bytes.length !== count * width || input.parameters.binary_data_size !== bytes.length) {
    throw new Error('wrong binary data size');
  }
  return { tensor: width === 1 ? normalise(bytes, model) : float32View(bytes), batch };
}

interface BinaryInput {
  shape: number[];
  datatype: string;
  parameters: { binary_data_size: number };
}

/** A Float32Array must start on a 4-byte boundary; the header's length decides that, so copy only when it does not. */
function float32View(bytes: Buffer): Float32Array {
  if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

async function fromImage(body: Buffer, model: BenchModel): Promise<{ tensor: Float32Array; batch: number }> {
  const { channels, width, height } = model.inputSpec;
  let image = sharp(body);
  image = channels === 1 ? image.greyscale() : image.toColourspace('srgb');
  const meta = await sharp(body).metadata();
  if (meta.width !== width || meta.height !== height) image = image.resize(width, height, { fit: 'fill' });
  const hwc = await image.raw().toBuffer();
  return { tensor: normalise(toChw(hwc, model), model), batch: 1 };
}

function toChw(hwc: Buffer, model: BenchModel): ArrayLike<number> {
  const { channels, layout } = model.inputSpec;
  if (channels === 1 || layout === 'NHWC') return hwc;
  const plane = hwc.length / channels;
  const chw = new Uint8Array(hwc.length);
  for (let i = 0; i < hwc.length; i++) chw[(i % channels) * plane + Math.floor(i / channels)] = hwc[i];
  return chw;
}

function normalise(values: ArrayLike<number>, model: BenchModel): Float32Array {
  const { scale, mean, std, channels, height, width, layout } = model.inputSpec;
  const plane = height * width;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = layout === 'NHWC' ? i % channels : Math.floor(i / plane) % channels;
    out[i] = (values[i] * scale - mean[c]) / std[c];
  }
  return out;
}

function softmax(logits: Float32Array, batch: number): Float32Array {
  const k = logits.length / batch;
  const out = new Float32Array(logits.length);
  for (let b = 0; b < batch; b++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[b * k + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += out[b * k + j] = Math.exp(logits[b * k + j] - max);
    for (let j = 0; j < k; j++) out[b * k + j] /= sum;
  }
  return out;
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(`bare server failed: ${err.stack ?? err.message}`);
    process.exit(1);
  });
}
