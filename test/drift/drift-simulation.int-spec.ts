import { join } from 'node:path';
import { referenceFromInputs, Reference } from '../../src/drift/reference-histograms';
import { assessSignal, DEFAULT_MIN_SAMPLES, DriftState, overallState } from '../../src/drift/stats';
import { InferencePool } from '../../src/inference/runtime/inference-pool';
import { computeSignalCounts } from '../../src/inference/runtime/signals';
import { defaultSignalSpecs } from '../../src/inference/runtime/types';
import { digitImages, digitsDir, pixels } from '../support/digits';
import { digitsSpec } from '../support/factories';

/**
 * The drift contract on real data: the digits CNN, a reference from the reference split, and
 * windows of n = minimum-sample-size images drawn from the held-back split, as they are or shifted.
 */
const spec = digitsSpec();
const CHECKS = 400;
const N = DEFAULT_MIN_SAMPLES; // the default window minimum, 322 images

interface Image {
  pixels: Float32Array; // x/255, 64 values
  label: number;
}

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('drift on real digits: false alarms and detection at the minimum sample size', () => {
  // The model runs in the service's own worker pool (onnxruntime's tensors do not cross jest's realm).
  const pool = new InferencePool({ size: 1, providers: ['cpu'], intraOpThreads: 1 });
  let reference: Reference;
  let heldback: Image[];

  async function load(split: 'reference' | 'heldback'): Promise<Image[]> {
    return Promise.all(
      digitImages(split).map(async (image) => ({
        pixels: Float32Array.from(await pixels(image.bytes), (p) => p / 255),
        label: Number(image.label),
      })),
    );
  }

  async function probabilities(tensor: Float32Array, n: number): Promise<Float32Array> {
    return (await pool.run('digits', tensor.slice(), n, false)).probabilities;
  }

  async function check(images: Image[]): Promise<DriftState> {
    const tensor = new Float32Array(images.length * 64);
    images.forEach((image, i) => tensor.set(image.pixels, i * 64));
    const counts = computeSignalCounts(
      tensor,
      await probabilities(tensor, images.length),
      images.length,
      spec,
      reference.signals,
    );
    const states = Object.fromEntries(
      Object.entries(reference.histograms).map(([signal, ref]) => [
        signal,
        assessSignal({
          current: counts[signal],
          reference: ref.counts,
          countsPerImage: signal.startsWith('pixel:') ? 64 : 1,
        }).state,
      ]),
    );
    return overallState(states);
  }

  async function rate(draw: (random: () => number) => Image[], seed: number): Promise<number> {
    const random = mulberry32(seed);
    let drifted = 0;
    for (let i = 0; i < CHECKS; i++) if ((await check(draw(random))) === 'drift') drifted++;
    return drifted / CHECKS;
  }

  const sample = (pool: Image[], random: () => number, n = N) =>
    Array.from({ length: n }, () => pool[Math.floor(random() * pool.length)]);
  const mapPixels = (images: Image[], f: (p: number, random: () => number) => number, random: () => number) =>
    images.map((image) => ({ ...image, pixels: image.pixels.map((p) => Math.min(1, Math.max(0, f(p, random)))) }));

  afterAll(() => pool.close());

  beforeAll(async () => {
    await pool.load('digits', join(digitsDir, 'digits-cnn.onnx'), spec, defaultSignalSpecs(spec, 10));
    const references = await load('reference');
    const tensor = new Float32Array(references.length * 64);
    references.forEach((image, i) => tensor.set(image.pixels, i * 64));
    reference = referenceFromInputs(
      tensor,
      await probabilities(tensor, references.length),
      references.length,
      spec,
      defaultSignalSpecs(spec, 10),
    );
    heldback = await load('heldback');
  });

  it('raises drift in < 1% of checks on unshifted held-back images', async () => {
    const falseAlarms = await rate((random) => sample(heldback, random), 1);
    console.log(`false-alarm rate: ${falseAlarms}`);
    expect(falseAlarms).toBeLessThan(0.01);
  });

  it.each([
    [
      'brightness +0.1 (about 25 grey levels)',
      (images: Image[], random: () => number) => mapPixels(images, (p) => p + 0.1, random),
    ],
    [
      'Gaussian noise, sd 0.1',
      (images: Image[], random: () => number) =>
        mapPixels(images, (p, r) => p + 0.1 * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()), random),
    ],
  ])('detects %s in >= 99% of checks', async (name, shift) => {
    const detected = await rate((random) => shift(sample(heldback, random), random), 2);
    console.log(`${name}: detected in ${detected}`);
    expect(detected).toBeGreaterThanOrEqual(0.99);
  });

  it('detects a class-prior shift (half of the traffic is 0s and 1s) in >= 99% of checks', async () => {
    const lowDigits = heldback.filter((image) => image.label <= 1);
    const detected = await rate(
      (random) => [...sample(lowDigits, random, N / 2), ...sample(heldback, random, N / 2)],
      3,
    );
    console.log(`class-prior shift: detected in ${detected}`);
    expect(detected).toBeGreaterThanOrEqual(0.99);
  });
});
