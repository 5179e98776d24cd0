import { InvalidSignalSpecError } from './errors';
import { argmaxRows, binIndex, computeSignalCounts, softmax, validateSignalSpecs } from './signals';
import { countsPerImage, defaultSignalSpecs, PIXEL_SAMPLES_PER_IMAGE, type InputSpec, type SignalSpec } from './types';

describe('binIndex', () => {
  const edges = [0, 0.5, 1];
  it.each([
    ['below the first edge', -0.1, 0],
    ['minus infinity', -Infinity, 0],
    ['exactly the first edge', 0, 1],
    ['inside the first interior bin', 0.25, 1],
    ['exactly an interior edge', 0.5, 2],
    ['just below the last edge', 0.99, 2],
    ['exactly the last edge', 1, 3],
    ['above the last edge', 5, 3],
    ['NaN (overflow, no crash)', NaN, 3],
  ])('%s: %p -> bin %p', (_label, value, bin) => {
    expect(binIndex(edges, value)).toBe(bin);
  });

  it('matches a linear scan on the default edges', () => {
    const unit = defaultSignalSpecs(grayscale(), 10)[0].edges;
    for (let v = -0.05; v <= 1.1; v += 0.0125) {
      const linear = unit.filter((e) => v >= e).length;
      expect(binIndex(unit, v)).toBe(linear);
    }
  });
});

describe('defaultSignalSpecs', () => {
  it('names per-channel signals then class and confidence', () => {
    const rgb: InputSpec = { ...grayscale(), channels: 3, mean: [0, 0, 0], std: [1, 1, 1] };
    expect(defaultSignalSpecs(rgb, 5).map((s) => s.name)).toEqual([
      'pixel:c0',
      'brightness:c0',
      'contrast:c0',
      'pixel:c1',
      'brightness:c1',
      'contrast:c1',
      'pixel:c2',
      'brightness:c2',
      'contrast:c2',
      'class',
      'confidence',
    ]);
  });

  it('uses 20 equal-width bins over [0,1] (contrast [0,0.5]) with a nudged top edge', () => {
    const [pixel, , contrast, cls, confidence] = defaultSignalSpecs(grayscale(), 10);
    expect(pixel.edges).toHaveLength(21);
    expect(pixel.edges.slice(0, 4)).toEqual([0, 0.05, 0.1, 0.15]);
    expect(pixel.edges[20]).toBe(1 + 1e-9);
    expect(binIndex(pixel.edges, 1)).toBe(20); // last interior bin, not overflow
    expect(binIndex(pixel.edges, 0)).toBe(1);
    expect(binIndex(pixel.edges, 0.05)).toBe(2);
    expect(contrast.edges[1]).toBe(0.025);
    expect(contrast.edges[20]).toBe(0.5 + 1e-9);
    expect(cls.edges).toEqual([]);
    expect(confidence.edges).toEqual(pixel.edges);
  });

  it('rejects a non-positive class count', () => {
    expect(() => defaultSignalSpecs(grayscale(), 0)).toThrow(RangeError);
  });
});

describe('softmax and argmaxRows', () => {
  it.each([
    ['equal logits', [0, 0], [0.5, 0.5]],
    ['huge logits stay finite', [1000, 1000, 1000, 1000], [0.25, 0.25, 0.25, 0.25]],
    ['log-ratio', [Math.log(3), 0], [0.75, 0.25]],
  ])('%s', (_label, logits, expected) => {
    const out = softmax(Float32Array.from(logits), 1);
    expected.forEach((p, i) => expect(out[i]).toBeCloseTo(p, 6));
  });

  it('normalises each row separately and leaves the input untouched', () => {
    const logits = Float32Array.from([1, 2, 3, -5, 0, 5]);
    const out = softmax(logits, 2);
    expect(out[0] + out[1] + out[2]).toBeCloseTo(1, 6);
    expect(out[3] + out[4] + out[5]).toBeCloseTo(1, 6);
    expect(logits[0]).toBe(1);
  });

  it('picks the first maximum per row', () => {
    expect(argmaxRows(Float32Array.from([0.1, 0.7, 0.2, 0.4, 0.2, 0.4]), 2)).toEqual([1, 0]);
  });

  it('rejects rows that do not divide the data', () => {
    expect(() => softmax(new Float32Array(5), 2)).toThrow(RangeError);
  });
});

describe('computeSignalCounts', () => {
  // 2 images, 3 channels, 1x2 pixels. Intensities (x*std+mean):
  //   img0 c0 [0, 0.5]   c1 [0.25, 0.25]   c2 [1.5, 0.25]
  //   img1 c0 [1, 1]     c1 [-0.5, 0.75]   c2 [0.25, 0.25]
  // Channel 1 has mean 0.5, std 0.5, so x = 2v - 1.
  const spec: InputSpec = {
    layout: 'NCHW',
    channels: 3,
    height: 1,
    width: 2,
    scale: 1,
    mean: [0, 0.5, 0],
    std: [1, 0.5, 1],
    output: 'probabilities',
  };
  const nchw = Float32Array.from([0, 0.5, -0.5, -0.5, 1.5, 0.25, 1, 1, -2, 0.5, 0.25, 0.25]);
  const nhwc = Float32Array.from([0, -0.5, 1.5, 0.5, -0.5, 0.25, 1, -2, 0.25, 1, 0.5, 0.25]);
  const probabilities = Float32Array.from([0.125, 0.75, 0.125, 0.5, 0.25, 0.25]);
  const unit = [0, 0.5, 1];
  const signals: SignalSpec[] = [
    { name: 'pixel:c0', kind: 'pixel', channel: 0, edges: unit },
    { name: 'pixel:c1', kind: 'pixel', channel: 1, edges: unit },
    { name: 'brightness:c0', kind: 'brightness', channel: 0, edges: unit },
    { name: 'brightness:c1', kind: 'brightness', channel: 1, edges: unit },
    { name: 'pixel:c2', kind: 'pixel', channel: 2, edges: unit },
    { name: 'brightness:c2', kind: 'brightness', channel: 2, edges: unit },
    { name: 'contrast:c0', kind: 'contrast', channel: 0, edges: [0, 0.25, 0.5] },
    { name: 'contrast:c1', kind: 'contrast', channel: 1, edges: [0, 0.25, 0.5] },
    { name: 'class', kind: 'class', edges: [] },
    { name: 'confidence', kind: 'confidence', edges: [0.5, 0.75] },
  ];
  const expected = {
    'pixel:c0': [0, 1, 1, 2], // 0 on an edge -> bin 1, 0.5 -> bin 2, 1 -> overflow twice
    'pixel:c1': [1, 2, 1, 0], // -0.5 underflow
    'brightness:c0': [0, 1, 0, 1], // means 0.25, 1
    'brightness:c1': [0, 2, 0, 0], // means 0.25, 0.125
    'pixel:c2': [0, 3, 0, 1], // 1.5 overflow
    'brightness:c2': [0, 1, 1, 0], // means 0.875, 0.25
    'contrast:c0': [0, 1, 1, 0], // std 0.25 (on an edge), 0
    'contrast:c1': [0, 1, 0, 1], // std 0, 0.625
    class: [1, 1, 0], // argmax 1, 0
    confidence: [0, 1, 1], // 0.75 on the last edge, 0.5 on the first
  };

  it.each([
    ['NCHW', 'NCHW' as const, nchw],
    ['NHWC', 'NHWC' as const, nhwc],
  ])('counts every signal over the batch (%s)', (_label, layout, input) => {
    expect(computeSignalCounts(input, probabilities, 2, { ...spec, layout }, signals)).toEqual(expected);
  });

  it('counts a NaN intensity in the overflow bin', () => {
    const input = Float32Array.from([NaN, 0.25]);
    const gray = grayscale(1, 2);
    const counts = computeSignalCounts(input, Float32Array.from([1]), 1, gray, [
      { name: 'pixel:c0', kind: 'pixel', channel: 0, edges: unit },
      { name: 'brightness:c0', kind: 'brightness', channel: 0, edges: unit },
    ]);
    expect(counts).toEqual({ 'pixel:c0': [0, 1, 0, 1], 'brightness:c0': [0, 0, 0, 1] });
  });

  it('sums to the expected totals with the default signals', () => {
    const gray = grayscale(8, 8);
    const n = 3;
    const input = Float32Array.from({ length: n * 64 }, (_, i) => (i % 17) / 16);
    const probs = softmax(
      Float32Array.from({ length: n * 10 }, (_, i) => i % 7),
      n,
    );
    const counts = computeSignalCounts(input, probs, n, gray, defaultSignalSpecs(gray, 10));
    const total = (name: string) => counts[name].reduce((a, b) => a + b, 0);
    expect(total('pixel:c0')).toBe(n * 64);
    expect(total('brightness:c0')).toBe(n);
    expect(total('contrast:c0')).toBe(n);
    expect(total('class')).toBe(n);
    expect(total('confidence')).toBe(n);
    expect(counts['pixel:c0'][0]).toBe(0); // intensities are in [0,1]: no underflow
    expect(counts['pixel:c0'][21]).toBe(0); // nor overflow, 1.0 included
  });

  it('counts every stride-th pixel of a sampled pixel signal, brightness over every pixel', () => {
    const gray = grayscale(1, 7);
    // Raster positions 0, 3 and 6 are sampled: intensities 0.1, 0.9, 0.9; the others are 0.6.
    const input = Float32Array.from([0.1, 0.6, 0.6, 0.9, 0.6, 0.6, 0.9]);
    const counts = computeSignalCounts(input, Float32Array.from([1]), 1, gray, [
      { name: 'pixel:c0', kind: 'pixel', channel: 0, edges: [0.5], stride: 3 },
      { name: 'brightness:c0', kind: 'brightness', channel: 0, edges: [0.5] },
    ]);
    expect(counts).toEqual({ 'pixel:c0': [1, 2], 'brightness:c0': [0, 1] });
    expect(countsPerImage(gray, { kind: 'pixel', stride: 3 })).toBe(3);
  });

  it('samples at most PIXEL_SAMPLES_PER_IMAGE pixels of a large image by default, every pixel of a small one', () => {
    const rgb: InputSpec = { ...spec, channels: 3, height: 224, width: 224, mean: [0, 0, 0], std: [1, 1, 1] };
    const large = defaultSignalSpecs(rgb, 1000).filter((s) => s.kind === 'pixel');
    expect(large.map((s) => s.stride)).toEqual([13, 13, 13]); // ceil(50,176 / 4,096)
    expect(countsPerImage(rgb, large[0])).toBe(3860);
    expect(countsPerImage(rgb, large[0])).toBeLessThanOrEqual(PIXEL_SAMPLES_PER_IMAGE);
    const input = new Float32Array(3 * 224 * 224).fill(0.5);
    const counts = computeSignalCounts(input, Float32Array.from([1]), 1, rgb, large);
    expect(counts['pixel:c1'].reduce((a, b) => a + b, 0)).toBe(3860);
    const small = defaultSignalSpecs(grayscale(8, 8), 10).find((s) => s.kind === 'pixel')!;
    expect(small.stride).toBeUndefined();
    expect(countsPerImage(grayscale(8, 8), small)).toBe(64);
  });

  it('refuses a stride that is not a positive integer, or on another kind of signal', () => {
    const gray = grayscale(2, 2);
    const pixel = { name: 'pixel:c0', kind: 'pixel' as const, channel: 0, edges: [0.5] };
    expect(() => validateSignalSpecs([{ ...pixel, stride: 0 }], gray)).toThrow(/stride/);
    expect(() => validateSignalSpecs([{ ...pixel, stride: 1.5 }], gray)).toThrow(/stride/);
    expect(() => validateSignalSpecs([{ ...pixel, kind: 'brightness', stride: 2 }], gray)).toThrow(/stride/);
    expect(() => validateSignalSpecs([{ ...pixel, stride: 2 }], gray)).not.toThrow();
  });

  it('rejects input of the wrong size', () => {
    expect(() => computeSignalCounts(new Float32Array(3), probabilities, 2, spec, signals)).toThrow(RangeError);
  });
});

describe('validateSignalSpecs', () => {
  const rgb: InputSpec = { ...grayscale(), channels: 3, mean: [0, 0, 0], std: [1, 1, 1] };
  it.each<[string, SignalSpec[]]>([
    ['unsorted edges', [{ name: 'p', kind: 'pixel', channel: 0, edges: [0, 1, 0.5] }]],
    ['duplicate edges', [{ name: 'p', kind: 'pixel', channel: 0, edges: [0, 0] }]],
    ['no edges', [{ name: 'p', kind: 'confidence', edges: [] }]],
    ['missing channel on RGB', [{ name: 'p', kind: 'brightness', edges: [0, 1] }]],
    ['channel out of range', [{ name: 'p', kind: 'pixel', channel: 3, edges: [0, 1] }]],
    ['class with edges', [{ name: 'c', kind: 'class', edges: [1] }]],
    [
      'duplicate names',
      [
        { name: 'c', kind: 'class', edges: [] },
        { name: 'c', kind: 'class', edges: [] },
      ],
    ],
  ])('rejects %s', (_label, signals) => {
    expect(() => validateSignalSpecs(signals, rgb)).toThrow(InvalidSignalSpecError);
  });

  it('accepts the defaults and a grayscale signal without channel', () => {
    expect(() => validateSignalSpecs(defaultSignalSpecs(rgb, 3), rgb)).not.toThrow();
    expect(() => validateSignalSpecs([{ name: 'p', kind: 'pixel', edges: [0] }], grayscale())).not.toThrow();
  });
});

function grayscale(height = 8, width = 8): InputSpec {
  return { layout: 'NCHW', channels: 1, height, width, scale: 1 / 255, mean: [0], std: [1], output: 'logits' };
}
