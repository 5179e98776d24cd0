import { factory as binomialFactory } from '@stdlib/random-base-binomial';
import { poissonMeanInterval } from '../../drift/stats/poisson-interval';
import { newcombeDifference } from './intervals';
import { RuleSettings, RuleState, stepRetrainingRule } from './retraining-rule';

/**
 * Monte Carlo harness for the retraining rule (the simulation spec and `npm run sim:retraining`):
 * weekly label counts drawn as Binomial(labels, accuracy), exactly, from a seeded generator.
 */
export type Draw = (n: number, p: number) => number;

export const seededBinomial = (seed: number): Draw => binomialFactory({ seed }) as Draw;

export interface Scenario {
  accuracy: number;
  labelsPerWeek: number;
  settings: RuleSettings;
}

const WEEKS_PER_YEAR = 52.1775;

/** Runs one model's weeks through the rule; returns the week indices (0-based) that fired. */
export function runWeeks(
  draw: Draw,
  scenario: Scenario,
  weeks: number,
  accuracyAt: (week: number) => number,
): number[] {
  let state: RuleState | null = null;
  const fired: number[] = [];
  for (let week = 0; week < weeks; week++) {
    const n = scenario.labelsPerWeek;
    const outcome = stepRetrainingRule(
      state,
      { correct: draw(n, accuracyAt(week)), n, evaluationId: `w${week}` },
      true,
      scenario.settings,
    );
    state = outcome.state;
    if (outcome.triggered) fired.push(week);
  }
  return fired;
}

export interface FalseTriggerRate {
  triggers: number;
  modelYears: number;
  perModelYear: number;
  /** Exact (Garwood) 95% upper bound on the rate per model-year. */
  upper95: number;
}

/** Triggers per model-year when accuracy never changes: `models` models watched for `years` years each. */
export function falseTriggerRate(seed: number, scenario: Scenario, models: number, years: number): FalseTriggerRate {
  const draw = seededBinomial(seed);
  const weeks = Math.round(years * WEEKS_PER_YEAR);
  let triggers = 0;
  for (let m = 0; m < models; m++) triggers += runWeeks(draw, scenario, weeks, () => scenario.accuracy).length;
  const modelYears = (models * weeks) / WEEKS_PER_YEAR;
  return {
    triggers,
    modelYears,
    perModelYear: triggers / modelYears,
    upper95: poissonMeanInterval(triggers)[1] / modelYears,
  };
}

export interface DetectionDelay {
  /** Share of models whose first trigger after the change came within the horizon. */
  caught: number;
  /** Weeks from the change to the trigger (1 = the first week after the change), among those caught. */
  median: number | null;
  p90: number | null;
}

/** A drop of `dropPp` after `stableWeeks` weeks; delay to the first trigger after it, within `horizonWeeks`. */
export function detectionDelay(
  seed: number,
  scenario: Scenario,
  dropPp: number,
  models: number,
  stableWeeks = 26,
  horizonWeeks = 104,
): DetectionDelay {
  const draw = seededBinomial(seed);
  const delays: number[] = [];
  const accuracyAt = (week: number) => scenario.accuracy - (week >= stableWeeks ? dropPp / 100 : 0);
  for (let m = 0; m < models; m++) {
    const first = runWeeks(draw, scenario, stableWeeks + horizonWeeks, accuracyAt).find((w) => w >= stableWeeks);
    if (first !== undefined) delays.push(first - stableWeeks + 1);
  }
  delays.sort((a, b) => a - b);
  const at = (q: number) =>
    delays.length ? delays[Math.min(delays.length - 1, Math.ceil(q * delays.length) - 1)] : null;
  return { caught: delays.length / models, median: at(0.5), p90: at(0.9) };
}

/**
 * The rule before issue 18, for comparison: two independent weeks at the same accuracy (or the
 * second `dropPp` lower); share of pairs where the point drop exceeds maxDropPp, and share where
 * the Newcombe interval of the drop also excludes 0.
 */
export function pointEstimateRule(seed: number, scenario: Scenario, dropPp: number, pairs: number) {
  const draw = seededBinomial(seed);
  const n = scenario.labelsPerWeek;
  let fires = 0;
  let significant = 0;
  for (let i = 0; i < pairs; i++) {
    const baseline = draw(n, scenario.accuracy);
    const current = draw(n, scenario.accuracy - dropPp / 100);
    const drop = newcombeDifference(baseline, n, current, n, scenario.settings.level);
    if (drop.difference * 100 > scenario.settings.maxDropPp) {
      fires++;
      if (drop.lower > 0) significant++;
    }
  }
  return { fires: fires / pairs, significant: significant / pairs };
}

/** Chance that a rule with per-week probability q fires at least once in a year of weekly checks. */
export const yearlyChance = (perWeek: number) => 1 - (1 - perWeek) ** WEEKS_PER_YEAR;
