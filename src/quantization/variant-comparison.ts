import { Interval, wilsonInterval } from '../evaluation/stats';
import { mcnemar, McNemarResult } from '../experiments/stats/paired-and-ratio';

export interface ScoredItem {
  label: number;
  predicted: number;
}

export interface SetComparison {
  n: number;
  parent: { correct: number; accuracy: number; interval: Interval };
  variant: { correct: number; accuracy: number; interval: Interval };
  agreement: { count: number; rate: number; interval: Interval };
  /** Parent in the champion's place: championOnly = parent right and variant wrong. */
  mcnemar: McNemarResult;
}

/** A variant against its parent on the same items, in the same order (paired). */
export function compareOnSet(parent: ScoredItem[], variant: ScoredItem[]): SetComparison {
  if (parent.length !== variant.length || parent.length === 0)
    throw new RangeError(`need the same non-empty items: ${parent.length} vs ${variant.length}`);
  const n = parent.length;
  let parentCorrect = 0;
  let variantCorrect = 0;
  let agree = 0;
  let parentOnly = 0;
  let variantOnly = 0;
  parent.forEach((p, i) => {
    const v = variant[i];
    const pRight = p.predicted === p.label;
    const vRight = v.predicted === v.label;
    parentCorrect += +pRight;
    variantCorrect += +vRight;
    agree += +(p.predicted === v.predicted);
    parentOnly += +(pRight && !vRight);
    variantOnly += +(vRight && !pRight);
  });
  const side = (correct: number) => ({ correct, accuracy: correct / n, interval: wilsonInterval(correct, n) });
  return {
    n,
    parent: side(parentCorrect),
    variant: side(variantCorrect),
    agreement: { count: agree, rate: agree / n, interval: wilsonInterval(agree, n) },
    mcnemar: mcnemar(parentOnly, variantOnly),
  };
}

export interface Timing {
  batch: number;
  runs: number;
  meanLatencyMs: number;
  imagesPerSecond: number;
}

/** Variant over parent: > 1 means the variant is faster (throughput) or slower (latency). */
export function speedRatios(parent: Timing, variant: Timing) {
  return {
    batch: parent.batch,
    parent,
    variant,
    throughputRatio: variant.imagesPerSecond / parent.imagesPerSecond,
    latencyRatio: variant.meanLatencyMs / parent.meanLatencyMs,
  };
}
