import type { ActivationType } from './quant-params';
import type { ActivationReport, WeightReport } from './qdq-graph';

/** What a quantization request asked for, as stored with its job. */
export interface QuantizationSettings {
  /** The evaluation set (of the model name) whose images calibrate the activations. */
  set: { id: string; name: string };
  method: 'minmax' | 'percentile';
  /** The percentile method's p (the range kept is [P(100 - p), P(p)]). */
  percentile: number | null;
  activationType: ActivationType;
  calibrationImages: number;
}

/** What the job produced: the parameters (checked by scripts/golden/quantization_golden.py) and the ops left in FP32. */
export interface QuantizationReport {
  variantVersionId: string;
  variantVersion: string;
  fileSha256: string;
  fileBytes: number;
  parentFileBytes: number;
  quantizedNodes: Array<{ node: string; opType: string }>;
  fp32Ops: Record<string, number>;
  skipped: Array<{ node: string; opType: string; reason: string }>;
  weights: WeightReport[];
  activations: ActivationReport[];
}
