import { Interval } from '../../evaluation/stats';
import { ArmCounts, mixtureConfidenceSequence } from './confidence-sequence';

export type Verdict = 'challenger_better' | 'champion_holds' | 'continue';

export interface DecisionInput {
  champion: ArmCounts;
  challenger: ArmCounts;
  level: number;
  minSamples: number;
  /** Least improvement (accuracy, 0..1) the challenger must show to be promoted. */
  margin: number;
  mixtureVariance?: number;
}

export interface DecisionOutcome {
  verdict: Verdict;
  reason: 'min_samples' | 'above_margin' | 'below_zero' | 'undecided';
  interval: (Interval & { difference: number }) | null;
}

/**
 * The rule: nothing before both arms have minSamples labels; then promote when the always-valid
 * interval's lower bound is above the margin, stop when its upper bound is below zero.
 */
export function decide(input: DecisionInput): DecisionOutcome {
  if (input.champion.n < input.minSamples || input.challenger.n < input.minSamples)
    return { verdict: 'continue', reason: 'min_samples', interval: null };
  const interval = mixtureConfidenceSequence(input.champion, input.challenger, input.level, input.mixtureVariance);
  if (interval.lower > input.margin) return { verdict: 'challenger_better', reason: 'above_margin', interval };
  if (interval.upper < 0) return { verdict: 'champion_holds', reason: 'below_zero', interval };
  return { verdict: 'continue', reason: 'undecided', interval };
}
