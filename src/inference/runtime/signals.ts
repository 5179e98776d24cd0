import { InvalidSignalSpecError } from './errors';
import { CHANNEL_SIGNAL_KINDS, inputSize, type InputSpec, type SignalCounts, type SignalSpec } from './types';

/**
 * Index of the bin holding `value`: the first i with value < edges[i], else edges.length.
 * NaN compares false everywhere, so it falls into the overflow bin.
 */
export function binIndex(edges: readonly number[], value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value < edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Row-wise numerically stable softmax; returns a new array. */
export function softmax(logits: Float32Array, rows: number): Float32Array {
  const k = rowWidth(logits, rows);
  const out = new Float32Array(logits.length);
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[base + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(logits[base + j] - max);
      out[base + j] = e;
      sum += e;
    }
    for (let j = 0; j < k; j++) out[base + j] /= sum;
  }
  return out;
}

/** Index of the largest value per row (first one on ties). */
export function argmaxRows(values: Float32Array, rows: number): number[] {
  const k = rowWidth(values, rows);
  const result: number[] = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (values[r * k + j] > values[r * k + best]) best = j;
    result.push(best);
  }
  return result;
}

function rowWidth(values: Float32Array, rows: number): number {
  if (!Number.isInteger(rows) || rows < 1 || values.length % rows !== 0 || values.length === 0) {
    throw new RangeError(`cannot split ${values.length} values into ${rows} rows`);
  }
  return values.length / rows;
}

export function validateSignalSpecs(signals: readonly SignalSpec[], spec: InputSpec): void {
  const names = new Set<string>();
  for (const s of signals) {
    if (names.has(s.name)) throw new InvalidSignalSpecError(`duplicate signal name '${s.name}'`);
    names.add(s.name);
    if (CHANNEL_SIGNAL_KINDS.includes(s.kind)) {
      const c = s.channel ?? (spec.channels === 1 ? 0 : -1);
      if (!Number.isInteger(c) || c < 0 || c >= spec.channels) {
        throw new InvalidSignalSpecError(`signal '${s.name}' needs a channel in [0, ${spec.channels})`);
      }
    }
    if (s.stride !== undefined && (s.kind !== 'pixel' || !Number.isInteger(s.stride) || s.stride < 1)) {
      throw new InvalidSignalSpecError(`signal '${s.name}': stride is a positive integer, for pixel signals only`);
    }
    if (s.kind === 'class') {
      if (s.edges.length !== 0) throw new InvalidSignalSpecError(`signal '${s.name}' (class) takes no edges`);
      continue;
    }
    if (s.edges.length === 0) throw new InvalidSignalSpecError(`signal '${s.name}' has no edges`);
    for (let i = 0; i < s.edges.length; i++) {
      if (!Number.isFinite(s.edges[i]) || (i > 0 && !(s.edges[i] > s.edges[i - 1]))) {
        throw new InvalidSignalSpecError(`signal '${s.name}' edges must be finite and strictly increasing`);
      }
    }
  }
}

interface ChannelStats {
  mean: number;
  std: number;
}

/**
 * Bin counts of every signal summed over a batch of n normalised inputs
 * (layout per spec) and their output probabilities (n rows).
 */
export function computeSignalCounts(
  input: Float32Array,
  probabilities: Float32Array,
  n: number,
  spec: InputSpec,
  signals: readonly SignalSpec[],
): SignalCounts {
  if (input.length !== n * inputSize(spec)) {
    throw new RangeError(`input has ${input.length} values, expected ${n * inputSize(spec)}`);
  }
  const numClasses = rowWidth(probabilities, n);
  const counts: SignalCounts = {};
  for (const s of signals)
    counts[s.name] = new Array<number>(s.kind === 'class' ? numClasses : s.edges.length + 1).fill(0);

  const byChannel = Array.from({ length: spec.channels }, (_, c) =>
    signals.filter((s) => CHANNEL_SIGNAL_KINDS.includes(s.kind) && (s.channel ?? 0) === c),
  );
  const intensities = new Float64Array(spec.height * spec.width);
  for (let img = 0; img < n; img++) {
    for (let c = 0; c < spec.channels; c++) {
      if (byChannel[c].length === 0) continue;
      readIntensities(input, spec, img, c, intensities);
      countChannel(intensities, channelStats(intensities), byChannel[c], counts);
    }
  }
  countOutputs(probabilities, n, numClasses, signals, counts);
  return counts;
}

/** De-normalised intensity x*std+mean of one channel of one image, so uploads and raw tensors agree. */
function readIntensities(input: Float32Array, spec: InputSpec, img: number, c: number, out: Float64Array): void {
  const pixels = spec.height * spec.width;
  const std = spec.std[c];
  const mean = spec.mean[c];
  if (spec.layout === 'NCHW') {
    const base = (img * spec.channels + c) * pixels;
    for (let p = 0; p < pixels; p++) out[p] = input[base + p] * std + mean;
  } else {
    const base = img * pixels * spec.channels + c;
    for (let p = 0; p < pixels; p++) out[p] = input[base + p * spec.channels] * std + mean;
  }
}

// Two passes keep a constant image at exactly zero contrast.
function channelStats(values: Float64Array): ChannelStats {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i] - mean) * (values[i] - mean);
  return { mean, std: Math.sqrt(sq / values.length) };
}

function countChannel(values: Float64Array, stats: ChannelStats, signals: SignalSpec[], counts: SignalCounts): void {
  for (const s of signals) {
    const bins = counts[s.name];
    if (s.kind === 'brightness') bins[binIndex(s.edges, stats.mean)]++;
    else if (s.kind === 'contrast') bins[binIndex(s.edges, stats.std)]++;
    else for (let i = 0, step = s.stride ?? 1; i < values.length; i += step) bins[binIndex(s.edges, values[i])]++;
  }
}

function countOutputs(
  probabilities: Float32Array,
  n: number,
  numClasses: number,
  signals: readonly SignalSpec[],
  counts: SignalCounts,
): void {
  const classSignals = signals.filter((s) => s.kind === 'class');
  const confidenceSignals = signals.filter((s) => s.kind === 'confidence');
  if (classSignals.length === 0 && confidenceSignals.length === 0) return;
  const top = argmaxRows(probabilities, n);
  for (let r = 0; r < n; r++) {
    for (const s of classSignals) counts[s.name][top[r]]++;
    const confidence = probabilities[r * numClasses + top[r]];
    for (const s of confidenceSignals) counts[s.name][binIndex(s.edges, confidence)]++;
  }
}
