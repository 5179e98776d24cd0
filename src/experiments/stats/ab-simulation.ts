import { mulberry32, type Random } from '../../drift/stats/seeded-random';
import { ArmCounts, mixtureConfidenceSequence } from './confidence-sequence';
import { decide, Verdict } from './decision-rule';

/**
 * Monte Carlo harness for the A/B rule (the simulation spec and the README's numbers). Labels come
 * in batches of `batch`; each batch gives the challenger exactly round(share·batch) of them (at 50 %
 * the existing spec's alternation), and the interval or the rule is looked at after every batch.
 */
export interface AbScenario {
  pChampion: number;
  pChallenger: number;
  /** Challenger's share of labels, 0..1. */
  share: number;
  /** The run ends when the smaller arm has this many labels. */
  labelsPerArm: number;
  batch?: number;
  level?: number;
  minSamples?: number;
}

/** Binomial(n, p) by inversion, counting the rarer outcome so the loop stays short near 0 and 1. */
export function binomial(random: Random, n: number, p: number): number {
  const q = Math.min(p, 1 - p);
  const ratio = q / (1 - q);
  const u = random();
  let pmf = (1 - q) ** n;
  let cdf = pmf;
  let k = 0;
  while (u > cdf && k < n) {
    pmf *= ((n - k) / (k + 1)) * ratio;
    k++;
    cdf += pmf;
  }
  return p <= 0.5 ? k : n - k;
}

/** Calls `look` after every batch once both arms have minSamples labels; stops when it returns true. */
function run(s: AbScenario, random: Random, look: (champion: ArmCounts, challenger: ArmCounts) => boolean): void {
  const batch = s.batch ?? 100;
  const toChallenger = Math.round(s.share * batch);
  const champion = { correct: 0, n: 0 };
  const challenger = { correct: 0, n: 0 };
  while (Math.min(champion.n, challenger.n) < s.labelsPerArm) {
    challenger.correct += binomial(random, toChallenger, s.pChallenger);
    challenger.n += toChallenger;
    champion.correct += binomial(random, batch - toChallenger, s.pChampion);
    champion.n += batch - toChallenger;
    if (Math.min(champion.n, challenger.n) >= (s.minSamples ?? 100) && look(champion, challenger)) return;
  }
}

/** Fraction of runs in which the confidence sequence EVER excludes the true difference. */
export function everExcludedRate(s: AbScenario, runs: number, seed: number): number {
  const random = mulberry32(seed);
  const truth = s.pChallenger - s.pChampion;
  let excluded = 0;
  for (let r = 0; r < runs; r++) {
    run(s, random, (champion, challenger) => {
      const interval = mixtureConfidenceSequence(champion, challenger, s.level ?? 0.95);
      const misses = interval.lower > truth || interval.upper < truth;
      if (misses) excluded++;
      return misses;
    });
  }
  return excluded / runs;
}

export interface RuleRates {
  promoted: number;
  held: number;
  /** Median labels per arm (the smaller arm) at the decision, over the runs that decided. */
  medianLabelsPerArm: number | null;
}

/** The real decide() rule, margin 0, on every batch; verdicts within labelsPerArm. */
export function ruleRates(s: AbScenario, runs: number, seed: number): RuleRates {
  const random = mulberry32(seed);
  const counts: Record<Verdict, number> = { challenger_better: 0, champion_holds: 0, continue: 0 };
  const labelsAtDecision: number[] = [];
  for (let r = 0; r < runs; r++) {
    let verdict: Verdict = 'continue';
    run(s, random, (champion, challenger) => {
      verdict = decide({
        champion,
        challenger,
        level: s.level ?? 0.95,
        minSamples: s.minSamples ?? 100,
        margin: 0,
      }).verdict;
      if (verdict !== 'continue') labelsAtDecision.push(Math.min(champion.n, challenger.n));
      return verdict !== 'continue';
    });
    counts[verdict]++;
  }
  labelsAtDecision.sort((a, b) => a - b);
  const mid = labelsAtDecision.length >> 1;
  const median =
    labelsAtDecision.length === 0
      ? null
      : labelsAtDecision.length % 2
        ? labelsAtDecision[mid]
        : (labelsAtDecision[mid - 1] + labelsAtDecision[mid]) / 2;
  return { promoted: counts.challenger_better / runs, held: counts.champion_holds / runs, medianLabelsPerArm: median };
}
