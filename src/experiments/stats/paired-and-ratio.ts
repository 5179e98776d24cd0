import { binomialTwoSidedHalf, chiSquare1Sf } from './distributions';

export interface McNemarResult {
  /** Champion right, challenger wrong. */
  championOnly: number;
  /** Challenger right, champion wrong. */
  challengerOnly: number;
  statistic: number;
  pValue: number;
  exact: boolean;
}

/**
 * McNemar's test on the discordant pairs. Below 25 discordant pairs the exact binomial test
 * (statsmodels mcnemar(exact=True)); above, the chi-square with continuity correction
 * (mcnemar(exact=False, correction=True)).
 */
export function mcnemar(championOnly: number, challengerOnly: number): McNemarResult {
  const discordant = championOnly + challengerOnly;
  if (discordant < 25) {
    const pValue = discordant === 0 ? 1 : binomialTwoSidedHalf(Math.min(championOnly, challengerOnly), discordant);
    return { championOnly, challengerOnly, statistic: Math.min(championOnly, challengerOnly), pValue, exact: true };
  }
  const statistic = (Math.abs(championOnly - challengerOnly) - 1) ** 2 / discordant;
  return { championOnly, challengerOnly, statistic, pValue: chiSquare1Sf(statistic), exact: false };
}

export interface SampleRatioCheck {
  observed: [number, number];
  expected: [number, number];
  statistic: number;
  pValue: number;
  mismatch: boolean;
}

/** SRM threshold: a switch is held while the assignment ratio is this unlikely. */
export const SRM_ALPHA = 0.001;

/** Chi-square goodness of fit of the arm counts to the planned share (scipy.stats.chisquare). */
export function sampleRatioCheck(champion: number, challenger: number, challengerShare: number): SampleRatioCheck {
  const total = champion + challenger;
  const expected: [number, number] = [total * (1 - challengerShare), total * challengerShare];
  if (total === 0) return { observed: [0, 0], expected, statistic: 0, pValue: 1, mismatch: false };
  const statistic = (champion - expected[0]) ** 2 / expected[0] + (challenger - expected[1]) ** 2 / expected[1];
  const pValue = chiSquare1Sf(statistic);
  return { observed: [champion, challenger], expected, statistic, pValue, mismatch: pValue < SRM_ALPHA };
}
