import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { isoWeek, weekStart, wilsonInterval } from '../evaluation/stats';
import { ModelVersionEntity } from '../models/model-version.entity';
import { HistogramAggregator } from '../recording/histogram-aggregator';
import { AccuracyEstimator, confidenceSignal, Window } from './accuracy-estimator';
import { CalibrationRepository } from './calibration.repository';
import { PerformanceCheckService } from './performance-check.service';
import { PerformanceEstimateRepository } from './performance-estimate.repository';
import { calibrationView, estimateRecordView } from './performance.views';
import { WindowDataRepository } from './window-data.repository';

const WEEK_MS = 7 * 86_400_000;

/** GET /v1/models/{name}/performance: estimated beside realised accuracy, coverage, weeks, stored estimates. */
@Injectable()
export class PerformanceReportService {
  constructor(
    private readonly estimator: AccuracyEstimator,
    private readonly checks: PerformanceCheckService,
    private readonly calibrations: CalibrationRepository,
    private readonly estimates: PerformanceEstimateRepository,
    private readonly windows: WindowDataRepository,
    private readonly aggregator: HistogramAggregator,
    private readonly config: AppConfig,
  ) {}

  async report(version: ModelVersionEntity, window: Window, limit: number) {
    await this.aggregator.flush().catch(() => undefined); // this replica's latest counts too
    const estimated = await this.estimator.estimate(version, window);
    const calibration = await this.calibrations.latest(version.id);
    const baseline = calibration
      ? await this.estimates.transaction((manager) => this.checks.baseline(manager, version, calibration.id))
      : null;
    const realized = await this.windows.realized(version.id, window.from, window.to);
    const weeks = await this.weeks(version, window);
    const predictions = estimated?.n ?? weeks.reduce((sum, w) => sum + w.predictions, 0);
    const history = await this.estimates.history(version.id, window.from, window.to, limit);
    return {
      model: version.name,
      version: version.version,
      window,
      estimated,
      realized:
        realized.n === 0
          ? null
          : {
              ...realized,
              accuracy: realized.correct / realized.n,
              interval: this.wilson(realized.correct, realized.n),
            },
      coverage: { predictions, labelled: realized.n, fraction: predictions > 0 ? realized.n / predictions : null },
      baseline,
      calibration: calibration ? calibrationView(version, calibration) : null,
      weeks,
      history: history.map(estimateRecordView),
    };
  }

  /** Every ISO week the window touches, whole: predictions, labels, coverage and label delay. */
  private async weeks(version: ModelVersionEntity, window: Window) {
    const from = weekStart(window.from);
    const to = new Date(weekStart(new Date(window.to.getTime() - 1)).getTime() + WEEK_MS);
    const rows = await this.windows.labelWeeks(version.id, confidenceSignal(version), from, to);
    return rows.map((w) => ({
      isoWeek: isoWeek(w.weekFrom),
      from: w.weekFrom,
      to: new Date(w.weekFrom.getTime() + WEEK_MS),
      predictions: w.predictions,
      labelled: w.labelled,
      coverage: w.predictions > 0 ? w.labelled / w.predictions : null,
      realizedAccuracy: w.labelled > 0 ? w.correct / w.labelled : null,
      labelDelaySeconds: w.delaySeconds,
    }));
  }

  private wilson(correct: number, n: number) {
    return wilsonInterval(correct, n, this.config.EVAL_CONFIDENCE_LEVEL);
  }
}
