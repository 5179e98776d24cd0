import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { notFound } from '../common/domain-error';
import { mulberry32 } from '../drift/stats/seeded-random';
import { unprocessable } from '../evaluation/evaluation-errors';
import { EvaluationSetRepository } from '../evaluation/evaluation-set.repository';
import { SetScorer } from '../evaluation/set-scorer';
import { ModelVersionEntity } from '../models/model-version.entity';
import { CalibrationEntity } from './calibration.entity';
import { CalibrationRepository } from './calibration.repository';
import { BOOTSTRAP_REPLICATES, BOOTSTRAP_SEED, MAX_CALIBRATION_POINTS, MIN_CALIBRATION_POINTS } from './defaults';
import { calibrate, CalibrationPoints, CALIBRATION_SEED, ECE_BINS, ECE_FOLDS } from './stats';

/** What to calibrate on: a registered labelled set (id or name), or the labelled feedback of a window. */
export type CalibrationRequest = { set: string } | { from: Date; to: Date };

/**
 * Fits P(correct | top-1 confidence) for a model version (isotonic) on labelled data it did not
 * train on, and stores it with its data; the latest calibration is the one estimates use.
 */
@Injectable()
export class CalibrationService {
  private readonly logger = new Logger('Calibration');

  constructor(
    private readonly calibrations: CalibrationRepository,
    private readonly sets: EvaluationSetRepository,
    private readonly scorer: SetScorer,
  ) {}

  async fit(version: ModelVersionEntity, request: CalibrationRequest): Promise<CalibrationEntity> {
    const { source, points, window } = await this.pointsFor(version, request);
    if (points.confidence.length < MIN_CALIBRATION_POINTS) {
      throw unprocessable(
        'too_few_labels',
        `calibration needs at least ${MIN_CALIBRATION_POINTS} labelled predictions; ${source} has ${points.confidence.length}`,
      );
    }
    const kept = subsample(points, MAX_CALIBRATION_POINTS);
    const summary = calibrate(kept);
    const calibration: CalibrationEntity = {
      id: randomUUID(),
      modelVersionId: version.id,
      source,
      windowFrom: window?.from ?? null,
      windowTo: window?.to ?? null,
      n: summary.n,
      correct: summary.correct,
      eceBefore: summary.eceBefore,
      eceAfter: summary.eceAfter,
      curve: summary.fit,
      points: kept,
      parameters: {
        method: 'isotonic',
        eceBins: ECE_BINS,
        eceFolds: ECE_FOLDS,
        bootstrapReplicates: BOOTSTRAP_REPLICATES,
        bootstrapSeed: BOOTSTRAP_SEED,
      },
      createdAt: new Date(),
    };
    await this.calibrations.insert(calibration);
    this.logger.log(
      {
        model: version.name,
        version: version.version,
        source,
        n: summary.n,
        eceBefore: summary.eceBefore,
        eceAfter: summary.eceAfter,
      },
      'model version calibrated',
    );
    return calibration;
  }

  async latest(version: ModelVersionEntity): Promise<CalibrationEntity> {
    const calibration = await this.calibrations.latest(version.id);
    if (!calibration)
      throw notFound('calibration_not_found', `${version.name} ${version.version} has no calibration yet`);
    return calibration;
  }

  private async pointsFor(version: ModelVersionEntity, request: CalibrationRequest) {
    if ('set' in request) {
      const set = (await this.sets.list(version.name)).find((s) => s.id === request.set || s.name === request.set);
      if (!set)
        throw notFound('evaluation_set_not_found', `model ${version.name} has no evaluation set '${request.set}'`);
      const scored = await this.scorer.score(version, await this.sets.items(set.id));
      const points = {
        confidence: scored.map((p) => p.confidence),
        correct: scored.map((p) => p.label === p.predicted),
      };
      return { source: `set:${set.id}`, points, window: null };
    }
    const points = await this.calibrations.feedbackPoints(version.id, request.from, request.to);
    return { source: 'feedback', points, window: request };
  }
}

/** Every point up to the cap; a seeded sample of the cap beyond it (the same data gives the same fit). */
function subsample(points: CalibrationPoints, cap: number): CalibrationPoints {
  const n = points.confidence.length;
  if (n <= cap) return points;
  const random = mulberry32(CALIBRATION_SEED);
  const index = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < cap; i++) {
    const j = i + Math.floor(random() * (n - i));
    [index[i], index[j]] = [index[j], index[i]];
  }
  const kept = index.slice(0, cap);
  return { confidence: kept.map((i) => points.confidence[i]), correct: kept.map((i) => points.correct[i]) };
}
