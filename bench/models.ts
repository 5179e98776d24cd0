import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InputSpec } from '../src/inference/runtime/types';
import { repoRoot } from './settings';

export interface BenchModel {
  name: string;
  version: string;
  labels: string[];
  inputSpec: InputSpec;
  onnxPath: string;
}

export const digitsDir = join(repoRoot, 'test', 'fixtures', 'digits');
const mobilenetPath = join(repoRoot, 'bench', 'models', 'mobilenetv2.onnx');

/** Committed fixture: tiny CNN on 8x8 greyscale digits, so serving overhead dominates. */
export function digitsModel(): BenchModel {
  return fromMetadata(join(digitsDir, 'digits-cnn.json'), join(digitsDir, 'digits-cnn.onnx'));
}

/** MobileNetV2 with random weights (compute-bound); exported on first use, it is gitignored. */
export function mobilenetModel(): BenchModel {
  if (!existsSync(mobilenetPath)) {
    console.log('bench/models/mobilenetv2.onnx is missing; exporting it (scripts/fixtures/export_mobilenet.py)');
    execFileSync('/usr/bin/python3', ['scripts/fixtures/export_mobilenet.py'], { cwd: repoRoot, stdio: 'inherit' });
  }
  return fromMetadata(mobilenetPath.replace(/\.onnx$/, '.json'), mobilenetPath);
}

function fromMetadata(jsonPath: string, onnxPath: string): BenchModel {
  const meta = JSON.parse(readFileSync(jsonPath, 'utf8')) as Omit<BenchModel, 'onnxPath'>;
  return { name: meta.name, version: meta.version, labels: meta.labels, inputSpec: meta.inputSpec, onnxPath };
}

/** Registers a model the way clients do: POST /v1/models with multipart `file` + `metadata`. */
export async function registerModel(baseUrl: string, model: BenchModel): Promise<void> {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(model.onnxPath)]), `${model.name}.onnx`);
  const { name, version, labels, inputSpec } = model;
  form.append('metadata', JSON.stringify({ name, version, labels, inputSpec }));
  const response = await fetch(`${baseUrl}/v1/models`, { method: 'POST', body: form });
  if (response.status !== 201) {
    throw new Error(`registering ${name} failed: ${response.status} ${await response.text()}`);
  }
}

export function inputDims(spec: InputSpec): number[] {
  return spec.layout === 'NCHW' ? [spec.channels, spec.height, spec.width] : [spec.height, spec.width, spec.channels];
}

export function inputSize(spec: InputSpec): number {
  return spec.channels * spec.height * spec.width;
}
