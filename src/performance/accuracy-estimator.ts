import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { defaultSignalSpecs } from '../inference/runtime/types';
import { ModelVersionEntity } from '../models/model-version.entity';
import { HistogramAggregator } from '../recording/histogram-aggregator';
import { CalibrationEntity } from './calibration.entity';
import { CalibrationRepository } from './calibration.repository';
import { CONFIDENCE_KIND } from './defaults';
import { bootstrapCurves, CalibrationModel, ConfidenceHistogram, estimateAccuracy } from './stats';
import { DriftEvidence, WindowDataRepository } from './window-data.repository';
import { WindowEstimate } from './window-estimate';

const CACHED_CALIBRATIONS = 32;

export interface Window {
  from: Date;
  to: Date;
}

/**
 * Estimated accuracy of a version over a window from its stored confidence histograms and its
 * latest calibration (README "Estimated accuracy"), flagged unreliable when its inputs drifted.
 */
@Injectable()
export class AccuracyEstimator {
  // Bootstrap curves are refitted from the stored points once per calibration, not per estimate.
  private readonly models = new Map<string, CalibrationModel>();

  constructor(
    private readonly calibrations: CalibrationRepository,
    private readonly windows: WindowDataRepository,
    private readonly aggregator: HistogramAggregator,
    private readonly config: AppConfig,
  ) {}

  /** Null when the version has no calibration (nothing to estimate with). */
  async estimate(version: ModelVersionEntity, window: Window): Promise<WindowEstimate | null> {
    const calibration = await this.calibrations.latest(version.id);
    if (!calibration) return null;
    await this.aggregator.flush().catch(() => undefined); // this replica's latest minute counts too
    const signal = confidenceSignal(version);
    const histograms: ConfidenceHistogram[] = [];
    let uncounted = 0;
    for (const stored of await this.windows.signalCounts(version.id, signal, window.from, window.to)) {
      const edges = await this.edgesOf(version, stored.edgesVersion, signal);
      if (edges && edges.length + 1 === stored.counts.length) histograms.push({ edges, counts: stored.counts });
      else uncounted += stored.total;
    }
    const value = estimateAccuracy(histograms, this.modelOf(calibration), this.config.EVAL_CONFIDENCE_LEVEL);
    const evidence = await this.windows.driftEvidence(version.id, window.from, window.to);
    return {
      calibrationId: calibration.id,
      window: { from: window.from.toISOString(), to: window.to.toISOString() },
      n: value?.n ?? 0,
      accuracy: value?.accuracy ?? null,
      interval: value?.interval ?? null,
      binomialSd: value?.binomialSd ?? null,
      calibrationSd: value?.calibrationSd ?? null,
      binningBounds: value?.binningBounds ?? null,
      uncountedPredictions: uncounted,
      ...reliability(evidence),
    };
  }

  private async edgesOf(version: ModelVersionEntity, edgesVersion: number, signal: string): Promise<number[] | null> {
    if (edgesVersion === version.edgesVersion) return version.signalSpecs.find((s) => s.name === signal)?.edges ?? null;
    const fromReference = await this.windows.referenceEdges(version.id, edgesVersion, signal);
    if (fromReference) return fromReference;
    // Edges version 1 is the registration's: the fixed default edges, stored nowhere else.
    if (edgesVersion !== 1) return null;
    return defaultSignalSpecs(version.inputSpec, version.labels.length).find((s) => s.kind === CONFIDENCE_KIND)!.edges;
  }

  private modelOf(calibration: CalibrationEntity): CalibrationModel {
    const cached = this.models.get(calibration.id);
    if (cached) return cached;
    const { bootstrapReplicates, bootstrapSeed } = calibration.parameters;
    const model: CalibrationModel = {
      curve: calibration.curve,
      replicates: bootstrapCurves(calibration.points, bootstrapReplicates, bootstrapSeed),
      sortedConfidences: [...calibration.points.confidence].sort((a, b) => a - b),
    };
    if (this.models.size >= CACHED_CALIBRATIONS) this.models.delete(this.models.keys().next().value!);
    this.models.set(calibration.id, model);
    return model;
  }
}

export function confidenceSignal(version: ModelVersionEntity): string {
  return version.signalSpecs.find((s) => s.kind === CONFIDENCE_KIND)?.name ?? CONFIDENCE_KIND;
}

/**
 * The estimate assumes P(correct | confidence) did not change. Input drift (the images changed)
 * breaks that assumption; with no drift check that could assess the inputs in the window, nobody knows.
 */
function reliability(
  evidence: DriftEvidence,
): Pick<WindowEstimate, 'reliable' | 'reason' | 'reasonText' | 'driftingSignals'> {
  const { driftingSignals, assessedChecks } = evidence;
  if (driftingSignals.length > 0) {
    const text = `input signals drift in the window (${driftingSignals.join(', ')}): P(correct | confidence) may have changed`;
    return { reliable: false, reason: 'input_drift', reasonText: text, driftingSignals };
  }
  if (assessedChecks === 0) {
    const text = 'no drift check with enough data assessed the inputs in the window (set a drift reference)';
    return { reliable: false, reason: 'drift_not_assessed', reasonText: text, driftingSignals };
  }
  return { reliable: true, reason: null, reasonText: null, driftingSignals };
}
