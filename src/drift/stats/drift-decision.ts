import { total, validateCountPair, validatePseudocount } from './counts';
import { DEFAULT_KL_THRESHOLD, DEFAULT_PSEUDOCOUNT, minSamplesFor } from './defaults';
import { jensenShannon, klDivergence, psi } from './divergence';
import { expectedNullKl, homogeneityTest } from './null-distribution';

export type DriftState = 'ok' | 'drift' | 'insufficient_data';

export interface SignalAssessmentInput {
  current: readonly number[];
  reference: readonly number[];
  threshold?: number;
  /** Default: defaultMinSamples(reference, threshold): max(300, a bound for a 1e-4 false-alarm rate). */
  minSamples?: number;
  pseudocount?: number;
  /** Optional extra guard: also require the homogeneity p-value < alpha. Off by default (README). */
  alpha?: number;
  /**
   * Counts one image adds to this signal: 1 for brightness, contrast, class and confidence,
   * height*width for a pixel signal. Pixels of one image are strongly correlated, so counts are
   * divided by this and the image is the unit of n. That is conservative: the pixel histogram of
   * n images has a covariance no larger than a multinomial of n draws (law of total variance).
   */
  countsPerImage?: number;
}

export interface SignalAssessment {
  kl: number;
  psi: number;
  js: number;
  /** (k-1)/2 (1/n_ref + 1/n_cur); null when a window is empty. */
  expectedNullKl: number | null;
  /** Pearson homogeneity test on sparse-pooled bins; null when a window is empty. */
  pValue: number | null;
  /** Window sizes in images (counts / countsPerImage). */
  nCurrent: number;
  nReference: number;
  minSamples: number;
  state: DriftState;
}

interface Settings {
  threshold: number;
  minSamples: number;
  pseudocount: number;
  alpha: number | undefined;
  countsPerImage: number;
}

function settingsOf(input: SignalAssessmentInput): Settings {
  const threshold = input.threshold ?? DEFAULT_KL_THRESHOLD;
  const pseudocount = input.pseudocount ?? DEFAULT_PSEUDOCOUNT;
  const alpha = input.alpha;
  const countsPerImage = input.countsPerImage ?? 1;
  if (!(threshold > 0) || !Number.isFinite(threshold))
    throw new RangeError(`threshold must be positive, got ${threshold}`);
  const minSamples = input.minSamples ?? defaultMinSamples(input.reference, threshold);
  if (alpha !== undefined && !(alpha > 0 && alpha <= 1)) throw new RangeError(`alpha must be in (0, 1], got ${alpha}`);
  if (!(countsPerImage > 0) || !Number.isFinite(countsPerImage)) {
    throw new RangeError(`countsPerImage must be positive, got ${countsPerImage}`);
  }
  if (!(minSamples >= 0) || !Number.isFinite(minSamples))
    throw new RangeError(`minSamples must be >= 0, got ${minSamples}`);
  validatePseudocount(pseudocount);
  return { threshold, minSamples, pseudocount, alpha, countsPerImage };
}

/**
 * The window minimum for a reference: bins it leaves empty (the outer bins of a quantile-binned
 * signal, a class it never saw) make the null tail heavier, and the bound then allows for it.
 */
export function defaultMinSamples(reference: readonly number[], threshold = DEFAULT_KL_THRESHOLD): number {
  return minSamplesFor(reference.length, { threshold, emptyReferenceBins: reference.some((c) => c === 0) });
}

/** The rule itself, on numbers already computed (shared with the alert simulation). */
export function signalState(
  kl: number,
  nCurrent: number,
  nReference: number,
  rule: { threshold: number; minSamples: number; alpha?: number },
  pValue: number | null = null,
): DriftState {
  if (nCurrent < rule.minSamples || nReference < rule.minSamples || !(nCurrent > 0 && nReference > 0)) {
    return 'insufficient_data';
  }
  if (kl > rule.threshold && (rule.alpha === undefined || (pValue !== null && pValue < rule.alpha))) return 'drift';
  return 'ok';
}

/**
 * Drift verdict for one signal: `insufficient_data` below minSamples in either window, else
 * `drift` iff KL > threshold (the DESIGN's rule; KL carries practical significance, where a
 * p-value alone flags harmless shifts at large n), else `ok`. The p-value is reported, not used:
 * at the default minSamples KL alone already false-alarms in ~1e-4 of checks, and requiring
 * p < 0.001 as well cost detections in simulation (tail-heavy shifts whose evidence sits in sparse
 * outer bins, which the calibrated test pools away). Pass `alpha` to require both anyway, e.g.
 * with a caller-chosen minSamples below the default.
 */
export function assessSignal(input: SignalAssessmentInput): SignalAssessment {
  validateCountPair(input.current, input.reference);
  const s = settingsOf(input);
  const current = input.current.map((c) => c / s.countsPerImage);
  const reference = input.reference.map((c) => c / s.countsPerImage);
  const nCurrent = total(current);
  const nReference = total(reference);
  const bothObserved = nCurrent > 0 && nReference > 0;
  const kl = klDivergence(current, reference, s.pseudocount);
  const pValue = bothObserved ? homogeneityTest(current, reference).pValue : null;
  const state = signalState(kl, nCurrent, nReference, s, pValue);
  return {
    kl,
    psi: psi(current, reference, s.pseudocount),
    js: jensenShannon(current, reference, s.pseudocount),
    expectedNullKl: bothObserved ? expectedNullKl(current.length, nReference, nCurrent) : null,
    pValue,
    nCurrent,
    nReference,
    minSamples: s.minSamples,
    state,
  };
}

/**
 * One state for a model from its signals' states. `drift` if any counted signal drifts;
 * `insufficient_data` if no counted signal could be assessed (missing ones count as such);
 * otherwise `ok`. Signals not in `countedSignals` are reported but never raise the overall state.
 * Each counted signal adds its own false-alarm chance, so keep the counted set small.
 */
export function overallState(
  signalStates: Readonly<Record<string, DriftState>>,
  countedSignals: readonly string[] = Object.keys(signalStates),
): DriftState {
  return overallStateOf(countedSignals.map((name) => signalStates[name] ?? 'insufficient_data'));
}

/** overallState over the counted signals' states, in any order. */
export function overallStateOf(states: readonly DriftState[]): DriftState {
  if (states.includes('drift')) return 'drift';
  if (states.includes('ok')) return 'ok';
  return 'insufficient_data';
}
