import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface FeedbackRow {
  predictionId: string;
  modelVersionId: string;
  predictedAt: Date;
  predictedClass: number;
  labelClass: number;
  role: string;
}

@Injectable()
export class FeedbackRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One statement per batch; a repeated label is a no-op, a corrected one replaces it. */
  async upsert(rows: FeedbackRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO feedback (prediction_id, model_version_id, predicted_at, predicted_class, label_class, role)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::smallint[], $5::smallint[], $6::text[])
       ON CONFLICT (prediction_id) DO UPDATE SET label_class = EXCLUDED.label_class, received_at = now()
       WHERE feedback.label_class IS DISTINCT FROM EXCLUDED.label_class`,
      [
        rows.map((r) => r.predictionId),
        rows.map((r) => r.modelVersionId),
        rows.map((r) => r.predictedAt),
        rows.map((r) => r.predictedClass),
        rows.map((r) => r.labelClass),
        rows.map((r) => r.role),
      ],
    );
  }

  async count(modelVersionId: string): Promise<number> {
    const [row] = await this.dataSource.query('SELECT count(*)::int AS n FROM feedback WHERE model_version_id = $1', [
      modelVersionId,
    ]);
    return row.n;
  }
}
