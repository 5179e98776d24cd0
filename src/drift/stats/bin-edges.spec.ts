import { binIndex } from '../../inference/runtime/signals';
import { edgesFromHistogram, quantileEdges } from './bin-edges';
import { histogram } from './simulation';

const TOP = (max: number) => max + Math.max(Math.abs(max), 1) * 1e-9;

function expectEdges(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((edge, i) => expect(edge).toBeCloseTo(expected[i], 12));
}

describe('quantileEdges', () => {
  it('places interior edges at numpy-style (type 7) quantiles between min and max', () => {
    // h = 9 j / 5 on the sorted values 1..10: 2.8, 4.6, 6.4, 8.2
    const values = [7, 3, 10, 1, 5, 9, 2, 8, 4, 6];
    expectEdges(quantileEdges(values, 5), [1, 2.8, 4.6, 6.4, 8.2, TOP(10)]);
  });

  it('puts every reference value in an interior bin, equally filled', () => {
    const values = [7, 3, 10, 1, 5, 9, 2, 8, 4, 6];
    expect(histogram(quantileEdges(values, 5), values)).toEqual([0, 2, 2, 2, 2, 2, 0]);
  });

  it('sends values outside the reference range to underflow and overflow', () => {
    const edges = quantileEdges([1, 2, 3, 4], 2);
    expect(binIndex(edges, 0.5)).toBe(0);
    expect(binIndex(edges, 4)).toBe(edges.length - 1);
    expect(binIndex(edges, 4.5)).toBe(edges.length);
  });

  it('collapses tied quantiles, so discrete data get fewer bins', () => {
    // quantiles at 1/4, 2/4, 3/4 are 0, 0 and 1
    const values = [0, 0, 0, 0, 0, 0, 1, 1, 2, 2];
    expectEdges(quantileEdges(values, 4), [0, 1, TOP(2)]);
    expect(histogram(quantileEdges(values, 4), values)).toEqual([0, 6, 4, 0]);
  });

  it('handles a constant reference and negative values', () => {
    expectEdges(quantileEdges([3, 3, 3], 10), [3, TOP(3)]);
    expectEdges(quantileEdges([-4, -2], 2), [-4, -3, TOP(-2)]);
  });

  it('rejects empty input, non-finite values and bad bin counts', () => {
    expect(() => quantileEdges([], 4)).toThrow(RangeError);
    expect(() => quantileEdges([1, NaN], 4)).toThrow(/finite/);
    expect(() => quantileEdges([1, 2], 0)).toThrow(/bins/);
    expect(() => quantileEdges([1, 2], 2.5)).toThrow(/bins/);
  });
});

describe('edgesFromHistogram', () => {
  const fine = [0, 1, 2, 3, 4];

  it('interpolates quantiles linearly inside fine bins and skips empty ones', () => {
    // N=100, targets 25/50/75: 1 + 15/30, 3 + 10/60, 3 + 35/60
    expectEdges(edgesFromHistogram(fine, [0, 10, 30, 0, 60, 0], 4), [0, 1.5, 3 + 10 / 60, 3 + 35 / 60, 4]);
  });

  it('takes the leftmost point when a quantile falls on a gap', () => {
    expectEdges(edgesFromHistogram(fine, [0, 50, 0, 0, 50, 0], 2), [0, 1, 4]);
  });

  it('spans only the occupied range', () => {
    expectEdges(edgesFromHistogram(fine, [0, 0, 100, 0, 0, 0], 4), [1, 1.25, 1.5, 1.75, 2]);
  });

  it('keeps fine underflow/overflow mass outside, at the fine boundary', () => {
    // targets 25/50/75 -> 0 + 5/30, 1, 3 + 25/30
    expectEdges(edgesFromHistogram(fine, [20, 30, 0, 0, 30, 20], 4), [0, 5 / 30, 1, 3 + 25 / 30, 4]);
    expectEdges(edgesFromHistogram(fine, [80, 20, 0, 0, 0, 0], 4), [0, 1]);
  });

  it('agrees with quantileEdges on a fine histogram of the same values', () => {
    const values = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 1000);
    const fineEdges = Array.from({ length: 1001 }, (_, i) => i / 1000);
    const fromRaw = quantileEdges(values, 10);
    const fromHistogram = edgesFromHistogram(fineEdges, histogram(fineEdges, values), 10);
    fromHistogram.forEach((edge, i) => expect(Math.abs(edge - fromRaw[i])).toBeLessThan(2e-3));
  });

  it('rejects mismatched, unsorted or empty histograms', () => {
    expect(() => edgesFromHistogram(fine, [1, 2, 3], 4)).toThrow(/need 6 counts/);
    expect(() => edgesFromHistogram([0, 2, 1], [1, 1, 1, 1], 4)).toThrow(/strictly increasing/);
    expect(() => edgesFromHistogram(fine, [0, 0, 0, 0, 0, 0], 4)).toThrow(/non-empty/);
    expect(() => edgesFromHistogram(fine, [0, -1, 0, 0, 0, 0], 4)).toThrow(/>= 0/);
  });
});
