export type Layout = 'NCHW' | 'NHWC';

export interface InputSpec {
  layout: Layout;
  channels: 1 | 3;
  height: number;
  width: number;
  /** Applied to raw pixel values before mean/std, e.g. 1/255 for 8-bit images. */
  scale: number;
  /** One entry per channel. */
  mean: number[];
  /** One entry per channel. */
  std: number[];
  output: 'logits' | 'probabilities';
  /** How an image reaches height x width; absent means fill. */
  resize?: ResizePolicy;
}

/** fill stretches to the size; centre-crop is ImageNet's: shorter side to shorterSide, then the centre. */
export type ResizePolicy = { mode: 'fill' } | { mode: 'centre-crop'; shorterSide: number };

export type ProviderName = 'cuda' | 'webgpu' | 'cpu';
export const PROVIDER_NAMES: readonly ProviderName[] = ['cuda', 'webgpu', 'cpu'];

export type SignalKind = 'pixel' | 'brightness' | 'contrast' | 'class' | 'confidence';
export const CHANNEL_SIGNAL_KINDS: readonly SignalKind[] = ['pixel', 'brightness', 'contrast'];

/**
 * Continuous kinds: sorted edges e_0 < ... < e_{m-1} give m+1 bins,
 * bin 0 = (-inf, e_0), bin i = [e_{i-1}, e_i), bin m = [e_{m-1}, +inf).
 * Kind 'class': edges is empty, one bin per model class.
 */
export interface SignalSpec {
  name: string;
  kind: SignalKind;
  channel?: number;
  edges: number[];
  /**
   * Kind 'pixel': every stride-th pixel of the channel, in raster order, is counted (absent: 1,
   * every pixel; specs stored before sampling existed keep counting every pixel).
   */
  stride?: number;
}

/**
 * Pixels counted per channel and image at most: a 224x224 image has 50,176, and binning every one
 * of them took longer than running MobileNetV2 on a GPU would. The drift test's n is images, not
 * pixels (countsPerImage), so a sample of pixels loses nothing it relies on.
 */
export const PIXEL_SAMPLES_PER_IMAGE = 4096;

/** The stride that keeps a channel's counted pixels at PIXEL_SAMPLES_PER_IMAGE or fewer. */
export function pixelStride(spec: InputSpec): number {
  return Math.max(1, Math.ceil((spec.height * spec.width) / PIXEL_SAMPLES_PER_IMAGE));
}

/** Counts a signal adds per image: the pixels it samples for a pixel signal, else one. */
export function countsPerImage(spec: InputSpec, signal: Pick<SignalSpec, 'kind' | 'stride'>): number {
  return signal.kind === 'pixel' ? Math.ceil((spec.height * spec.width) / (signal.stride ?? 1)) : 1;
}

export type SignalCounts = Record<string, number[]>;

/** One batch's signal counts, binned with the edges of `edgesVersion`: what the recorder adds up. */
export interface BatchSignals {
  modelVersionId: string;
  edgesVersion: number;
  counts: SignalCounts;
}

export interface ProviderAttempt {
  provider: ProviderName;
  /** not_installed: its library is absent, so onnxruntime was not asked; load_failed: onnxruntime refused. */
  reason: 'not_installed' | 'load_failed';
  error: string;
}

/** `cuda not installed (…/libonnxruntime_providers_cuda.so not found)`, `cuda failed (…)`: for logs and errors. */
export function describeAttempt(attempt: ProviderAttempt): string {
  const what = attempt.reason === 'not_installed' ? 'not installed' : 'failed';
  return `${attempt.provider} ${what} (${attempt.error})`;
}

export interface TensorInfo {
  name: string;
  type: string;
  /** Symbolic dimensions (e.g. a dynamic batch) stay strings. */
  dims: Array<number | string>;
}

export interface LoadResult {
  provider: ProviderName;
  attempts: ProviderAttempt[];
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

export interface RunResult {
  /** n rows of numClasses probabilities, row-major. */
  probabilities: Float32Array;
  numClasses: number;
  signals?: SignalCounts;
}

const DEFAULT_BINS = 20;
// Nudges the top edge so an intensity of exactly `hi` lands in the last interior bin.
const TOP_EDGE_NUDGE = 1e-9;

export function equalWidthEdges(lo: number, hi: number, bins: number): number[] {
  const edges: number[] = [];
  for (let i = 0; i < bins; i++) edges.push(lo + ((hi - lo) * i) / bins);
  edges.push(hi + TOP_EDGE_NUDGE);
  return edges;
}

/** Fixed-range signals used until a reference distribution exists. */
export function defaultSignalSpecs(spec: InputSpec, numClasses: number): SignalSpec[] {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
  }
  const unit = equalWidthEdges(0, 1, DEFAULT_BINS);
  const stride = pixelStride(spec);
  const contrast = equalWidthEdges(0, 0.5, DEFAULT_BINS);
  const signals: SignalSpec[] = [];
  for (let c = 0; c < spec.channels; c++) {
    signals.push({
      name: `pixel:c${c}`,
      kind: 'pixel',
      channel: c,
      edges: [...unit],
      ...(stride > 1 ? { stride } : {}),
    });
    signals.push({ name: `brightness:c${c}`, kind: 'brightness', channel: c, edges: [...unit] });
    signals.push({ name: `contrast:c${c}`, kind: 'contrast', channel: c, edges: [...contrast] });
  }
  signals.push({ name: 'class', kind: 'class', edges: [] });
  signals.push({ name: 'confidence', kind: 'confidence', edges: [...unit] });
  return signals;
}

/** Number of bins a signal produces; 'class' needs the model's class count. */
export function binCount(signal: SignalSpec, numClasses: number): number {
  return signal.kind === 'class' ? numClasses : signal.edges.length + 1;
}

/** Dims of a batch of n inputs in the spec's layout. */
export function inputDims(spec: InputSpec, n: number): number[] {
  return spec.layout === 'NCHW'
    ? [n, spec.channels, spec.height, spec.width]
    : [n, spec.height, spec.width, spec.channels];
}

export function inputSize(spec: InputSpec): number {
  return spec.channels * spec.height * spec.width;
}
