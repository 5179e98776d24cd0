import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Reference, referenceFromInputs } from '../../src/drift/reference-histograms';
import { assessSignal } from '../../src/drift/stats';
import { mulberry32 } from '../../src/drift/stats/seeded-random';
import { wilsonInterval } from '../../src/evaluation/stats';
import { InferencePool } from '../../src/inference/runtime/inference-pool';
import { argmaxRows, computeSignalCounts } from '../../src/inference/runtime/signals';
import { defaultSignalSpecs } from '../../src/inference/runtime/types';
import { BOOTSTRAP_REPLICATES, BOOTSTRAP_SEED } from '../../src/performance/defaults';
import { bootstrapCurves, calibrate, CalibrationModel, estimateAccuracy } from '../../src/performance/stats';
import { digitImages, digitsDir, pixels } from '../support/digits';
import { digitsSpec } from '../support/factories';

/**
 * Issue 16.3, measured: the digits CNN calibrated on the reference split, then the held-back split
 * as it is and under the shifts of the drift simulation (and two a camera could make). Per shift:
 * realised accuracy from the labels, the estimate from the confidence histogram alone, and whether
 * the service would call it reliable (no input signal drifting against the reference). The table
 * printed here is the one in README "Estimated accuracy"; the test fails if they differ.
 */
const spec = digitsSpec();
const PIXELS = 64;

interface Image {
  pixels: Float32Array;
  label: number;
}

type Shift = (images: Image[]) => Image[];

const mapPixels = (images: Image[], f: (p: number) => number): Image[] =>
  images.map((image) => ({ ...image, pixels: image.pixels.map((p) => Math.min(1, Math.max(0, f(p)))) }));

function gaussianNoise(sd: number): Shift {
  return (images) => {
    const random = mulberry32(16);
    const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return mapPixels(images, (p) => p + sd * normal());
  };
}

const SHIFTS: Array<[string, Shift]> = [
  ['none', (images) => images],
  ['brightness +0.1', (images) => mapPixels(images, (p) => p + 0.1)],
  ['brightness +0.3 (washed out)', (images) => mapPixels(images, (p) => p + 0.3)],
  ['Gaussian noise, sd 0.1', gaussianNoise(0.1)],
  ['Gaussian noise, sd 0.3', gaussianNoise(0.3)],
  [
    'class prior: half 0s and 1s',
    (images) => [...images.filter((i) => i.label <= 1), ...images].slice(0, images.length),
  ],
  ['inverted (1 - pixel)', (images) => mapPixels(images, (p) => 1 - p)],
];

describe('estimated vs realised accuracy under shift (README table)', () => {
  const pool = new InferencePool({ size: 1, providers: ['cpu'], intraOpThreads: 1 });
  let reference: Reference;
  let calibration: CalibrationModel;
  let heldback: Image[];

  async function load(split: 'reference' | 'heldback'): Promise<Image[]> {
    return Promise.all(
      digitImages(split).map(async (image) => ({
        pixels: Float32Array.from(await pixels(image.bytes), (p) => p / 255),
        label: Number(image.label),
      })),
    );
  }

  async function run(images: Image[]) {
    const tensor = new Float32Array(images.length * PIXELS);
    images.forEach((image, i) => tensor.set(image.pixels, i * PIXELS));
    const probabilities = (await pool.run('digits', tensor.slice(), images.length, false)).probabilities;
    return { tensor, probabilities, predicted: argmaxRows(probabilities, images.length) };
  }

  beforeAll(async () => {
    await pool.load('digits', join(digitsDir, 'digits-cnn.onnx'), spec, defaultSignalSpecs(spec, 10));
    const references = await load('reference');
    const scored = await run(references);
    reference = referenceFromInputs(
      scored.tensor,
      scored.probabilities,
      references.length,
      spec,
      defaultSignalSpecs(spec, 10),
    );
    const points = {
      confidence: scored.predicted.map((c, i) => scored.probabilities[i * 10 + c]),
      correct: scored.predicted.map((c, i) => c === references[i].label),
    };
    calibration = {
      curve: calibrate(points).fit,
      replicates: bootstrapCurves(points, BOOTSTRAP_REPLICATES, BOOTSTRAP_SEED),
      sortedConfidences: [...points.confidence].sort((a, b) => a - b),
    };
    heldback = await load('heldback');
  });
  afterAll(() => pool.close());

  async function row(name: string, shift: Shift) {
    const images = shift(heldback);
    const scored = await run(images);
    const counts = computeSignalCounts(scored.tensor, scored.probabilities, images.length, spec, reference.signals);
    const correct = scored.predicted.filter((c, i) => c === images[i].label).length;
    const confidence = reference.histograms.confidence;
    const estimate = estimateAccuracy([{ edges: confidence.edges, counts: counts.confidence }], calibration, 0.95)!;
    const drifting = Object.entries(reference.histograms)
      .filter(([signal]) => /^(pixel|brightness|contrast):/.test(signal))
      .filter(([signal, ref]) => {
        const countsPerImage = signal.startsWith('pixel:') ? PIXELS : 1;
        return assessSignal({ current: counts[signal], reference: ref.counts, countsPerImage }).state === 'drift';
      })
      .map(([signal]) => signal);
    return { name, n: images.length, correct, estimate, drifting };
  }

  it('matches README, and flags every shift of the inputs as unreliable', async () => {
    const rows = [];
    for (const [name, shift] of SHIFTS) rows.push(await row(name, shift));
    const pct = (x: number) => (x * 100).toFixed(1);
    const lines = [
      '| Shift (599 held-back digits) | Realised [95% Wilson] | Estimated [95% interval] | Binning bounds | Reliable |',
      '| --- | --- | --- | --- | --- |',
      ...rows.map((r) => {
        const w = wilsonInterval(r.correct, r.n);
        const e = r.estimate;
        const reliable = r.drifting.length === 0 ? 'yes' : `no (${r.drifting.join(', ')})`;
        return (
          `| ${r.name} | ${pct(r.correct / r.n)} [${pct(w.lower)}, ${pct(w.upper)}] | ${pct(e.accuracy)} ` +
          `[${pct(e.interval.lower)}, ${pct(e.interval.upper)}] | ${pct(e.binningBounds.lower)}-${pct(e.binningBounds.upper)} | ${reliable} |`
        );
      }),
    ];
    console.log(lines.join('\n'));
    const byName = new Map(rows.map((r) => [r.name, r]));
    const none = byName.get('none')!;
    expect(none.drifting).toEqual([]);
    expect(none.correct / none.n).toBeGreaterThan(none.estimate.interval.lower);
    expect(none.correct / none.n).toBeLessThan(none.estimate.interval.upper);
    for (const name of ['brightness +0.3 (washed out)', 'Gaussian noise, sd 0.3', 'inverted (1 - pixel)']) {
      expect([name, byName.get(name)!.drifting.length > 0]).toEqual([name, true]);
    }
    // Prettier pads README tables: compare cells, not spacing.
    const cells = (text: string) => text.replace(/ *\| */g, '|').replace(/-{3,}/g, '---');
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(cells(readme)).toContain(cells(lines.join('\n')));
  });
});
