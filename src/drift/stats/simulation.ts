import { factory as binomialFactory } from '@stdlib/random-base-binomial';
import { binIndex } from '../../inference/runtime/signals';
import { quantileEdges } from './bin-edges';
import { DEFAULT_QUANTILE_BINS } from './defaults';
import { klDivergence } from './divergence';
import { assessSignal, signalState, type DriftState } from './drift-decision';
import { categorical, draw, mulberry32, type Random } from './seeded-random';

/** Monte Carlo harness for the drift rule (the simulation spec and the README's numbers). */
export type Sampler = (random: Random) => number;

export interface WindowSizes {
  nReference: number;
  nCurrent: number;
}

export function histogram(edges: readonly number[], values: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) counts[binIndex(edges, v)]++;
  return counts;
}

/** Edges come from the reference sample itself, as in the service; default minSamples applies. */
export function continuousCheck(random: Random, reference: Sampler, current: Sampler, sizes: WindowSizes): DriftState {
  const referenceValues = draw(random, sizes.nReference, reference);
  const edges = quantileEdges(referenceValues, DEFAULT_QUANTILE_BINS);
  const result = assessSignal({
    current: histogram(edges, draw(random, sizes.nCurrent, current)),
    reference: histogram(edges, referenceValues),
  });
  return result.state;
}

export function classCounts(random: Random, priors: readonly number[], n: number): number[] {
  const counts = new Array<number>(priors.length).fill(0);
  for (let i = 0; i < n; i++) counts[categorical(random, priors)]++;
  return counts;
}

export function categoricalCheck(
  random: Random,
  reference: readonly number[],
  current: readonly number[],
  sizes: WindowSizes,
): DriftState {
  return assessSignal({
    current: classCounts(random, current, sizes.nCurrent),
    reference: classCounts(random, reference, sizes.nReference),
  }).state;
}

/** Fraction of `checks` runs that returned 'drift'; 'insufficient_data' counts as no alarm. */
export function driftRate(seed: number, checks: number, run: (random: Random) => DriftState): number {
  const random = mulberry32(seed);
  let drifts = 0;
  for (let i = 0; i < checks; i++) if (run(random) === 'drift') drifts++;
  return drifts / checks;
}

/** The mass a U(0, 1) value puts in each bin of `edges` (under/overflow included). */
export function uniformBinMass(edges: readonly number[]): number[] {
  return [...edges, 1].map((edge, i) => Math.max(0, edge - (i === 0 ? 0 : edges[i - 1])));
}

export interface PerCheckSettings {
  seed: number;
  references: number;
  windowsPerReference: number;
  nReference: number;
  nCurrent: number;
  threshold: number;
}

/**
 * Per-check false-alarm rate of one quantile-binned signal under i.i.d. traffic: each reference is
 * drawn and binned as the service does (the value distribution does not matter, edges are its own
 * quantiles), then independent current windows of nCurrent images are drawn from the true bin
 * probabilities (multinomial, as a chain of seeded binomials) and judged by the KL rule.
 */
export function quantileSignalFalseAlarmRate(s: PerCheckSettings): { checks: number; alarms: number; rate: number } {
  const random = mulberry32(s.seed);
  const binomial = binomialFactory({ seed: s.seed }) as (n: number, p: number) => number;
  const rule = { threshold: s.threshold, minSamples: 0 };
  let alarms = 0;
  for (let r = 0; r < s.references; r++) {
    const values = draw(random, s.nReference, (x) => x());
    const edges = quantileEdges(values, DEFAULT_QUANTILE_BINS);
    const reference = histogram(edges, values);
    const widths = uniformBinMass(edges);
    for (let w = 0; w < s.windowsPerReference; w++) {
      const current = multinomial(binomial, s.nCurrent, widths);
      const kl = klDivergence(current, reference);
      if (signalState(kl, s.nCurrent, s.nReference, rule) === 'drift') alarms++;
    }
  }
  const checks = s.references * s.windowsPerReference;
  return { checks, alarms, rate: alarms / checks };
}

function multinomial(
  binomial: (n: number, p: number) => number,
  n: number,
  probabilities: readonly number[],
): number[] {
  const counts = new Array<number>(probabilities.length).fill(0);
  let remaining = n;
  let mass = 1;
  for (let i = 0; i < probabilities.length - 1 && remaining > 0; i++) {
    counts[i] = mass > 0 ? binomial(remaining, Math.min(1, probabilities[i] / mass)) : 0;
    remaining -= counts[i];
    mass -= probabilities[i];
  }
  counts[probabilities.length - 1] += remaining;
  return counts;
}
