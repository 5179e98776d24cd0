import { join } from 'node:path';
import sharp from 'sharp';
import { imagesDir, ZooModel } from './zoo-models';

export interface Equivalence {
  /** max |service - PyTorch| over every logit of every image (the pass-through registration). */
  maxLogitDiff: number;
  /** max |log p_service - log_softmax(PyTorch)| (the real registration, which answers softmax). */
  maxLogProbDiff: number;
  /** Images whose top-1 class is the same in both. */
  top1Agree: number;
  images: number;
}

/** The 224x224 PNGs PyTorch was given, decoded to NCHW uint8 (PNG is lossless: the same bytes). */
export async function photoTensor(model: ZooModel): Promise<number[]> {
  const plane = 224 * 224;
  const out: number[] = [];
  for (const image of model.images) {
    const { data, info } = await sharp(join(imagesDir, `${image}-224.png`))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.width !== 224 || info.height !== 224 || info.channels !== 3) throw new Error(`${image}: not 224x224 RGB`);
    const chw = new Array<number>(3 * plane);
    for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) chw[c * plane + p] = data[p * 3 + c];
    for (const v of chw) out.push(v);
  }
  return out;
}

/**
 * One OIP v2 infer of the photographs as a UINT8 tensor: the service normalises them with the
 * version's input spec (exactly as it does image pixels) and runs the model. Returns the FP32
 * rows of the model's output.
 */
export async function inferRows(
  baseUrl: string,
  model: ZooModel,
  version: string,
  pixels: number[],
): Promise<number[][]> {
  const n = model.images.length;
  const body = {
    inputs: [{ name: 'input', shape: [n, 3, 224, 224], datatype: 'UINT8', data: pixels }],
    outputs: [{ name: 'logits' }],
  };
  const response = await fetch(`${baseUrl}/v2/models/${model.name}/versions/${version}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200)
    throw new Error(`infer ${model.name} ${version}: ${response.status} ${await response.text()}`);
  const answer = (await response.json()) as { outputs: Array<{ name: string; shape: number[]; data: number[] }> };
  const output = answer.outputs.find((o) => o.name === 'logits');
  if (!output || output.shape[0] !== n || output.shape[1] !== 1000)
    throw new Error(`infer ${model.name}: no [${n},1000] logits`);
  return Array.from({ length: n }, (_, i) => output.data.slice(i * 1000, (i + 1) * 1000));
}

/** log_softmax in float64, the numerically stable way. */
export function logSoftmax(row: number[]): number[] {
  const max = Math.max(...row);
  const logSum = Math.log(row.reduce((sum, v) => sum + Math.exp(v - max), 0)) + max;
  return row.map((v) => v - logSum);
}

export function maxAbsDiff(a: number[][], b: number[][]): number {
  let worst = 0;
  a.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j])))));
  return worst;
}

const argmax = (row: number[]) => row.reduce((best, v, i) => (v > row[best] ? i : best), 0);

export function compare(model: ZooModel, rawLogits: number[][], probabilities: number[][]): Equivalence {
  const torchLogProbs = model.logits.map(logSoftmax);
  const serviceLogProbs = probabilities.map((row) => row.map(Math.log));
  return {
    maxLogitDiff: maxAbsDiff(rawLogits, model.logits),
    maxLogProbDiff: maxAbsDiff(serviceLogProbs, torchLogProbs),
    top1Agree: probabilities.filter((row, i) => argmax(row) === argmax(model.logits[i])).length,
    images: model.images.length,
  };
}
