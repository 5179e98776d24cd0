import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DomainError, invalid } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { ModelRunner } from '../models/model-runner';
import { imageToTensor } from '../inference/preprocess/image-preprocessor';
import { inputSize } from '../inference/runtime/types';
import { ModelRegistry } from '../models/model-registry.service';
import { ModelVersionEntity } from '../models/model-version.entity';
import { HistogramRepository } from '../recording/histogram.repository';
import { HistogramAggregator } from '../recording/histogram-aggregator';
import { DriftReferenceEntity } from './drift-reference.entity';
import { DriftRepository } from './drift.repository';
import { Reference, ReferenceBatch, referenceFromBatches, referenceFromCounts } from './reference-histograms';
import { referenceImagesUnder } from './reference-folder';
import { minReferenceSamples, modelMinSamples } from './stats';

const SCORE_CHUNK = 64;
// Model inputs of a reference kept in memory between its two passes (64 MB: 250,000 digits).
const KEPT_INPUT_BYTES = 64 * 1024 * 1024;

type ImageSource = (index: number) => Promise<{ name: string; bytes: Buffer }>;

/** Sets a model version's reference; doing so fixes the bin edges of every signal. */
@Injectable()
export class DriftReferenceService {
  private readonly logger = new Logger('DriftReference');

  constructor(
    private readonly drift: DriftRepository,
    private readonly registry: ModelRegistry,
    private readonly runner: ModelRunner,
    private readonly histograms: HistogramRepository,
    private readonly aggregator: HistogramAggregator,
    private readonly config: AppConfig,
  ) {}

  /** A set of images run through the model (e.g. the data it was validated on). */
  fromImages(model: ModelVersionEntity, images: Buffer[]): Promise<DriftReferenceEntity> {
    return this.fromImageSource(model, images.length, async (i) => ({ name: `image ${i + 1}`, bytes: images[i] }));
  }

  /** Every image of a folder under REFERENCE_DIR: references too large for one upload. */
  async fromFolder(model: ModelVersionEntity, path: string): Promise<DriftReferenceEntity> {
    const files = await referenceImagesUnder(this.config.REFERENCE_DIR, path);
    return this.fromImageSource(model, files.length, async (i) => ({
      name: files[i].name,
      bytes: await readFile(files[i].path).catch(() => {
        throw invalid('reference_file_unreadable', `${files[i].name} in ${path} cannot be read`);
      }),
    }));
  }

  private async fromImageSource(model: ModelVersionEntity, n: number, image: ImageSource) {
    this.requireSamples(n, model, 'images');
    // Inputs are kept for the second pass only while they are small; larger ones are decoded again.
    const keep = n * inputSize(model.inputSpec) * 4 <= KEPT_INPUT_BYTES;
    const done: ReferenceBatch[] = [];
    const batches = () => this.scoredBatches(model, n, image, done, keep);
    const reference = await referenceFromBatches(batches, model.inputSpec, model.signalSpecs);
    return this.save(model, reference, { source: 'images', sampleCount: n, windowFrom: null, windowTo: null });
  }

  /** The images in batches of SCORE_CHUNK, decoded in parallel; each batch is scored once. */
  private async *scoredBatches(
    model: ModelVersionEntity,
    n: number,
    image: ImageSource,
    done: ReferenceBatch[],
    keep: boolean,
  ): AsyncGenerator<ReferenceBatch> {
    const size = inputSize(model.inputSpec);
    const loadable = this.registry.loadable(model);
    for (let start = 0, b = 0; start < n; start += SCORE_CHUNK, b++) {
      if (done[b]?.tensor.length) {
        yield done[b];
        continue;
      }
      const count = Math.min(SCORE_CHUNK, n - start);
      const tensor = new Float32Array(count * size);
      const inputs = await Promise.all(
        Array.from({ length: count }, async (_, i) => this.decode(model, await image(start + i))),
      );
      inputs.forEach((input, i) => tensor.set(input, i * size));
      const probabilities = done[b]?.probabilities ?? (await this.runner.score(loadable, tensor, count));
      done[b] = { tensor: keep ? tensor : new Float32Array(0), probabilities, n: count };
      yield { tensor, probabilities, n: count };
    }
  }

  /** One image's model input; a bad image is refused naming it. */
  private async decode(model: ModelVersionEntity, { name, bytes }: { name: string; bytes: Buffer }) {
    try {
      return (await imageToTensor(bytes, model.inputSpec, { maxPixels: this.config.MAX_IMAGE_PIXELS })).tensor;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      throw new DomainError(error.kind, error.code, `${name}: ${error.message}`, error.details);
    }
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
    await this.runner.updateSignals({
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
