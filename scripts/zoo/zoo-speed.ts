import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RawOnnxRunner } from '../../bench/raw-onnx';
import { PREFERRED_THREADS } from '../../bench/settings';
import { imagesDir, ZooModel } from './zoo-models';

export interface Speed {
  serviceB1: number;
  serviceB32: number;
  rawB1: number;
  rawB32: number;
}

/** Concurrent clients: enough to keep both inference workers busy without queueing for long. */
const CLIENTS = { 1: 4, 32: 2 } as const;

/**
 * Images per second through POST /v1/models/{name}/versions/{v}/predict with the original JPEG
 * photographs (decode, resize, normalise, batch, run, log), a closed loop of concurrent clients.
 */
async function serviceRate(url: string, photos: Buffer[], batch: 1 | 32, seconds: number): Promise<number> {
  const request = () => {
    if (batch === 1) {
      return fetch(url, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: photos[0] });
    }
    const form = new FormData();
    for (let i = 0; i < batch; i++) form.append('images', new Blob([photos[i % photos.length]]), `${i}.jpg`);
    return fetch(url, { method: 'POST', body: form });
  };
  const once = async () => {
    const response = await request();
    if (response.status !== 200) throw new Error(`predict: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  };
  await once(); // the first batch of a size allocates
  let images = 0;
  const started = performance.now();
  const client = async () => {
    while (performance.now() - started < seconds * 1000) {
      await once();
      images += batch;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS[batch] }, client));
  return images / ((performance.now() - started) / 1000);
}

export async function measureSpeed(
  baseUrl: string,
  dist: string,
  model: ZooModel,
  version: string,
  seconds: number,
): Promise<Speed> {
  const photos = model.images.map((image) => readFileSync(join(imagesDir, `${image}.jpg`)));
  const url = `${baseUrl}/v1/models/${model.name}/versions/${version}/predict?top_k=1`;
  const serviceB1 = await serviceRate(url, photos, 1, seconds);
  const serviceB32 = await serviceRate(url, photos, 32, seconds);
  // The service is idle meanwhile: the raw sessions get the cores, with the service's thread layout.
  const raw = await RawOnnxRunner.start(dist, model, PREFERRED_THREADS);
  try {
    return { serviceB1, serviceB32, rawB1: await raw.measure(1, seconds), rawB32: await raw.measure(32, seconds) };
  } finally {
    await raw.close();
  }
}
