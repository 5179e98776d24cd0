import { validateHistogram } from './bin-edges';

/**
 * Re-express fine-bin counts on coarse edges, assuming mass is uniform inside each finite fine bin
 * and that fine underflow/overflow mass sits at the fine range's boundary. The result is exact
 * when every coarse edge is a fine edge; otherwise it is an estimate (fractional counts), and a
 * reference re-collected with the coarse edges should replace it when available.
 */
export function rebin(
  counts: readonly number[],
  fineEdges: readonly number[],
  coarseEdges: readonly number[],
): number[] {
  validateHistogram(fineEdges, counts);
  validateHistogram(coarseEdges, new Array<number>(coarseEdges.length + 1).fill(0));
  const out = new Array<number>(coarseEdges.length + 1).fill(0);
  const m = fineEdges.length;
  out[coarseBinBelow(coarseEdges, fineEdges[0])] += counts[0];
  out[coarseBinAt(coarseEdges, fineEdges[m - 1])] += counts[m];
  for (let i = 1; i < m; i++) {
    if (counts[i] > 0) spreadUniformly(counts[i], fineEdges[i - 1], fineEdges[i], coarseEdges, out);
  }
  return out;
}

// Bin of a value v (binIndex of the runtime): number of edges <= v.
function coarseBinAt(edges: readonly number[], v: number): number {
  let i = 0;
  while (i < edges.length && edges[i] <= v) i++;
  return i;
}

// Bin of values just below v: number of edges < v.
function coarseBinBelow(edges: readonly number[], v: number): number {
  let i = 0;
  while (i < edges.length && edges[i] < v) i++;
  return i;
}

function spreadUniformly(count: number, lo: number, hi: number, edges: readonly number[], out: number[]): void {
  let start = lo;
  let bin = coarseBinAt(edges, lo);
  while (start < hi) {
    const end = bin < edges.length ? Math.min(edges[bin], hi) : hi;
    out[bin] += (count * (end - start)) / (hi - lo);
    start = end;
    bin++;
  }
}
