/**
 * Isotonic regression (increasing) by pool-adjacent-violators, written to give what scikit-learn's
 * IsotonicRegression(increasing=True, out_of_bounds='clip') gives: the same tie handling
 * (_make_unique), the same PAV pass (_inplace_contiguous_isotonic_regression), the same trimmed
 * thresholds and np.interp between them. Golden test: isotonic.spec.ts (scripts/golden/calibration_golden.py).
 */

/** The fitted step points; predictions interpolate linearly between them and clip outside. */
export interface IsotonicFit {
  x: number[];
  y: number[];
}

// np.finfo(float64).resolution: sklearn merges x values closer than this into one.
const TIE_RESOLUTION = 1e-15;

export function fitIsotonic(x: readonly number[], y: readonly number[], weights?: readonly number[]): IsotonicFit {
  if (x.length !== y.length || (weights && weights.length !== x.length)) {
    throw new RangeError('x, y and weights must have the same length');
  }
  const w = weights ?? x.map(() => 1);
  // sklearn sorts by x and, within equal x, by y (np.lexsort((y, x))), then drops zero weights.
  const order = x.map((_, i) => i).sort((a, b) => x[a] - x[b] || y[a] - y[b]);
  return fitSorted(
    order.map((i) => x[i]),
    order.map((i) => y[i]),
    order.map((i) => w[i]),
  );
}

/** The fit for points already sorted by x, then y; points with weight 0 are left out. */
export function fitSorted(x: readonly number[], y: readonly number[], w: readonly number[]): IsotonicFit {
  const kept = x.map((_, i) => i).filter((i) => w[i] > 0);
  if (kept.length === 0) throw new RangeError('isotonic regression needs at least one point with weight > 0');
  const unique = makeUnique(
    kept.map((i) => x[i]),
    kept.map((i) => y[i]),
    kept.map((i) => w[i]),
  );
  return trimThresholds(unique.x, poolAdjacentViolators(unique.y, unique.w));
}

/** Tied x values become one point: their weighted mean y and summed weight. */
function makeUnique(x: number[], y: number[], w: number[]) {
  const out = { x: [] as number[], y: [] as number[], w: [] as number[] };
  let currentX = x[0];
  let currentY = 0;
  let currentW = 0;
  for (let j = 0; j < x.length; j++) {
    if (x[j] - currentX >= TIE_RESOLUTION) {
      out.x.push(currentX);
      out.w.push(currentW);
      out.y.push(currentY / currentW);
      currentX = x[j];
      currentW = w[j];
      currentY = y[j] * w[j];
    } else {
      currentW += w[j];
      currentY += y[j] * w[j];
    }
  }
  out.x.push(currentX);
  out.w.push(currentW);
  out.y.push(currentY / currentW);
  return out;
}

/**
 * One pass with backtracking, O(n). While [i..j] is a block, target[i] = j and target[j] = i;
 * y[i] and w[i] hold the block's weighted mean and weight.
 */
export function poolAdjacentViolators(values: readonly number[], weights: readonly number[]): number[] {
  const y = [...values];
  const w = [...weights];
  const n = y.length;
  const target = Array.from({ length: n }, (_, i) => i);
  let i = 0;
  while (i < n) {
    let k = target[i] + 1;
    if (k === n) break;
    if (y[i] < y[k]) {
      i = k;
      continue;
    }
    let sumWy = w[i] * y[i];
    let sumW = w[i];
    for (;;) {
      const previous = y[k];
      sumWy += w[k] * y[k];
      sumW += w[k];
      k = target[k] + 1;
      if (k === n || previous < y[k]) {
        y[i] = sumWy / sumW;
        w[i] = sumW;
        target[i] = k - 1;
        target[k - 1] = i;
        if (i > 0) i = target[i - 1];
        break;
      }
    }
  }
  for (let start = 0; start < n;) {
    const end = target[start] + 1;
    for (let j = start + 1; j < end; j++) y[j] = y[start];
    start = end;
  }
  return y;
}

/** Keeps the first and last point of each constant run: interpolation needs nothing else. */
function trimThresholds(x: number[], y: number[]): IsotonicFit {
  const keep = y.map((value, i) => i === 0 || i === y.length - 1 || value !== y[i - 1] || value !== y[i + 1]);
  return { x: x.filter((_, i) => keep[i]), y: y.filter((_, i) => keep[i]) };
}

/** np.interp(clip(t, x_min, x_max), fit.x, fit.y). */
export function predictIsotonic(fit: IsotonicFit, t: number): number {
  const { x, y } = fit;
  const last = x.length - 1;
  if (!(t > x[0])) return y[0];
  if (t >= x[last]) return y[last];
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] <= t) lo = mid;
    else hi = mid;
  }
  if (t === x[lo]) return y[lo];
  const slope = (y[hi] - y[lo]) / (x[hi] - x[lo]);
  return slope * (t - x[lo]) + y[lo];
}
