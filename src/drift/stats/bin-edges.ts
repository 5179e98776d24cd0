/**
 * Quantile bin edges for continuous signals, in the runtime's contract (SignalSpec): sorted edges
 * e_0 < ... < e_m give bins (-inf, e_0), [e_0, e_1), ..., [e_m, +inf).
 *
 * Choice: edges = [min, q_1/b, ..., q_(b-1)/b, top] where `top` lies just above the reference max.
 * Every reference value then falls in one of the b interior bins (reference mass 0 in underflow and
 * overflow), and new values outside the reference range land in the under/overflow bins, where
 * the smoothed reference probability is tiny, so out-of-range traffic shows up strongly in KL.
 * Ties and discrete data make quantiles coincide; duplicates are removed, so such references get
 * fewer than b interior bins (a signal with 3 distinct values gets at most 3).
 */

// Relative nudge that puts the reference max inside the last interior bin (bins are right-open).
const TOP_NUDGE = 1e-9;

function validateBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
}

function nudgeUp(value: number): number {
  return value + Math.max(Math.abs(value), 1) * TOP_NUDGE;
}

function strictlyIncreasing(values: readonly number[]): number[] {
  const out: number[] = [];
  for (const v of values) if (out.length === 0 || v > out[out.length - 1]) out.push(v);
  return out;
}

/** numpy's default (type 7) quantile: linear interpolation between order statistics. */
function quantileOfSorted(sorted: Float64Array, probability: number): number {
  const h = (sorted.length - 1) * probability;
  const below = Math.floor(h);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
}

/** Edges from raw reference values: b quantile bins plus empty underflow/overflow bins. */
export function quantileEdges(samples: readonly number[], bins: number): number[] {
  validateBins(bins);
  if (samples.length === 0) throw new RangeError('quantileEdges needs at least one reference value');
  for (const v of samples) if (!Number.isFinite(v)) throw new RangeError(`reference values must be finite, got ${v}`);
  // Typed-array sort is numeric and several times faster than a comparator sort.
  const sorted = Float64Array.from(samples).sort();
  const edges = [sorted[0]];
  for (let j = 1; j < bins; j++) edges.push(quantileOfSorted(sorted, j / bins));
  edges.push(nudgeUp(sorted[sorted.length - 1]));
  return strictlyIncreasing(edges);
}

export function validateHistogram(edges: readonly number[], counts: readonly number[]): void {
  if (edges.length < 1) throw new RangeError('a histogram needs at least one edge');
  for (let i = 0; i < edges.length; i++) {
    if (!Number.isFinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) {
      throw new RangeError(`edges must be finite and strictly increasing (index ${i})`);
    }
  }
  if (counts.length !== edges.length + 1) {
    throw new RangeError(`${edges.length} edges need ${edges.length + 1} counts, got ${counts.length}`);
  }
  for (const c of counts) if (!Number.isFinite(c) || c < 0) throw new RangeError(`counts must be >= 0, got ${c}`);
}

// Leftmost x with CDF(x) = target for the piecewise-linear CDF (mass uniform within each finite
// bin; underflow mass sits at e_0 and overflow mass at e_m, since their spread is unknown).
function histogramQuantile(edges: readonly number[], counts: readonly number[], target: number): number {
  let before = 0;
  for (let i = 0; i < counts.length; i++) {
    const after = before + counts[i];
    if (counts[i] > 0 && after >= target) {
      if (i === 0) return edges[0];
      if (i === edges.length) return edges[edges.length - 1];
      return edges[i - 1] + ((target - before) / counts[i]) * (edges[i] - edges[i - 1]);
    }
    before = after;
  }
  return edges[edges.length - 1];
}

// Outer edges: the occupied range of the fine histogram. When the fine under/overflow bins hold
// reference mass, the outer edge stays at the fine boundary and that mass stays outside.
function occupiedRange(edges: readonly number[], counts: readonly number[]): [number, number] {
  const first = counts.findIndex((c) => c > 0);
  let last = counts.length - 1;
  while (counts[last] === 0) last--;
  const lo = first === 0 ? edges[0] : edges[first - 1];
  const hi = last === edges.length ? edges[edges.length - 1] : edges[last];
  return [lo, hi];
}

/**
 * Quantile edges from a stored histogram (the service keeps counts, not raw values): quantiles
 * are interpolated linearly inside the fine bins, so they are only as good as the fine binning.
 */
export function edgesFromHistogram(edges: readonly number[], counts: readonly number[], bins: number): number[] {
  validateBins(bins);
  validateHistogram(edges, counts);
  const n = counts.reduce((s, c) => s + c, 0);
  if (n <= 0) throw new RangeError('edgesFromHistogram needs a non-empty reference histogram');
  const [lo, hi] = occupiedRange(edges, counts);
  const out = [lo];
  for (let j = 1; j < bins; j++) out.push(Math.min(Math.max(histogramQuantile(edges, counts, (j * n) / bins), lo), hi));
  out.push(hi);
  return strictlyIncreasing(out);
}
