import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { BenchModel, digitsDir, inputDims, inputSize } from './models';

export interface Payload {
  path: string;
  contentType: string;
  bodies: Array<string | Buffer>;
  itemsPerRequest: number;
}

const DISTINCT_BODIES = 32;

function heldbackPngs(): Buffer[] {
  const lines = readFileSync(join(digitsDir, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  return lines
    .map((line) => line.split(','))
    .filter(([, , split]) => split === 'heldback')
    .slice(0, DISTINCT_BODIES)
    .map(([file]) => readFileSync(join(digitsDir, file)));
}

/** One held-back digit per request as a UINT8 OIP v2 tensor (the raw 8-bit pixels). */
export async function digitsUint8(model: BenchModel): Promise<Payload> {
  const bodies = await Promise.all(
    heldbackPngs().map(async (png) => {
      const data = Array.from(await sharp(png).greyscale().raw().toBuffer());
      return JSON.stringify({
        inputs: [{ name: 'input', shape: [1, ...inputDims(model.inputSpec)], datatype: 'UINT8', data }],
      });
    }),
  );
  return { path: `/v2/models/${model.name}/infer`, contentType: 'application/json', bodies, itemsPerRequest: 1 };
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

/**
 * One image per request as an FP32 OIP v2 tensor, already normalised. Values carry 4 decimals
 * (~1 MB of JSON per image), about what a client that rounds its floats sends.
 */
export function mobilenetFp32(model: BenchModel): Payload {
  const size = inputSize(model.inputSpec);
  const bodies = [1, 2].map((seed) => {
    const data = Array.from({ length: size }, (_, i) => Math.round(Math.sin(i * 0.01 * seed) * 2 * 10_000) / 10_000);
    return JSON.stringify({
      inputs: [{ name: 'input', shape: [1, ...inputDims(model.inputSpec)], datatype: 'FP32', data }],
    });
  });
  return { path: `/v2/models/${model.name}/infer`, contentType: 'application/json', bodies, itemsPerRequest: 1 };
}
