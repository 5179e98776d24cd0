import { basename } from 'node:path';
import { chunk, DigitImage } from '../support/digits';
import { webhookApi } from '../support/webhook-api';

export interface ServedWithScore {
  predictionId: string;
  predicted: string;
  label: string;
  score: number;
  image: DigitImage;
}

/** Serves images to a model (multipart) and returns each prediction with its top-1 confidence. */
export async function serveScored(baseUrl: string, model: string, images: DigitImage[]): Promise<ServedWithScore[]> {
  const served: ServedWithScore[] = [];
  for (const batch of chunk(images, 200)) {
    const form = new FormData();
    for (const image of batch) form.append('images', new Blob([image.bytes], { type: 'image/png' }), image.file);
    const response = await fetch(`${baseUrl}/v1/models/${model}/predict`, { method: 'POST', body: form });
    if (response.status !== 200) throw new Error(`predict answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as {
      predictions: Array<{ prediction_id: string; label: string; score: number }>;
    };
    body.predictions.forEach((p, i) =>
      served.push({
        predictionId: p.prediction_id,
        predicted: p.label,
        score: p.score,
        label: batch[i].label,
        image: batch[i],
      }),
    );
  }
  return served;
}

/** Registers a labelled evaluation set from images (multipart, labels.csv text). */
export async function registerSet(baseUrl: string, model: string, name: string, images: DigitImage[]) {
  const form = new FormData();
  const files = images.map((image) => ({ ...image, file: basename(image.file) }));
  for (const image of files) form.append('images', new Blob([image.bytes], { type: 'image/png' }), image.file);
  form.append('name', name);
  form.append('labels', ['file,label', ...files.map((i) => `${i.file},${i.label}`)].join('\n'));
  const response = await fetch(`${baseUrl}/v1/models/${model}/evaluation-sets`, { method: 'POST', body: form });
  return { status: response.status, body: (await response.json()) as { id: string; accepted: number } };
}

/** A JSON call; the body parsed (the webhook test client's, which is a plain JSON client). */
export const json = (baseUrl: string, method: string, path: string, body?: unknown) =>
  webhookApi(baseUrl).call(method, path, body);
