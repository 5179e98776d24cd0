import { createHash } from 'node:crypto';

/** sha256 hex of each of `batch` equal rows of a tensor (its float bytes): the logged input hash. */
export function rowHashes(tensor: Float32Array, batch: number): string[] {
  const size = tensor.length / batch;
  return Array.from({ length: batch }, (_, i) => {
    const row = tensor.subarray(i * size, (i + 1) * size);
    return createHash('sha256')
      .update(new Uint8Array(row.buffer, row.byteOffset, row.byteLength))
      .digest('hex');
  });
}
