import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CalibrationEntity } from './calibration.entity';
import type { CalibrationPoints } from './stats';

@Injectable()
export class CalibrationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(calibration: CalibrationEntity): Promise<void> {
    await this.dataSource.getRepository(CalibrationEntity).insert(calibration);
  }

  latest(modelVersionId: string): Promise<CalibrationEntity | null> {
    return this.dataSource
      .getRepository(CalibrationEntity)
      .findOne({ where: { modelVersionId }, order: { createdAt: 'DESC' } });
  }

  /**
   * Labelled predictions of the version made in [from, to): the confidence logged with each
   * prediction and whether its label agreed. The join uses the predictions' partition key.
   */
  async feedbackPoints(modelVersionId: string, from: Date, to: Date): Promise<CalibrationPoints> {
    const rows: Array<{ confidence: number; correct: boolean }> = await this.dataSource.query(
      `SELECT p.confidence, f.label_class = f.predicted_class AS correct
         FROM feedback f JOIN predictions p ON p.id = f.prediction_id AND p.created_at = f.predicted_at
        WHERE f.model_version_id = $1 AND f.predicted_at >= $2 AND f.predicted_at < $3`,
      [modelVersionId, from, to],
    );
    return { confidence: rows.map((r) => r.confidence), correct: rows.map((r) => r.correct) };
  }
}
