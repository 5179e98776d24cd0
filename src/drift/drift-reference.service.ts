import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError, invalid } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { InferenceRuntime } from '../inference/inference-runtime';
import { imageToTensor } from '../inference/preprocess/image-preprocessor';
import { inputSize } from '../inference/runtime/types';
import { ModelRegistry } from '../models/model-registry.service';
import { ModelVersionEntity } from '../models/model-version.entity';
import { HistogramRepository } from '../monitoring/histogram.repository';
import { HistogramAggregator } from '../monitoring/histogram-aggregator';
import { DriftReferenceEntity } from './drift-reference.entity';
import { DriftRepository } from './drift.repository';
import { Reference, referenceFromCounts, referenceFromInputs } from './reference-histograms';
import { minReferenceSamples, modelMinSamples } from './stats';

const SCORE_CHUNK = 64;

/** Sets a model version's reference; doing so fixes the bin edges of every signal. */
@Injectable()
export class DriftReferenceService {
  private readonly logger = new Logger('DriftReference');

  constructor(
    private readonly drift: DriftRepository,
    private readonly registry: ModelRegistry,
    private readonly runtime: InferenceRuntime,
    private readonly histograms: HistogramRepository,
    private readonly aggregator: HistogramAggregator,
    private readonly config: AppConfig,
  ) {}

  /** A set of images run through the model (e.g. the data it was validated on). */
  async fromImages(model: ModelVersionEntity, images: Buffer[]): Promise<DriftReferenceEntity> {
    this.requireSamples(images.length, model, 'images');
    const spec = model.inputSpec;
    const size = inputSize(spec);
    const tensor = new Float32Array(images.length * size);
    for (let i = 0; i < images.length; i++) {
      tensor.set((await imageToTensor(images[i], spec, { maxPixels: this.config.MAX_IMAGE_PIXELS })).tensor, i * size);
    }
    const probabilities = new Float32Array(images.length * model.labels.length);
    const loadable = this.registry.loadable(model);
    for (let start = 0; start < images.length; start += SCORE_CHUNK) {
      const n = Math.min(SCORE_CHUNK, images.length - start);
      const scored = await this.runtime.score(loadable, tensor.subarray(start * size, (start + n) * size), n);
      probabilities.set(scored, start * model.labels.length);
    }
    const reference = referenceFromInputs(tensor, probabilities, images.length, spec, model.signalSpecs);
    return this.save(model, reference, {
      source: 'images',
      sampleCount: images.length,
      windowFrom: null,
      windowTo: null,
    });
  }

  /** A window of logged traffic, from its stored histogram counts. */
  async fromWindow(model: ModelVersionEntity, from: Date, to: Date): Promise<DriftReferenceEntity> {
    await this.aggregator.flush();
    const sums = await this.histograms.sumCounts(model.id, model.edgesVersion, from, to);
    const images = sums['class']?.total ?? 0;
    this.requireSamples(images, model, 'predictions in the window');
    const counts = Object.fromEntries(Object.entries(sums).map(([signal, sum]) => [signal, sum.counts]));
    const reference = referenceFromCounts(model.signalSpecs, counts);
    return this.save(model, reference, { source: 'window', sampleCount: images, windowFrom: from, windowTo: to });
  }

  /**
   * PUT .../drift/settings: a threshold that the current reference is too small for would leave
   * every check `insufficient_data` (or under-powered against false alerts), so it is refused
   * with 409 naming the size needed; set a larger reference first.
   */
  async setThreshold(model: ModelVersionEntity, threshold: number | null): Promise<void> {
    const reference = await this.drift.latestReference(model.id);
    const effective = threshold ?? this.config.DRIFT_KL_THRESHOLD;
    const needed = this.minimumFor(model, effective);
    if (reference && reference.sampleCount < needed) {
      const message =
        `threshold ${effective} needs a drift reference of at least ${needed} images; the current one has ` +
        `${reference.sampleCount}: set a larger reference first`;
      throw new DomainError('conflict', 'reference_too_small', message, {
        needed,
        got: reference.sampleCount,
        threshold: effective,
      });
    }
    await this.drift.setThreshold(model.id, threshold);
  }

  /** Reference size for the version at a threshold: the configured or derived minimum (README "Drift"). */
  minimumFor(model: ModelVersionEntity, threshold: number): number {
    const window = this.config.DRIFT_MIN_SAMPLES ?? modelMinSamples(model.labels.length, threshold);
    return minReferenceSamples(window, this.config.DRIFT_MIN_REFERENCE_SAMPLES);
  }

  // The version's own threshold: a lower one needs larger windows and a larger reference.
  private requireSamples(n: number, model: ModelVersionEntity, what: string): void {
    const threshold = model.driftThreshold ?? this.config.DRIFT_KL_THRESHOLD;
    const needed = this.minimumFor(model, threshold);
    if (n < needed) {
      const message = `a drift reference at threshold ${threshold} needs at least ${needed} samples; got ${n} ${what}`;
      throw invalid('reference_too_small', message, { needed, got: n, threshold });
    }
  }

  private async save(
    model: ModelVersionEntity,
    reference: Reference,
    origin: Pick<DriftReferenceEntity, 'source' | 'sampleCount' | 'windowFrom' | 'windowTo'>,
  ): Promise<DriftReferenceEntity> {
    const edgesVersion = model.edgesVersion + 1;
    const entity: DriftReferenceEntity = {
      id: randomUUID(),
      modelVersionId: model.id,
      ...origin,
      edgesVersion,
      histograms: reference.histograms,
      createdAt: new Date(),
    };
    await this.drift.transaction((manager) =>
      this.drift.saveReference(manager, entity, { signalSpecs: reference.signals, edgesVersion }),
    );
    await this.runtime.updateSignals({
      ...this.registry.loadable(model),
      signalSpecs: reference.signals,
      edgesVersion,
    });
    this.logger.log(
      { model: model.name, version: model.version, source: origin.source, n: origin.sampleCount },
      'drift reference set',
    );
    return entity;
  }
}
