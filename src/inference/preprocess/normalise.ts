import { inputSize, type InputSpec } from '../runtime/types';

// A mismatched spec is a configuration bug, not a client error, hence RangeError rather than DomainError.
function checkSpec(spec: InputSpec): void {
  if (spec.mean.length !== spec.channels || spec.std.length !== spec.channels) {
    throw new RangeError(
      `spec has ${spec.channels} channels but ${spec.mean.length} means and ${spec.std.length} stds`,
    );
  }
}

/** The single normalisation formula shared by images and UINT8 tensors, so both paths agree bit for bit. */
export function normaliseValue(pixel: number, channel: number, spec: InputSpec): number {
  return (pixel * spec.scale - spec.mean[channel]) / spec.std[channel];
}

/**
 * Normalises raw 8-bit values that are already laid out in spec.layout (any batch size).
 * Used for UINT8 tensors arriving over the inference protocol.
 */
export function normaliseInLayout(values: ArrayLike<number>, spec: InputSpec): Float32Array {
  checkSpec(spec);
  const out = new Float32Array(values.length);
  const plane = spec.height * spec.width;
  const size = inputSize(spec);
  for (let i = 0; i < values.length; i++) {
    // NHWC interleaves channels; NCHW stores one plane per channel inside each sample.
    const c = spec.layout === 'NHWC' ? i % spec.channels : Math.floor((i % size) / plane);
    out[i] = normaliseValue(values[i], c, spec);
  }
  return out;
}

/** Converts one interleaved HWC pixel buffer (what sharp's raw output is) into a normalised tensor in spec.layout. */
export function hwcToTensor(raw: ArrayLike<number>, spec: InputSpec): Float32Array {
  checkSpec(spec);
  const size = inputSize(spec);
  if (raw.length !== size) {
    throw new RangeError(
      `expected ${size} raw values for ${spec.height}x${spec.width}x${spec.channels}, got ${raw.length}`,
    );
  }
  const out = new Float32Array(size);
  const plane = spec.height * spec.width;
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < spec.channels; c++) {
      const src = p * spec.channels + c;
      const dst = spec.layout === 'NHWC' ? src : c * plane + p;
      out[dst] = normaliseValue(raw[src], c, spec);
    }
  }
  return out;
}
