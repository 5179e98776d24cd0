export interface ClassMetrics {
  label: string;
  /** null where undefined: no prediction of the class (precision) or no example of it (recall). */
  precision: number | null;
  recall: number | null;
  support: number;
}

export interface ClassificationSummary {
  n: number;
  correct: number;
  /** matrix[actual][predicted], rows and columns in label order. */
  confusion: number[][];
  perClass: ClassMetrics[];
}

/** Confusion matrix and per-class precision/recall from (label, predicted) class index pairs. */
export function summarise(pairs: Array<{ label: number; predicted: number }>, labels: string[]): ClassificationSummary {
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (const { label, predicted } of pairs) {
    if (label < 0 || label >= k || predicted < 0 || predicted >= k) {
      throw new RangeError(`class index out of range: label ${label}, predicted ${predicted}`);
    }
    confusion[label][predicted]++;
    if (label === predicted) correct++;
  }
  const perClass = labels.map((name, c) => {
    const truePositives = confusion[c][c];
    const predictedAs = confusion.reduce((sum, row) => sum + row[c], 0);
    const support = confusion[c].reduce((sum, v) => sum + v, 0);
    return {
      label: name,
      precision: predictedAs === 0 ? null : truePositives / predictedAs,
      recall: support === 0 ? null : truePositives / support,
      support,
    };
  });
  return { n: pairs.length, correct, confusion, perClass };
}
