/** Validation and smoothing shared by the divergences and the homogeneity test. */

export function validateCounts(counts: readonly number[], label: string): void {
  if (!Array.isArray(counts)) throw new RangeError(`${label} must be an array of counts`);
  if (counts.length < 2) throw new RangeError(`${label} needs at least 2 bins, got ${counts.length}`);
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) {
      throw new RangeError(`${label}[${i}] must be a non-negative finite count, got ${String(c)}`);
    }
  }
}

export function validateCountPair(current: readonly number[], reference: readonly number[]): void {
  validateCounts(current, 'current');
  validateCounts(reference, 'reference');
  if (current.length !== reference.length) {
    throw new RangeError(
      `current and reference must have the same bins, got ${current.length} and ${reference.length}`,
    );
  }
}

export function validatePseudocount(pseudocount: number): void {
  if (!Number.isFinite(pseudocount) || pseudocount < 0) {
    throw new RangeError(`pseudocount must be a non-negative finite number, got ${pseudocount}`);
  }
}

export function total(counts: readonly number[]): number {
  let n = 0;
  for (const c of counts) n += c;
  return n;
}

/** P_i = (c_i + a) / (n + k*a): add-a smoothing, renormalised so the bins sum to 1. */
export function smoothedDistribution(counts: readonly number[], pseudocount: number): number[] {
  const denominator = total(counts) + counts.length * pseudocount;
  if (denominator <= 0) {
    throw new RangeError('counts are all zero and pseudocount is 0: the distribution is undefined');
  }
  return counts.map((c) => (c + pseudocount) / denominator);
}
