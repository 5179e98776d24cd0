import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { DemoApi } from './demo-api';

export type Split = 'train' | 'reference' | 'heldback';
export type DigitsModel = 'cnn' | 'weak';

export interface Digit {
  file: string;
  label: string;
  bytes: Buffer;
}

/** What the service answered for one image, with its true label. */
export interface Served {
  predictionId: string;
  predicted: string;
  label: string;
  version: string;
}

/** test/fixtures/digits, found from here whether this runs from the sources or from dist/. */
export function digitsDir(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'test', 'fixtures', 'digits');
    if (existsSync(join(candidate, 'labels.csv'))) return candidate;
  }
  throw new Error(`test/fixtures/digits not found above ${from}`);
}

export function loadDigits(split: Split): Digit[] {
  const dir = digitsDir();
  const rows = readFileSync(join(dir, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  return rows
    .map((row) => row.split(','))
    .filter(([, , s]) => s === split)
    .map(([file, label]) => ({ file, label, bytes: readFileSync(join(dir, file)) }));
}

/** Registers a committed digits model under `name` (multipart upload, as the README shows). */
export async function registerDigitsModel(api: DemoApi, name: string, model: DigitsModel) {
  const dir = digitsDir();
  const { version, labels, inputSpec } = JSON.parse(readFileSync(join(dir, `digits-${model}.json`), 'utf8'));
  const form = new FormData();
  form.append('file', new Blob([readFileSync(join(dir, `digits-${model}.onnx`))]), `digits-${model}.onnx`);
  form.append('metadata', JSON.stringify({ name, version, labels, inputSpec }));
  return api.form<{ version: string; role: string; provider: string }>('/v1/models', form);
}

export function imagesForm(images: Digit[], field = 'images'): FormData {
  const form = new FormData();
  for (const image of images) form.append(field, new Blob([image.bytes], { type: 'image/png' }), image.file);
  return form;
}

/** The plain image endpoint, 200 images per multipart request; returns what each one got. */
export async function serveBatches(api: DemoApi, model: string, images: Digit[]): Promise<Served[]> {
  const served: Served[] = [];
  for (let i = 0; i < images.length; i += 200) {
    const batch = images.slice(i, i + 200);
    const answer = await api.form<PredictAnswer>(`/v1/models/${model}/predict`, imagesForm(batch));
    answer.predictions.forEach((p, j) => served.push(servedOf(answer, p, batch[j])));
  }
  return served;
}

/** One request per image with its own unit id (sticky A/B assignment), a few in flight at once. */
export async function serveUnits(api: DemoApi, model: string, images: Digit[], unitPrefix: string) {
  const served: Served[] = new Array(images.length);
  let next = 0;
  const client = async () => {
    for (let i = next++; i < images.length; i = next++) {
      const headers = { 'x-unit-id': `${unitPrefix}-${i}` };
      const answer = await api.image<PredictAnswer>(`/v1/models/${model}/predict`, images[i].bytes, headers);
      served[i] = servedOf(answer, answer.predictions[0], images[i]);
    }
  };
  await Promise.all(Array.from({ length: 8 }, client));
  return served;
}

/**
 * Brightened copies through the Open Inference Protocol as UINT8 tensors: every pixel + `delta`
 * (clipped at 255), like a camera whose exposure changed. Labels stay unknown.
 */
export async function serveBrightened(api: DemoApi, model: string, images: Digit[], delta: number) {
  for (let i = 0; i < images.length; i += 150) {
    const batch = images.slice(i, i + 150);
    const pixels = await Promise.all(batch.map((image) => sharp(image.bytes).greyscale().raw().toBuffer()));
    const data = pixels.flatMap((p) => Array.from(p, (v) => Math.min(255, v + delta)));
    const input = { name: 'input', shape: [batch.length, 1, 8, 8], datatype: 'UINT8', data };
    await api.post(`/v2/models/${model}/infer`, { inputs: [input] });
  }
}

/** Ground truth for served predictions, in one feedback request. */
export async function sendLabels(api: DemoApi, served: Served[]): Promise<void> {
  const items = served.map((s) => ({ prediction_id: s.predictionId, label: s.label }));
  const answer = await api.post<{ accepted: number }>('/v1/feedback', { items });
  if (answer.accepted !== items.length) throw new Error(`feedback accepted ${answer.accepted} of ${items.length}`);
}

export const accuracyOf = (served: Served[]) => served.filter((s) => s.predicted === s.label).length / served.length;

interface PredictAnswer {
  model_version: string;
  predictions: Array<{ prediction_id: string; label: string }>;
}

function servedOf(answer: PredictAnswer, p: PredictAnswer['predictions'][number], image: Digit): Served {
  return { predictionId: p.prediction_id, predicted: p.label, label: image.label, version: answer.model_version };
}
