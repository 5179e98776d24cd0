import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { BenchModel, digitsDir, inputDims, inputSize } from './models';

export interface Payload {
  path: string;
  contentType: string;
  bodies: Array<string | Buffer>;
  itemsPerRequest: number;
  /** Sent with every request besides Content-Type; the same for every body. */
  headers?: Record<string, string>;
}

const DISTINCT_BODIES = 32;

/** The binary tensor data extension's request header: the byte length of the JSON header. */
export const INFERENCE_HEADER_CONTENT_LENGTH = 'inference-header-content-length';

function heldbackPngs(): Buffer[] {
  const lines = readFileSync(join(digitsDir, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  return lines
    .map((line) => line.split(','))
    .filter(([, , split]) => split === 'heldback')
    .slice(0, DISTINCT_BODIES)
    .map(([file]) => readFileSync(join(digitsDir, file)));
}

/** The raw 8-bit pixels of each held-back digit, in the model's layout (greyscale: one plane). */
function heldbackPixels(): Promise<Buffer[]> {
  return Promise.all(heldbackPngs().map((png) => sharp(png).greyscale().raw().toBuffer()));
}

const oipPath = (model: BenchModel) => `/v2/models/${model.name}/infer`;
const oneItemShape = (model: BenchModel) => [1, ...inputDims(model.inputSpec)];

/** One held-back digit per request as a UINT8 OIP v2 JSON tensor (the raw 8-bit pixels). */
export async function digitsUint8(model: BenchModel): Promise<Payload> {
  const bodies = (await heldbackPixels()).map((pixels) =>
    JSON.stringify({
      inputs: [{ name: 'input', shape: oneItemShape(model), datatype: 'UINT8', data: Array.from(pixels) }],
    }),
  );
  return { path: oipPath(model), contentType: 'application/json', bodies, itemsPerRequest: 1 };
}

/** The same digits as digitsUint8, as binary tensor data: the service normalises the 8-bit pixels. */
export async function digitsUint8Binary(model: BenchModel): Promise<Payload> {
  return binaryPayload(model, 'UINT8', await heldbackPixels());
}

/** One held-back digit per request as a PNG body on the image endpoint. */
export function digitsPng(model: BenchModel): Payload {
  return {
    path: `/v1/models/${model.name}/predict`,
    contentType: 'image/png',
    bodies: heldbackPngs(),
    itemsPerRequest: 1,
  };
}

/** Two distinct already-normalised images, values rounded to 4 decimals like a client that rounds its floats. */
function mobilenetValues(model: BenchModel): number[][] {
  const size = inputSize(model.inputSpec);
  return [1, 2].map((seed) =>
    Array.from({ length: size }, (_, i) => Math.round(Math.sin(i * 0.01 * seed) * 2 * 10_000) / 10_000),
  );
}

/** One image per request as an FP32 OIP v2 JSON tensor (~1 MB of JSON per image). */
export function mobilenetFp32(model: BenchModel): Payload {
  const bodies = mobilenetValues(model).map((data) =>
    JSON.stringify({ inputs: [{ name: 'input', shape: oneItemShape(model), datatype: 'FP32', data }] }),
  );
  return { path: oipPath(model), contentType: 'application/json', bodies, itemsPerRequest: 1 };
}

/** The same values as mobilenetFp32, as binary FP32 tensor data (602 KB per image). */
export function mobilenetFp32Binary(model: BenchModel): Payload {
  const tensors = mobilenetValues(model).map((values) => {
    const bytes = Buffer.alloc(values.length * 4);
    for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i], i * 4);
    return bytes;
  });
  return binaryPayload(model, 'FP32', tensors);
}

/**
 * One image per request as binary UINT8 tensor data: raw 0-255 pixels in the model's layout,
 * which the service (and the bare server) scale and normalise with the model's mean and std.
 */
export function mobilenetUint8Binary(model: BenchModel): Payload {
  const size = inputSize(model.inputSpec);
  const tensors = [1, 2].map((seed) =>
    Buffer.from(Array.from({ length: size }, (_, i) => Math.round((Math.sin(i * 0.01 * seed) + 1) * 127.5))),
  );
  return binaryPayload(model, 'UINT8', tensors);
}

/**
 * Binary tensor data extension (KServe / Triton): a JSON header whose input carries
 * `parameters.binary_data_size` instead of `data`, then the tensor's raw little-endian row-major
 * bytes; Inference-Header-Content-Length gives the header's length. No output asks for binary
 * data, so the answer is plain JSON and carries `parameters.prediction_ids` as before.
 */
function binaryPayload(model: BenchModel, datatype: 'FP32' | 'UINT8', tensors: Buffer[]): Payload {
  // Every tensor has the same size, so every body has the same header and one header-length fits all.
  const header = Buffer.from(
    JSON.stringify({
      inputs: [
        {
          name: 'input',
          shape: oneItemShape(model),
          datatype,
          parameters: { binary_data_size: tensors[0].length },
        },
      ],
    }),
    'utf8',
  );
  if (tensors.some((t) => t.length !== tensors[0].length)) throw new RangeError('tensors of different sizes');
  return {
    path: oipPath(model),
    contentType: 'application/octet-stream',
    bodies: tensors.map((tensor) => Buffer.concat([header, tensor])),
    itemsPerRequest: 1,
    headers: { [INFERENCE_HEADER_CONTENT_LENGTH]: String(header.length) },
  };
}
