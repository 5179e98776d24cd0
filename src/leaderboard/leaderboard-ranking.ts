import { Interval, wilsonInterval } from '../evaluation/stats';
import { mcnemar, McNemarResult } from '../experiments/stats/paired-and-ratio';
import { SIGNIFICANCE } from './defaults';

/** One version's answer on one item of the set, paired by position across versions. */
export interface ItemOutcome {
  /** Classes scored above the true label: 0 is a right top-1 answer. */
  labelRank: number;
}

export interface Accuracy {
  correct: number;
  accuracy: number;
  interval: Interval;
}

export interface Speed {
  batch1: { runs: number; p50Ms: number; p99Ms: number; meanMs: number };
  batch32: { runs: number; meanMs: number; imagesPerSecond: number };
}

export interface VersionFacts {
  id: string;
  version: string;
  role: string;
  kind: 'plain' | 'variant' | 'ensemble';
  variantOf: string | null;
  members: string[] | null;
  labels: number;
  fileBytes: number;
  parameters: number;
  provider: string | null;
}

export interface LeaderboardEntry extends VersionFacts {
  rank: number;
  champion: boolean;
  n: number;
  top1: Accuracy;
  /** Null where the model has fewer than 5 labels. */
  top5: Accuracy | null;
  /** Null for the champion itself (or when there is none). */
  vsChampion: McNemarResult | null;
  speed: Speed;
}

export interface Recommendation {
  latencyBudgetMs: number | null;
  /** What the budget is compared with. */
  basis: 'p99 latency at batch 1';
  version: string | null;
  champion: boolean;
  reason: string;
}

const TOP5 = 5;

function accuracy(outcomes: ItemOutcome[], within: number): Accuracy {
  const correct = outcomes.filter((o) => o.labelRank < within).length;
  return { correct, accuracy: correct / outcomes.length, interval: wilsonInterval(correct, outcomes.length) };
}

/** Nearest-rank percentile (the smallest time at or above a share q of the runs). */
export function percentile(times: number[], q: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

export function speedOf(batch1: number[], batch32: number[]): Speed {
  const mean = (t: number[]) => t.reduce((a, b) => a + b, 0) / t.length;
  return {
    batch1: {
      runs: batch1.length,
      p50Ms: percentile(batch1, 0.5),
      p99Ms: percentile(batch1, 0.99),
      meanMs: mean(batch1),
    },
    batch32: { runs: batch32.length, meanMs: mean(batch32), imagesPerSecond: (32 * 1000) / mean(batch32) },
  };
}

/**
 * Every version on the same items, ranked by top-1 accuracy (then p99 latency); McNemar pairs
 * each with the champion item by item (championOnly = champion right, this version wrong).
 */
export function rankVersions(
  versions: Array<{ facts: VersionFacts; outcomes: ItemOutcome[]; speed: Speed }>,
): LeaderboardEntry[] {
  const champion = versions.find((v) => v.facts.role === 'champion');
  const entries = versions.map(({ facts, outcomes, speed }) => {
    const isChampion = facts.id === champion?.facts.id;
    let vsChampion: McNemarResult | null = null;
    if (champion && !isChampion) {
      let championOnly = 0;
      let challengerOnly = 0;
      outcomes.forEach((o, i) => {
        const mine = o.labelRank === 0;
        const theirs = champion.outcomes[i].labelRank === 0;
        championOnly += +(theirs && !mine);
        challengerOnly += +(mine && !theirs);
      });
      vsChampion = mcnemar(championOnly, challengerOnly);
    }
    return {
      ...facts,
      rank: 0,
      champion: isChampion,
      n: outcomes.length,
      top1: accuracy(outcomes, 1),
      top5: facts.labels >= TOP5 ? accuracy(outcomes, TOP5) : null,
      vsChampion,
      speed,
    };
  });
  entries.sort((a, b) => b.top1.accuracy - a.top1.accuracy || a.speed.batch1.p99Ms - b.speed.batch1.p99Ms);
  entries.forEach((e, i) => (e.rank = i + 1));
  return entries;
}

/**
 * The most accurate version within the budget (p99 at batch 1) whose advantage over the champion
 * is significant (higher top-1 accuracy and McNemar p < SIGNIFICANCE); otherwise the champion.
 */
export function recommend(entries: LeaderboardEntry[], budgetMs: number | null): Recommendation {
  const base = { latencyBudgetMs: budgetMs, basis: 'p99 latency at batch 1' as const };
  const fits = (e: LeaderboardEntry) => budgetMs === null || e.speed.batch1.p99Ms <= budgetMs;
  const champion = entries.find((e) => e.champion);
  if (!champion) return { ...base, version: null, champion: false, reason: 'the model has no live champion' };
  const better = entries
    .filter((e) => !e.champion && fits(e) && e.top1.accuracy > champion.top1.accuracy)
    .filter((e) => e.vsChampion !== null && e.vsChampion.pValue < SIGNIFICANCE);
  const best = better[0]; // entries are ranked by accuracy already
  if (best) {
    const gain = ((best.top1.accuracy - champion.top1.accuracy) * 100).toFixed(2);
    return {
      ...base,
      version: best.version,
      champion: false,
      reason:
        `the most accurate version within the budget that beats the champion significantly: +${gain} pp top-1 ` +
        `over ${champion.version}, McNemar p = ${best.vsChampion!.pValue.toPrecision(3)}`,
    };
  }
  const within = entries.filter((e) => !e.champion && fits(e));
  const why =
    within.length === 0
      ? 'no other version is within the budget'
      : `none of the ${within.length} other versions within the budget is significantly more accurate ` +
        `(higher top-1 and McNemar p < ${SIGNIFICANCE})`;
  const over = fits(champion)
    ? ''
    : `; the champion itself is over the budget (p99 ${champion.speed.batch1.p99Ms.toFixed(3)} ms)`;
  return { ...base, version: champion.version, champion: true, reason: `keep the champion: ${why}${over}` };
}
