import { Interval } from '../../evaluation/stats';

export interface ArmCounts {
  correct: number;
  n: number;
}

/** Default mixing variance τ² of the normal mixture: tuned for accuracy differences of a few points. */
export const DEFAULT_MIXTURE_VARIANCE = 0.0025;

/**
 * Always-valid confidence interval for p_challenger - p_champion (Johari et al. 2017, mSPRT with
 * a normal mixture N(0, τ²) over the difference). With V the variance of the observed difference
 * (pooled proportion, as under H0), the interval
 *   d ± sqrt( V(V+τ²)/τ² · (2·ln(1/α) + ln((V+τ²)/V)) )
 * covers the true difference at every sample size at once with probability >= 1-α, so it may
 * be looked at after every label.
 */
export function mixtureConfidenceSequence(
  champion: ArmCounts,
  challenger: ArmCounts,
  level: number,
  mixtureVariance = DEFAULT_MIXTURE_VARIANCE,
): Interval & { difference: number } {
  if (champion.n <= 0 || challenger.n <= 0) throw new RangeError('both arms need at least one label');
  const difference = challenger.correct / challenger.n - champion.correct / champion.n;
  const pooled = (champion.correct + challenger.correct) / (champion.n + challenger.n);
  // A pooled 0 or 1 would make V zero; half a success keeps the boundary finite.
  const total = champion.n + challenger.n;
  const p = Math.min(Math.max(pooled, 0.5 / total), 1 - 0.5 / total);
  const v = p * (1 - p) * (1 / champion.n + 1 / challenger.n);
  const t = mixtureVariance;
  const alpha = 1 - level;
  const half = Math.sqrt(((v * (v + t)) / t) * (2 * Math.log(1 / alpha) + Math.log((v + t) / v)));
  return { difference, lower: difference - half, upper: difference + half, level };
}
