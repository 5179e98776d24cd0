/** One prediction as the request path hands it to the log writer (a row of `predictions`). */
export interface PredictionRecord {
  id: string;
  createdAt: Date;
  modelVersionId: string;
  /** champion / challenger, or the experiment arm that answered. */
  role: string;
  predictedClass: number;
  confidence: number;
  latencyMs: number;
  unitId: string | null;
  requestId: string | null;
  inputHash: string;
}
