import { defaultSignalSpecs, InputSpec } from '../inference/runtime/types';
import { ReferenceBatch, referenceFromBatches, referenceFromInputs } from './reference-histograms';

const spec: InputSpec = {
  layout: 'NCHW',
  channels: 3,
  height: 4,
  width: 4,
  scale: 1 / 255,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  output: 'probabilities',
};
const classes = 5;

/** Seeded inputs in [0, 1) and softmax-like rows: enough variety for quantile edges. */
function data(n: number) {
  let seed = 7;
  const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const tensor = Float32Array.from({ length: n * 48 }, next);
  const probabilities = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: classes }, next);
    const sum = row.reduce((a, b) => a + b, 0);
    row.forEach((p, k) => (probabilities[i * classes + k] = p / sum));
  }
  return { tensor, probabilities };
}

describe('issue 14.9: a reference from batches (bounded memory for large references)', () => {
  it('equals the reference from all inputs at once, whatever the batch size', async () => {
    const n = 1000;
    const { tensor, probabilities } = data(n);
    const signals = defaultSignalSpecs(spec, classes);
    const whole = referenceFromInputs(tensor, probabilities, n, spec, signals);
    for (const size of [1, 64, 333, 1000]) {
      async function* batches(): AsyncGenerator<ReferenceBatch> {
        for (let start = 0; start < n; start += size) {
          const count = Math.min(size, n - start);
          yield {
            tensor: tensor.subarray(start * 48, (start + count) * 48),
            probabilities: probabilities.subarray(start * classes, (start + count) * classes),
            n: count,
          };
        }
      }
      expect(await referenceFromBatches(batches, spec, signals)).toEqual(whole);
    }
  });

  it('refuses no batches at all', async () => {
    async function* none(): AsyncGenerator<ReferenceBatch> {}
    await expect(referenceFromBatches(none, spec, defaultSignalSpecs(spec, classes))).rejects.toThrow(/at least one/);
  });
});
