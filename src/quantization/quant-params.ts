/**
 * Quantization parameters, as onnxruntime's quantize_static computes them (quant_utils.py):
 * weights per output channel, symmetric int8 in [-127, 127] (scale = max|w| / 127, zero point 0);
 * activations per tensor, uint8 asymmetric over [min(lo, 0), max(hi, 0)] (0 stays exactly
 * representable, so zero padding and ReLU cost no error) or int8 symmetric (scale = max|x| / 127).
 * Scales are float32, as they are stored; rounding is half to even, as numpy.rint.
 */
export type ActivationType = 'uint8' | 'int8';

export interface ActivationParams {
  scale: number;
  zeroPoint: number;
}

export interface ChannelParams {
  scales: Float32Array;
  values: Int8Array;
}

const INT8_SYMMETRIC_MAX = 127;
const UINT8_MAX = 255;

export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** A zero range (a constant tensor) gets scale 1, so quantizing divides by a real number. */
function safeScale(scale: number): number {
  return scale > 0 && Number.isFinite(scale) ? Math.fround(scale) : 1;
}

export function activationParams(lo: number, hi: number, type: ActivationType): ActivationParams {
  if (type === 'int8') {
    return { scale: safeScale(Math.max(Math.abs(lo), Math.abs(hi)) / INT8_SYMMETRIC_MAX), zeroPoint: 0 };
  }
  const rmin = Math.min(lo, 0);
  const rmax = Math.max(hi, 0);
  const scale = safeScale((rmax - rmin) / UINT8_MAX);
  return { scale, zeroPoint: clamp(roundHalfEven(-rmin / scale), 0, UINT8_MAX) };
}

/**
 * Per-channel symmetric int8 weights. `channelStride` and `channelCount` describe the axis: for
 * axis 0 of [C, ...] the stride is the product of the other dims; for axis 1 of [K, C] it is 1
 * with blocks of C (see channelOf).
 */
export function quantizeWeights(weights: Float32Array, dims: number[], axis: number): ChannelParams {
  const channels = dims[axis];
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number) => Math.floor(i / inner) % channels;
  const maxAbs = new Float64Array(channels);
  weights.forEach((w, i) => {
    const c = channelOf(i);
    maxAbs[c] = Math.max(maxAbs[c], Math.abs(w));
  });
  const scales = Float32Array.from(maxAbs, (m) => safeScale(m / INT8_SYMMETRIC_MAX));
  const values = new Int8Array(weights.length);
  weights.forEach((w, i) => {
    const q = roundHalfEven(w / scales[channelOf(i)]);
    values[i] = clamp(q, -INT8_SYMMETRIC_MAX, INT8_SYMMETRIC_MAX);
  });
  return { scales, values };
}

/** Bias as int32 at scale input_scale * weight_scale[c] (zero point 0), as integer kernels add it. */
export function quantizeBias(bias: Float32Array, inputScale: number, weightScales: Float32Array) {
  const scales = Float32Array.from(weightScales, (s) => inputScale * s);
  const values = Int32Array.from(bias, (b, c) => clamp(roundHalfEven(b / scales[c]), -(2 ** 31), 2 ** 31 - 1));
  return { scales, values };
}

export function quantizeValue(x: number, params: ActivationParams, type: ActivationType): number {
  const [lo, hi] = type === 'uint8' ? [0, UINT8_MAX] : [-128, 127];
  return clamp(roundHalfEven(x / params.scale) + params.zeroPoint, lo, hi);
}

/**
 * The value below which `percent` % of a histogram's mass lies (linear inside the bin), from
 * counts over `bins` equal bins spanning [min, max]. Used twice per tensor: at p and 100 - p.
 */
export function histogramPercentile(counts: ArrayLike<number>, min: number, max: number, percent: number): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total === 0 || max <= min) return percent >= 50 ? max : min;
  const target = (percent / 100) * total;
  const width = (max - min) / counts.length;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    if (below + counts[i] >= target && counts[i] > 0) {
      return min + width * (i + (target - below) / counts[i]);
    }
    below += counts[i];
  }
  return max;
}
