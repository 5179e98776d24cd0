export type Voting = 'hard' | 'soft';

export const MIN_MEMBERS = 2;
export const MAX_MEMBERS = 5;

/**
 * One ensemble output row from its members' probability rows (same classes, same order).
 *
 * soft: sum_i w_i p_i / sum_i w_i, the (weighted) mean of the members' softmax vectors.
 * hard: (votes_c + mean_c) / (m + 1), where votes_c counts the members whose top-1 is c and mean_c
 *   is the members' mean probability of c. It sums to 1 and its argmax is the majority class, ties
 *   broken by the highest mean probability: a class with one vote more always scores higher,
 *   since a voted class has mean_c > 0 and mean_a + mean_b <= 1. Exact ties left: lowest index.
 */
export function combineVotes(rows: readonly Float32Array[], voting: Voting, weights: readonly number[]): Float32Array {
  const k = rows[0].length;
  const out = new Float32Array(k);
  if (voting === 'soft') {
    const total = weights.reduce((a, b) => a + b, 0);
    // Accumulated in float64, one rounding at the end.
    for (let c = 0; c < k; c++) {
      let sum = 0;
      rows.forEach((row, i) => (sum += weights[i] * row[c]));
      out[c] = sum / total;
    }
    return out;
  }
  const votes = new Float64Array(k);
  for (const row of rows) votes[argmax(row)] += 1;
  for (let c = 0; c < k; c++) {
    let mean = 0;
    for (const row of rows) mean += row[c];
    out[c] = (votes[c] + mean / rows.length) / (rows.length + 1);
  }
  return out;
}

/** Index of the largest value (first one on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
