import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { countsPerImage } from '../inference/runtime/types';
import { ModelVersionEntity } from '../models/model-version.entity';
import { HistogramRepository } from '../recording/histogram.repository';
import { HistogramAggregator } from '../recording/histogram-aggregator';
import { DriftReferenceEntity } from './drift-reference.entity';
import { DriftReportEntity, SignalReport } from './drift-report.entity';
import { DriftAlerts } from './drift-alerts';
import { DriftRepository } from './drift.repository';
import { assessSignal, DriftState, nextAlertState, overallState } from './stats';

export interface DriftWindow {
  from: Date;
  to: Date;
}

/** One drift check of a model version: every signal against the reference, stored as a report. */
@Injectable()
export class DriftCheckService {
  private readonly logger = new Logger('DriftCheck');

  constructor(
    private readonly drift: DriftRepository,
    private readonly histograms: HistogramRepository,
    private readonly aggregator: HistogramAggregator,
    private readonly alerts: DriftAlerts,
    private readonly config: AppConfig,
  ) {}

  defaultWindow(now = new Date()): DriftWindow {
    return { from: new Date(now.getTime() - this.config.DRIFT_WINDOW_HOURS * 3_600_000), to: now };
  }

  /** Assesses without storing (explicit ranges asked for by API). */
  async assess(
    model: ModelVersionEntity,
    window: DriftWindow,
  ): Promise<{ state: DriftState; signals: SignalReport[]; reference: DriftReferenceEntity | null }> {
    const reference = await this.drift.latestReference(model.id);
    if (!reference) return { state: 'insufficient_data', signals: [], reference: null };
    await this.aggregator.flush().catch(() => undefined);
    const sums = await this.histograms.sumCounts(model.id, reference.edgesVersion, window.from, window.to);
    const threshold = model.driftThreshold ?? this.config.DRIFT_KL_THRESHOLD;
    const counted = this.countedSignals(Object.keys(reference.histograms));
    const signals = Object.entries(reference.histograms).map(([signal, ref]): SignalReport => {
      const current = sums[signal]?.counts ?? new Array<number>(ref.counts.length).fill(0);
      const assessment = assessSignal({
        current,
        reference: ref.counts,
        threshold,
        minSamples: this.config.DRIFT_MIN_SAMPLES,
        countsPerImage: countedPerImage(model, signal),
      });
      return {
        signal,
        threshold,
        counted: counted.includes(signal),
        ...assessment,
        current: { edges: ref.edges, counts: current },
        reference: ref,
      };
    });
    const states = Object.fromEntries(signals.map((s) => [s.signal, s.state]));
    return { state: overallState(states, counted), signals, reference };
  }

  /** The scheduled check: assess the rolling window, store the report, alert on transitions. */
  async check(model: ModelVersionEntity, now = new Date()): Promise<DriftReportEntity> {
    const window = this.defaultWindow(now);
    const { state, signals, reference } = await this.assess(model, window);
    const events: string[] = [];
    const saved = await this.drift.transaction(async (manager) => {
      await this.drift.lockModelVersion(manager, model.id);
      const previous = await this.drift.latestReport(model.id, manager);
      const wasAlerting = previous?.alerting ?? false;
      const { driftStreak, alerting } = nextAlertState(previous, state, this.config.DRIFT_ALERT_AFTER_CHECKS);
      const report: DriftReportEntity = {
        id: randomUUID(),
        modelVersionId: model.id,
        referenceId: reference?.id ?? null,
        checkedAt: now,
        windowFrom: window.from,
        windowTo: window.to,
        state,
        driftStreak,
        alerting, // the DESIGN's rule, shared with the alert simulation (stats/alert-rule.ts)
        signals,
      };
      if (!(await this.drift.saveReport(manager, report))) {
        // This check time was checked already (a duplicated or retried job): keep that report, alert nothing.
        return (await this.drift.reportAt(manager, model.id, now))!;
      }
      if (report.alerting && !wasAlerting) events.push(await this.alerts.detected(manager, model, report));
      if (!report.alerting && wasAlerting) events.push(await this.alerts.resolved(manager, model, report));
      return report;
    });
    await this.alerts.dispatch(events);
    this.logger.log({ model: model.name, version: model.version, state, alerting: saved.alerting }, 'drift checked');
    return saved;
  }

  private countedSignals(all: string[]): string[] {
    const configured = this.config.DRIFT_SIGNALS;
    return configured.includes('all')
      ? all
      : all.filter((s) => configured.some((c) => s === c || s.startsWith(`${c}:`)));
  }
}

/** Counts one image adds to a signal: the pixels it samples (see SignalSpec.stride), else one. */
function countedPerImage(model: ModelVersionEntity, signal: string): number {
  const spec = model.signalSpecs.find((s) => s.name === signal);
  return countsPerImage(model.inputSpec, spec ?? { kind: signal.startsWith('pixel:') ? 'pixel' : 'class' });
}
