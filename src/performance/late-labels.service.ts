import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { EvaluationEntity } from '../evaluation/evaluation.entity';
import { EvaluationService } from '../evaluation/evaluation.service';
import { isoWeek, weekStart } from '../evaluation/stats';
import { ModelVersionEntity } from '../models/model-version.entity';
import { HistogramAggregator } from '../recording/histogram-aggregator';
import { confidenceSignal } from './accuracy-estimator';
import { LATE_LABEL_WEEKS } from './defaults';
import { LateLabelsRepository, WeekChain } from './late-labels.repository';
import { PerformanceEstimateRepository } from './performance-estimate.repository';
import { WindowDataRepository } from './window-data.repository';

const WEEK_MS = 7 * 86_400_000;

/**
 * Labels that arrive after their week was evaluated: measures each recent week's label coverage and
 * delay, and re-evaluates a week (a revision; the first record stays) once its labels have grown by
 * EVAL_REVISION_COVERAGE_GROWTH since the week's last record.
 */
@Injectable()
export class LateLabelsService {
  private readonly logger = new Logger('LateLabels');

  constructor(
    private readonly windows: WindowDataRepository,
    private readonly chains: LateLabelsRepository,
    private readonly estimates: PerformanceEstimateRepository,
    private readonly evaluations: EvaluationService,
    private readonly aggregator: HistogramAggregator,
    private readonly config: AppConfig,
  ) {}

  async check(version: ModelVersionEntity, now = new Date()): Promise<EvaluationEntity[]> {
    const since = new Date(weekStart(now).getTime() - (LATE_LABEL_WEEKS - 1) * WEEK_MS);
    await this.aggregator.flush().catch(() => undefined); // this replica's latest counts too
    const weeks = await this.windows.labelWeeks(version.id, confidenceSignal(version), since, now);
    await this.estimates.saveCoverage(
      weeks.map((w) => ({
        modelVersionId: version.id,
        isoWeek: isoWeek(w.weekFrom),
        weekFrom: w.weekFrom,
        predictions: String(w.predictions),
        labelled: String(w.labelled),
        delaySeconds: w.delaySeconds,
      })),
    );
    const revised: EvaluationEntity[] = [];
    for (const chain of await this.chains.weeklyChains(version.id, since)) {
      if (await this.grown(version, chain))
        revised.push(...(await this.evaluations.revise(version, chain.first, chain.latest)));
    }
    for (const record of revised) {
      this.logger.log(
        {
          model: version.name,
          version: version.version,
          isoWeek: record.isoWeek,
          n: record.n,
          revision: record.revision,
        },
        'week re-evaluated after late labels',
      );
    }
    return revised;
  }

  /** Coverage grew by the configured fraction: labels now >= labels counted x (1 + growth), and more of them. */
  private async grown(version: ModelVersionEntity, { first, latest }: WeekChain): Promise<boolean> {
    const { n } = await this.windows.realized(version.id, first.windowFrom, first.windowTo);
    return n > latest.n && n >= latest.n * (1 + this.config.EVAL_REVISION_COVERAGE_GROWTH);
  }
}
