import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { InputSpec } from '../../src/inference/runtime/types';
import type { BenchModel } from '../../bench/models';
import { repoRoot } from '../../bench/settings';

/** The seven families, fast to slow (scripts/zoo/export_zoo.py builds them). */
export const FAMILIES = [
  'mobilenet_v3_large',
  'regnet_y_400mf',
  'resnet50',
  'efficientnet_v2_s',
  'convnext_tiny',
  'swin_t',
  'vit_b_16',
] as const;

export const zooDir = join(repoRoot, '.zoo');
export const imagesDir = join(zooDir, 'images');

/** What export_zoo.py wrote next to each model: PyTorch's logits for every image, and facts. */
export interface ZooModel extends BenchModel {
  family: string;
  fileBytes: number;
  parameters: number;
  opset: number;
  logitsStd: number;
  /** The 224x224 PNGs (under .zoo/images, `<image>-224.png`) PyTorch was given, in order. */
  images: string[];
  /** PyTorch's float32 logits, one row of 1000 per image. */
  logits: number[][];
}

interface Expected {
  family: string;
  opset: number;
  parameters: number;
  logitsStd: number;
  inputSpec: InputSpec;
  images: string[];
  logits: number[][];
}

/** Checks the family names, and exports (Python, torch) the ones not exported yet. */
export function ensureExported(requested: string[]): string[] {
  const families = requested.length > 0 ? requested : [...FAMILIES];
  const unknown = families.filter((f) => !(FAMILIES as readonly string[]).includes(f));
  if (unknown.length > 0) throw new Error(`unknown families: ${unknown.join(', ')} (known: ${FAMILIES.join(', ')})`);
  const missing = families.filter((f) => !existsSync(join(zooDir, f, 'expected.json')));
  if (missing.length > 0) {
    console.log(`exporting ${missing.join(', ')} (scripts/zoo/export_zoo.py; minutes for the large ones)`);
    execFileSync('/usr/bin/python3', ['scripts/zoo/export_zoo.py', ...missing], { cwd: repoRoot, stdio: 'inherit' });
  }
  return families;
}

export function loadZooModel(family: string): ZooModel {
  const onnxPath = join(zooDir, family, 'model.onnx');
  const expected = JSON.parse(readFileSync(join(zooDir, family, 'expected.json'), 'utf8')) as Expected;
  return {
    family,
    name: family,
    version: 'random-v1',
    labels: Array.from({ length: 1000 }, (_, i) => `class-${i}`),
    // ImageNet's evaluation transform, as export_zoo.py made the 224x224 crops (Resize(256), CenterCrop(224)).
    inputSpec: { ...expected.inputSpec, resize: { mode: 'centre-crop', shorterSide: 256 } },
    onnxPath,
    fileBytes: statSync(onnxPath).size,
    parameters: expected.parameters,
    opset: expected.opset,
    logitsStd: expected.logitsStd,
    images: expected.images,
    logits: expected.logits,
  };
}

/**
 * Registers by path (relative to the service's MODEL_DIR, which must be .zoo): the large files
 * are above MAX_BODY_BYTES, which holds multipart uploads.
 */
export async function registerByPath(
  baseUrl: string,
  model: Pick<ZooModel, 'name' | 'family' | 'labels'>,
  version: string,
  inputSpec: InputSpec,
): Promise<void> {
  const body = { name: model.name, version, labels: model.labels, inputSpec, path: `${model.family}/model.onnx` };
  const response = await fetch(`${baseUrl}/v1/models`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) {
    throw new Error(`registering ${model.name} ${version} failed: ${response.status} ${await response.text()}`);
  }
}

export async function retire(baseUrl: string, model: ZooModel, version: string, accepted = [200]): Promise<void> {
  const response = await fetch(`${baseUrl}/v1/models/${model.name}/versions/${version}/retire`, { method: 'POST' });
  if (!accepted.includes(response.status)) throw new Error(`retiring ${model.name} ${version}: ${response.status}`);
}
