import { computeSignalCounts } from '../inference/runtime/signals';
import { equalWidthEdges, InputSpec, SignalSpec } from '../inference/runtime/types';
import { ReferenceHistogram } from './drift-reference.entity';
import { DEFAULT_QUANTILE_BINS, edgesFromHistogram, rebin } from './stats';

// Quantiles are read off a 1,000-bin histogram: exact to 1/1000 of the signal's range.
const FINE_BINS = 1000;

export interface Reference {
  signals: SignalSpec[];
  histograms: Record<string, ReferenceHistogram>;
}

/**
 * Reference from model inputs and outputs (a labelled set run through the model): quantile edges
 * per continuous signal, then exact counts of the same inputs on those edges.
 */
export function referenceFromInputs(
  tensor: Float32Array,
  probabilities: Float32Array,
  n: number,
  spec: InputSpec,
  current: readonly SignalSpec[],
): Reference {
  const fine = fineSignals(current);
  const signals = quantileSignals(fine, computeSignalCounts(tensor, probabilities, n, spec, fine));
  return referenceOf(signals, computeSignalCounts(tensor, probabilities, n, spec, signals));
}

/** Model inputs and outputs of some reference images. */
export interface ReferenceBatch {
  tensor: Float32Array;
  probabilities: Float32Array;
  n: number;
}

/**
 * referenceFromInputs over batches, so that memory holds one batch of inputs at a time (3,000
 * 224x224 RGB images are 1.8 GB of float32): counts are additive, so each pass sums them.
 * `batches()` must yield the same inputs on each of its two calls.
 */
export async function referenceFromBatches(
  batches: () => AsyncIterable<ReferenceBatch>,
  spec: InputSpec,
  current: readonly SignalSpec[],
): Promise<Reference> {
  const fine = fineSignals(current);
  const signals = quantileSignals(fine, await sumCounts(batches(), spec, fine));
  return referenceOf(signals, await sumCounts(batches(), spec, signals));
}

async function sumCounts(batches: AsyncIterable<ReferenceBatch>, spec: InputSpec, signals: readonly SignalSpec[]) {
  let total: Record<string, number[]> | undefined;
  for await (const { tensor, probabilities, n } of batches) {
    const counts = computeSignalCounts(tensor, probabilities, n, spec, signals);
    if (!total) total = counts;
    else for (const [name, bins] of Object.entries(counts)) bins.forEach((c, i) => (total![name][i] += c));
  }
  if (!total) throw new RangeError('a reference needs at least one image');
  return total;
}

function fineSignals(current: readonly SignalSpec[]): SignalSpec[] {
  return current.map((s) => (s.kind === 'class' ? s : { ...s, edges: fineEdges(s) }));
}

function quantileSignals(fine: SignalSpec[], fineCounts: Record<string, number[]>): SignalSpec[] {
  return fine.map((s) =>
    s.kind === 'class' ? s : { ...s, edges: edgesFromHistogram(s.edges, fineCounts[s.name], DEFAULT_QUANTILE_BINS) },
  );
}

function referenceOf(signals: SignalSpec[], counts: Record<string, number[]>): Reference {
  return {
    signals,
    histograms: Object.fromEntries(signals.map((s) => [s.name, { edges: s.edges, counts: counts[s.name] }])),
  };
}

/**
 * Reference from stored counts (a window of logged traffic): quantile edges interpolated inside
 * the stored bins and the counts re-expressed on them (an estimate where an edge falls inside a
 * stored bin; see rebin). Signals without counts in the window keep their edges.
 */
export function referenceFromCounts(current: readonly SignalSpec[], counts: Record<string, number[]>): Reference {
  const signals = current.map((s) => {
    const observed = counts[s.name];
    if (s.kind === 'class' || !observed || observed.every((c) => c === 0)) return s;
    return { ...s, edges: edgesFromHistogram(s.edges, observed, DEFAULT_QUANTILE_BINS) };
  });
  const histograms: Record<string, ReferenceHistogram> = {};
  current.forEach((s, i) => {
    const observed = counts[s.name];
    if (!observed) return;
    const edges = signals[i].edges;
    histograms[s.name] = { edges, counts: s.kind === 'class' ? observed : rebin(observed, s.edges, edges) };
  });
  return { signals, histograms };
}

function fineEdges(signal: SignalSpec): number[] {
  const lo = signal.edges[0];
  const hi = signal.edges[signal.edges.length - 1];
  return equalWidthEdges(lo, hi, FINE_BINS);
}
