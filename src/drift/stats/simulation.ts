import { binIndex } from '../../inference/runtime/signals';
import { quantileEdges } from './bin-edges';
import { DEFAULT_QUANTILE_BINS } from './defaults';
import { assessSignal, type DriftState } from './drift-decision';
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
