import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { invalid } from '../common/domain-error';
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
import { minSamplesFor } from './stats';

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

  private requireSamples(n: number, model: ModelVersionEntity, what: string): void {
    const needed = this.config.DRIFT_MIN_SAMPLES ?? minSamplesFor(Math.max(12, model.labels.length));
    if (n < needed) {
      throw invalid('reference_too_small', `a reference needs at least ${needed} samples; got ${n} ${what}`, {
        needed,
        got: n,
      });
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
