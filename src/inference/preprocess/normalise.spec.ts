import type { InputSpec } from '../runtime/types';
import { hwcToTensor, normaliseInLayout } from './normalise';

const spec = (over: Partial<InputSpec>): InputSpec => ({
  layout: 'NCHW',
  channels: 3,
  height: 1,
  width: 2,
  scale: 1,
  mean: [0, 100, 0],
  std: [1, 10, 2],
  output: 'logits',
  ...over,
});

describe('normalise', () => {
  // Two pixels, three channels: c0 = [1, 2], c1 = [110, 120], c2 = [4, 6].
  it.each([
    ['NHWC', [1, 110, 4, 2, 120, 6], [1, 1, 2, 2, 2, 3]],
    ['NCHW', [1, 110, 4, 2, 120, 6], [1, 2, 1, 2, 2, 3]],
  ] as const)('hwcToTensor lays out %s', (layout, raw, expected) => {
    expect(Array.from(hwcToTensor(raw, spec({ layout })))).toEqual(expected);
  });

  it.each([
    ['NHWC', [1, 110, 4, 2, 120, 6, 3, 130, 8, 4, 140, 10], [1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5]],
    ['NCHW', [1, 2, 110, 120, 4, 6, 3, 4, 130, 140, 8, 10], [1, 2, 1, 2, 2, 3, 3, 4, 3, 4, 4, 5]],
  ] as const)('normaliseInLayout handles a batch of 2 in %s', (layout, values, expected) => {
    expect(Array.from(normaliseInLayout(values, spec({ layout })))).toEqual(expected);
  });

  it.each([
    ['mean/std count', { mean: [0] }, /3 channels but 1 means/],
    ['raw size', {}, /expected 6 raw values/],
  ])('rejects a bad %s', (_name, over, message) => {
    expect(() => hwcToTensor([1, 2, 3], spec(over))).toThrow(message);
  });
});
