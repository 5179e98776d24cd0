import { Injectable } from '@nestjs/common';
import { PerformanceEstimateRepository } from './performance-estimate.repository';

/** The compact estimate the drift status carries per version: the newest stored one. */
export interface EstimateStatus {
  accuracy: number | null;
  lower: number | null;
  upper: number | null;
  n: number;
  reliable: boolean;
  reason: string | null;
  checkedAt: Date;
}

@Injectable()
export class EstimateStatuses {
  constructor(private readonly estimates: PerformanceEstimateRepository) {}

  async of(modelVersionIds: string[]): Promise<Map<string, EstimateStatus>> {
    const latest = await this.estimates.latestOf(modelVersionIds);
    return new Map(
      [...latest].map(([id, e]) => [
        id,
        {
          accuracy: e.accuracy,
          lower: e.lower,
          upper: e.upper,
          n: e.n,
          reliable: e.reliable,
          reason: e.detail.reason,
          checkedAt: e.checkedAt,
        },
      ]),
    );
  }
}
