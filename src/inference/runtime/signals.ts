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
  for (let img = 0; img < n; img++) {
    for (let c = 0; c < spec.channels; c++) {
      if (byChannel[c].length === 0) continue;
      const channel = channelOf(input, spec, img, c);
      countChannel(channel, channelStats(channel), byChannel[c], counts);
    }
  }
  countOutputs(probabilities, n, numClasses, signals, counts);
  return counts;
}

/**
 * One channel of one image, read in place: pixel p's de-normalised intensity is
 * input[base + p * step] * std + mean, so uploads and raw tensors agree. No copy: a 224x224
 * channel is read twice for its statistics and once, sampled, for its pixel histogram.
 */
interface Channel {
  input: Float32Array;
  base: number;
  step: number;
  pixels: number;
  std: number;
  mean: number;
}

function channelOf(input: Float32Array, spec: InputSpec, img: number, c: number): Channel {
  const pixels = spec.height * spec.width;
  const nchw = spec.layout === 'NCHW';
  const base = nchw ? (img * spec.channels + c) * pixels : img * pixels * spec.channels + c;
  return { input, base, step: nchw ? 1 : spec.channels, pixels, std: spec.std[c], mean: spec.mean[c] };
}

// Two passes keep a constant image at exactly zero contrast.
function channelStats({ input, base, step, pixels, std, mean }: Channel): ChannelStats {
  let sum = 0;
  for (let p = 0; p < pixels; p++) sum += input[base + p * step] * std + mean;
  const average = sum / pixels;
  let sq = 0;
  for (let p = 0; p < pixels; p++) {
    const d = input[base + p * step] * std + mean - average;
    sq += d * d;
  }
  return { mean: average, std: Math.sqrt(sq / pixels) };
}

function countChannel(channel: Channel, stats: ChannelStats, signals: SignalSpec[], counts: SignalCounts): void {
  const { input, base, step, pixels, std, mean } = channel;
  for (const s of signals) {
    const bins = counts[s.name];
    if (s.kind === 'brightness') bins[binIndex(s.edges, stats.mean)]++;
    else if (s.kind === 'contrast') bins[binIndex(s.edges, stats.std)]++;
    else {
      for (let p = 0, stride = s.stride ?? 1; p < pixels; p += stride) {
        bins[binIndex(s.edges, input[base + p * step] * std + mean)]++;
      }
    }
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
