import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { conflict, DomainError, invalid, notFound } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { EvaluationSetEntity } from '../evaluation/evaluation-set.entity';
import { EvaluationSetRepository } from '../evaluation/evaluation-set.repository';
import { imageToTensor } from '../inference/preprocess/image-preprocessor';
import { inputDims, inputSize } from '../inference/runtime/types';
import { JobQueue } from '../infra/queue/job-queue';
import { ModelRegistry } from '../models/model-registry.service';
import { ModelVariantRepository } from '../models/model-variant.repository';
import { ModelVersionEntity } from '../models/model-version.entity';
import { ModelVersionRepository } from '../models/model-version.repository';
import { ModelStore } from '../models/model-store';
import { calibrate, CalibrationMethod } from './calibrator';
import { CALIBRATION_BATCH, MAX_CALIBRATION_IMAGES, MIN_CALIBRATION_IMAGES } from './defaults';
import { decodeModel, encodeModel, ModelProto } from './onnx-model';
import { calibrationCopy, planQuantization, quantizeGraph } from './qdq-graph';
import { QuantizationJobEntity } from './quantization-job.entity';
import { quantizeJob } from './quantization.jobs';
import { QuantizeRequest } from './quantization.dto';
import { QuantizationRepository } from './quantization.repository';
import { QuantizationSettings } from './quantization-report';

/** INT8 variants made here: checked and planned at request time, calibrated and registered in a job. */
@Injectable()
export class QuantizationService {
  private readonly logger = new Logger('Quantization');

  constructor(
    private readonly registry: ModelRegistry,
    private readonly versions: ModelVersionRepository,
    private readonly variants: ModelVariantRepository,
    private readonly store: ModelStore,
    private readonly sets: EvaluationSetRepository,
    private readonly jobs: QuantizationRepository,
    private readonly queue: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async start(name: string, version: string, request: QuantizeRequest): Promise<QuantizationJobEntity> {
    const parent = await this.registry.get(name, version);
    if (await this.variants.find(parent.id))
      throw new DomainError('unprocessable', 'variant_of_variant', `version ${version} is itself a variant`);
    const set = await this.calibrationSet(name, request.set);
    const targetVersion = request.targetVersion ?? `${version}-int8`;
    if (await this.versions.find(name, targetVersion))
      throw conflict('model_version_exists', `model ${name} version ${targetVersion} is already registered`);
    // Planned now so that a model with nothing to quantize is a 422 here, not a failed job later.
    const plan = planQuantization(await this.parentModel(parent));
    if (plan.nodes.length === 0) {
      throw new DomainError(
        'unprocessable',
        'nothing_to_quantize',
        'the model has no Conv, Gemm or MatMul with a weight in the file',
        {
          fp32Ops: plan.fp32Ops,
          skipped: plan.skipped,
        },
      );
    }
    const settings: QuantizationSettings = {
      set: { id: set.id, name: set.name },
      method: request.method,
      percentile: request.method === 'percentile' ? request.percentile : null,
      activationType: request.activationType,
      calibrationImages: Math.min(set.itemCount, MAX_CALIBRATION_IMAGES),
    };
    const job = await this.jobs.create({
      id: randomUUID(),
      parentId: parent.id,
      targetVersion,
      settings,
      status: 'queued',
    });
    await this.queue.enqueue(quantizeJob, { jobId: job.id }, { jobId: `quantize-${job.id}` });
    return job;
  }

  async job(name: string, id: string): Promise<{ job: QuantizationJobEntity; parent: ModelVersionEntity }> {
    const job = await this.jobs.find(id);
    const parent = job && (await this.versions.findById(job.parentId));
    if (!job || !parent || parent.name !== name)
      throw notFound('quantization_not_found', `model ${name} has no quantization ${id}`);
    return { job, parent };
  }

  /** The job's work; its outcome (report or error) is stored on the job, never retried. */
  async run(jobId: string): Promise<void> {
    const job = await this.jobs.find(jobId);
    if (!job || job.status !== 'queued') return; // done already, or picked up twice
    try {
      const parent = (await this.versions.findById(job.parentId))!;
      const report = await this.quantize(job, parent);
      await this.jobs.complete(job.id, report);
      this.logger.log(
        { model: parent.name, version: parent.version, variant: job.targetVersion },
        'INT8 variant registered',
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.jobs.fail(job.id, message);
      this.logger.warn({ jobId, err: error }, 'quantization failed');
    }
  }

  private async quantize(job: QuantizationJobEntity, parent: ModelVersionEntity) {
    const model = await this.parentModel(parent);
    const plan = planQuantization(model);
    const items = (await this.sets.items(job.settings.set.id)).slice(0, MAX_CALIBRATION_IMAGES);
    const size = inputSize(parent.inputSpec);
    const batchCount = Math.ceil(items.length / CALIBRATION_BATCH);
    const batches = async function* (this: QuantizationService) {
      for (let start = 0; start < items.length; start += CALIBRATION_BATCH) {
        const chunk = items.slice(start, start + CALIBRATION_BATCH);
        const data = new Float32Array(chunk.length * size);
        for (let i = 0; i < chunk.length; i++) {
          const limits = { maxPixels: this.config.MAX_IMAGE_PIXELS };
          data.set((await imageToTensor(chunk[i].image, parent.inputSpec, limits)).tensor, i * size);
        }
        yield { data, n: chunk.length };
      }
    }.bind(this);
    const method: CalibrationMethod =
      job.settings.method === 'minmax'
        ? { kind: 'minmax' }
        : { kind: 'percentile', percentile: job.settings.percentile! };
    const input = {
      inputName: model.graph.input.find((i) => !model.graph.initializer.some((t) => t.name === i.name))!.name,
      itemDims: inputDims(parent.inputSpec, 1).slice(1),
      batches,
      batchCount,
      intraOpThreads: this.config.INFERENCE_INTRA_OP_THREADS,
    };
    const ranges = await calibrate(
      encodeModel(calibrationCopy(model, plan.activations)),
      plan.activations,
      input,
      method,
      (done, total) => this.jobs.progress(job.id, 'calibrating', done, total),
    );
    const quantized = quantizeGraph(model, plan, ranges, job.settings.activationType);
    const bytes = encodeModel(quantized.model);
    await this.jobs.progress(job.id, 'registering', batchCount, batchCount);
    const variant = await this.registry.register(
      {
        name: parent.name,
        version: job.targetVersion,
        labels: parent.labels,
        inputSpec: parent.inputSpec,
        role: 'challenger',
        variantOf: parent.version,
      },
      bytes,
      'quantized',
    );
    const parentBytes = (await readFile(this.store.pathOf(parent.fileSha256))).length;
    return {
      variantVersionId: variant.id,
      variantVersion: variant.version,
      fileSha256: variant.fileSha256,
      fileBytes: bytes.length,
      parentFileBytes: parentBytes,
      quantizedNodes: plan.nodes.map((p) => ({ node: p.node.name ?? '', opType: p.node.opType })),
      fp32Ops: plan.fp32Ops,
      skipped: plan.skipped,
      weights: quantized.weights,
      activations: quantized.activations,
    };
  }

  private async parentModel(parent: ModelVersionEntity): Promise<ModelProto> {
    return decodeModel(await readFile(this.store.pathOf(parent.fileSha256)));
  }

  /** The set by name; too few images is a 400 naming the minimum. */
  private async calibrationSet(modelName: string, name: string): Promise<EvaluationSetEntity> {
    const set = (await this.sets.list(modelName)).find((s) => s.name === name);
    if (!set) throw notFound('set_not_found', `model ${modelName} has no evaluation set named ${name}`);
    if (set.itemCount < MIN_CALIBRATION_IMAGES) {
      throw invalid(
        'calibration_set_too_small',
        `calibration needs at least ${MIN_CALIBRATION_IMAGES} images; set ${name} has ${set.itemCount}`,
        { minimum: MIN_CALIBRATION_IMAGES, got: set.itemCount },
      );
    }
    return set;
  }
}
