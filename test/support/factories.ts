import type { InputSpec } from '../../src/inference/runtime/types';

/** The digits models' input spec (8x8 greyscale, NCHW, x/255), with overrides. */
export function digitsSpec(overrides: Partial<InputSpec> = {}): InputSpec {
  return {
    layout: 'NCHW',
    channels: 1,
    height: 8,
    width: 8,
    scale: 1 / 255,
    mean: [0],
    std: [1],
    output: 'logits',
    ...overrides,
  };
}
