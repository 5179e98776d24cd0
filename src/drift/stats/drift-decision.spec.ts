import { DEFAULT_MIN_SAMPLES } from './defaults';
import { klDivergence } from './divergence';
import { assessSignal, overallState, overallStateOf } from './drift-decision';
import { expectedNullKl, homogeneityTest } from './null-distribution';

// 330 images: above the default minimum of 322 for a signal whose reference leaves its outer bins empty.
const REFERENCE = [0, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 0];
const SAME = [0, 34, 32, 33, 33, 35, 31, 33, 33, 34, 32, 0];
const SHIFTED = [0, 6, 11, 17, 22, 28, 33, 38, 50, 60, 65, 0];

describe('assessSignal', () => {
  it('reports KL, PSI, JS, the null KL and the p-value beside an ok verdict', () => {
    const result = assessSignal({ current: SAME, reference: REFERENCE });
    expect(result).toMatchObject({ nCurrent: 330, nReference: 330, minSamples: DEFAULT_MIN_SAMPLES, state: 'ok' });
    expect(result.kl).toBeCloseTo(klDivergence(SAME, REFERENCE, 0.5), 15);
    expect(result.expectedNullKl).toBeCloseTo(expectedNullKl(12, 330, 330), 15);
    expect(result.pValue).toBeCloseTo(homogeneityTest(SAME, REFERENCE).pValue, 15);
    expect(result.psi).toBeGreaterThan(result.kl);
    expect(result.js).toBeLessThan(result.kl);
  });

  it('calls drift when KL exceeds the threshold with enough data', () => {
    const result = assessSignal({ current: SHIFTED, reference: REFERENCE });
    expect(result.kl).toBeGreaterThan(0.15);
    expect(result.state).toBe('drift');
    expect(assessSignal({ current: SHIFTED, reference: REFERENCE, threshold: result.kl }).state).toBe('ok');
  });

  it('refuses a verdict below the minimum sample size in either window', () => {
    const small = SHIFTED.map((c) => Math.round(c / 2));
    expect(assessSignal({ current: small, reference: REFERENCE }).state).toBe('insufficient_data');
    expect(assessSignal({ current: SHIFTED, reference: small }).state).toBe('insufficient_data');
    expect(assessSignal({ current: small, reference: REFERENCE, minSamples: 100 }).state).toBe('drift');
  });

  it("sizes the default minimum for the reference's empty bins and the threshold", () => {
    // Empty outer bins (quantile-binned): 48.2 / 0.15 -> 322; every bin filled: chi-square, floor 300.
    expect(assessSignal({ current: SAME, reference: REFERENCE }).minSamples).toBe(322);
    const filled = REFERENCE.map((c) => c + 1);
    expect(assessSignal({ current: SAME, reference: filled }).minSamples).toBe(300);
    const strict = assessSignal({ current: SAME, reference: REFERENCE, threshold: 0.1 });
    expect(strict).toMatchObject({ minSamples: 482, state: 'insufficient_data' });
  });

  it('applies the optional p-value guard only when alpha is given', () => {
    const result = assessSignal({ current: SHIFTED, reference: REFERENCE, alpha: 1e-300 });
    expect(result.state).toBe('ok');
  });

  it('counts images, not pixels, for pixel signals', () => {
    const pixels = 28 * 28;
    const result = assessSignal({
      current: SHIFTED.map((c) => c * pixels),
      reference: REFERENCE.map((c) => c * pixels),
      countsPerImage: pixels,
    });
    expect(result).toMatchObject({ nCurrent: 330, nReference: 330, state: 'drift' });
    expect(result.kl).toBeCloseTo(assessSignal({ current: SHIFTED, reference: REFERENCE }).kl, 12);
  });

  it('handles empty windows without a p-value', () => {
    const result = assessSignal({ current: new Array<number>(12).fill(0), reference: REFERENCE });
    expect(result).toMatchObject({ state: 'insufficient_data', pValue: null, expectedNullKl: null, nCurrent: 0 });
  });

  it('validates its settings', () => {
    const base = { current: SAME, reference: REFERENCE };
    expect(() => assessSignal({ ...base, threshold: 0 })).toThrow(/threshold/);
    expect(() => assessSignal({ ...base, alpha: 2 })).toThrow(/alpha/);
    expect(() => assessSignal({ ...base, countsPerImage: 0 })).toThrow(/countsPerImage/);
    expect(() => assessSignal({ ...base, minSamples: -1 })).toThrow(/minSamples/);
    expect(() => assessSignal({ ...base, pseudocount: -1 })).toThrow(/pseudocount/);
    expect(() => assessSignal({ current: [1, 2], reference: REFERENCE })).toThrow(/same bins/);
  });
});

describe('overallState', () => {
  it.each([
    [{ a: 'ok', b: 'drift' }, undefined, 'drift'],
    [{ a: 'ok', b: 'insufficient_data' }, undefined, 'ok'],
    [{ a: 'insufficient_data', b: 'insufficient_data' }, undefined, 'insufficient_data'],
    [{}, undefined, 'insufficient_data'],
    [{ a: 'ok', b: 'drift' }, ['a'], 'ok'],
    [{ a: 'ok' }, ['missing'], 'insufficient_data'],
  ] as const)('%j counting %j is %s', (states, counted, expected) => {
    expect(overallState(states, counted)).toBe(expected);
    if (!counted) expect(overallStateOf(Object.values(states))).toBe(expected);
  });
});
