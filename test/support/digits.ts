import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';

export const digitsDir = join(__dirname, '..', 'fixtures', 'digits');

export interface DigitImage {
  file: string;
  label: string;
  split: 'reference' | 'heldback';
  bytes: Buffer;
}

export type DigitsModel = 'cnn' | 'weak';

/** The committed digits images (scripts/fixtures/build_digits.py), with their labels. */
export function digitImages(split: DigitImage['split']): DigitImage[] {
  const lines = readFileSync(join(digitsDir, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  return lines
    .map((line) => line.split(','))
    .filter(([, , s]) => s === split)
    .map(([file, label, s]) => ({
      file,
      label,
      split: s as DigitImage['split'],
      bytes: readFileSync(join(digitsDir, file)),
    }));
}

/** Offline predictions of a model on the held-back images, by file. */
export function expectedPredictions(model: DigitsModel): Map<string, string> {
  const lines = readFileSync(join(digitsDir, `expected-${model}.csv`), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  return new Map(lines.map((line) => line.split(',')).map(([file, predicted]) => [file, predicted]));
}

export function modelMetadata(model: DigitsModel): {
  name: string;
  version: string;
  labels: string[];
  inputSpec: object;
  heldbackAccuracy: number;
} {
  return JSON.parse(readFileSync(join(digitsDir, `digits-${model}.json`), 'utf8'));
}

/** Registers a digits model over HTTP (multipart upload), with optional metadata overrides. */
export async function registerDigitsModel(
  baseUrl: string,
  model: DigitsModel,
  overrides: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const { name, version, labels, inputSpec } = modelMetadata(model);
  const form = new FormData();
  form.append('file', new Blob([readFileSync(join(digitsDir, `digits-${model}.onnx`))]), `digits-${model}.onnx`);
  form.append('metadata', JSON.stringify({ name, version, labels, inputSpec, ...overrides }));
  return fetch(`${baseUrl}/v1/models`, { method: 'POST', body: form, headers });
}

/** The raw 8-bit pixels of a greyscale PNG (what a UINT8 v2 tensor carries). */
export async function pixels(bytes: Buffer): Promise<number[]> {
  return Array.from(await sharp(bytes).greyscale().raw().toBuffer());
}

export function chunk<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** Registers the images as a labelled evaluation set of the digits model (multipart); answers its id. */
export async function uploadEvaluationSet(baseUrl: string, name: string, images: DigitImage[]): Promise<string> {
  const form = new FormData();
  for (const image of images)
    form.append('images', new Blob([image.bytes], { type: 'image/png' }), basename(image.file));
  form.append('name', name);
  form.append('labels', ['file,label', ...images.map((i) => `${basename(i.file)},${i.label}`)].join('\n'));
  const response = await fetch(`${baseUrl}/v1/models/digits/evaluation-sets`, { method: 'POST', body: form });
  if (response.status !== 201) throw new Error(`evaluation set answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}
