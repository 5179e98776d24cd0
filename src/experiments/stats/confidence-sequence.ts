import { Interval } from '../../evaluation/stats';

export interface ArmCounts {
  correct: number;
  n: number;
}

/** Default mixing variance τ² of the normal mixture: tuned for accuracy differences of a few points. */
export const DEFAULT_MIXTURE_VARIANCE = 0.0025;

/**
 * Successes and failures added to each arm when estimating its variance (Agresti and Coull 1998,
 * "add two successes and two failures"). The plain p̂(1−p̂)/n is smallest exactly when p̂ has drifted
 * towards 1, so at 10/90 shares and accuracies near 0.95 it made the sequence exclude the truth in
 * 8 % of runs; half a label at p̂ = 0 or 1 was not enough (see README.md, "Simulation").
 */
export const VARIANCE_PSEUDOCOUNT = 2;

/** Variance of one arm's observed accuracy, p̃(1−p̃)/n with p̃ = (correct + 2)/(n + 4). */
function armVariance(arm: ArmCounts): number {
  const p = (arm.correct + VARIANCE_PSEUDOCOUNT) / (arm.n + 2 * VARIANCE_PSEUDOCOUNT);
  return (p * (1 - p)) / arm.n;
}

/**
 * Always-valid confidence interval for p_challenger − p_champion (Johari, Pekelis and Walsh 2017,
 * mSPRT with a normal mixture N(0, τ²) over the difference). With V the variance of the observed
 * difference, the sum of the per-arm variances (a pooled accuracy, the variance under "no
 * difference", undercovers when shares and accuracies differ), the interval
 *   d ± sqrt( V(V+τ²)/τ² · (2·ln(1/α) + ln((V+τ²)/V)) )
 * covers the true difference at every sample size at once with probability ≥ 1−α (asymptotically),
 * so it may be looked at after every label.
 */
export function mixtureConfidenceSequence(
  champion: ArmCounts,
  challenger: ArmCounts,
  level: number,
  mixtureVariance = DEFAULT_MIXTURE_VARIANCE,
): Interval & { difference: number } {
  if (champion.n <= 0 || challenger.n <= 0) throw new RangeError('both arms need at least one label');
  const difference = challenger.correct / challenger.n - champion.correct / champion.n;
  const v = armVariance(champion) + armVariance(challenger);
  const t = mixtureVariance;
  const alpha = 1 - level;
  const half = Math.sqrt(((v * (v + t)) / t) * (2 * Math.log(1 / alpha) + Math.log((v + t) / v)));
  return { difference, lower: difference - half, upper: difference + half, level };
}
