import { Interval, newcombeDifference } from './intervals';

export interface Proportion {
  correct: number;
  n: number;
}

export interface RuleSettings {
  /** Trigger when the baseline exceeds the current accuracy by more than this many points. */
  maxDropPp: number;
  minLabels: number;
  level: number;
}

export interface RuleOutcome {
  /** Baseline minus current accuracy, in percentage points (positive = worse). */
  dropPp: number;
  dropInterval: Interval;
  triggered: boolean;
  reason: string;
}

/** The retraining rule: a drop beyond the threshold, measured on enough labels. */
export function applyRetrainingRule(current: Proportion, baseline: Proportion, settings: RuleSettings): RuleOutcome {
  const diff = newcombeDifference(baseline.correct, baseline.n, current.correct, current.n, settings.level);
  const dropPp = diff.difference * 100;
  const dropInterval = { lower: diff.lower * 100, upper: diff.upper * 100, level: settings.level };
  if (current.n < settings.minLabels) {
    return { dropPp, dropInterval, triggered: false, reason: `only ${current.n} labels (< ${settings.minLabels})` };
  }
  const triggered = dropPp > settings.maxDropPp;
  const verb = triggered ? 'exceeds' : 'within';
  return {
    dropPp,
    dropInterval,
    triggered,
    reason: `accuracy drop of ${dropPp.toFixed(2)} pp ${verb} the ${settings.maxDropPp} pp threshold`,
  };
}
