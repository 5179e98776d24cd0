import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RequestContext } from '../common/request-context';
import type { MemberAnswer } from '../ensembles/ensemble-sessions';
import { ModelRunner } from '../models/model-runner';
import { MetricsService } from '../metrics/metrics.service';
import { ModelRegistry } from '../models/model-registry.service';
import { ModelVersionEntity } from '../models/model-version.entity';
import { PredictionRecord } from '../recording/prediction-record';
import { TrafficRecorder } from '../recording/traffic-recorder';
import { ArmErrorRecorder } from '../experiments/arm-error-recorder';
import { ExperimentRouter } from '../experiments/experiment-router';

type Input = { tensor: Float32Array; inputHash: string };
/** Where a failed inference is counted: the experiment and the arm that ran it. */
type FailureArm = { experimentId: string; arm: string };

export interface ServeContext {
  unitId?: string;
  /** Who sent the request (API key, else address): image decoding is shared fairly between clients. */
  client?: string;
  /** The running experiment that routed this request; its arms count failed inferences. */
  experimentId?: string;
  /** The experiment arm that answers; logged as the prediction's role. */
  arm?: string;
  /** Shadow mode: the challenger scores the same inputs after the answer, never before it. */
  shadow?: ModelVersionEntity;
}

export interface Prediction {
  predictionId: string;
  probabilities: Float32Array;
  predictedClass: number;
  confidence: number;
  /** An ensemble's members' answers (shown with `?members=true`). */
  members?: MemberAnswer[];
}

export interface ServedBatch {
  model: ModelVersionEntity;
  predictions: Prediction[];
}

interface ItemMetrics {
  succeeded: { inc(): void };
  failed: { inc(): void };
  latency: { observe(seconds: number): void };
}

/** The inference data path: route, preprocess, run through the batcher, log every prediction. */
@Injectable()
export class PredictionService {
  private readonly itemMetrics = new Map<string, ItemMetrics>();

  constructor(
    private readonly registry: ModelRegistry,
    private readonly runner: ModelRunner,
    private readonly recorder: TrafficRecorder,
    private readonly metrics: MetricsService,
    private readonly experiments: ExperimentRouter,
    private readonly armErrors: ArmErrorRecorder,
  ) {}

  resolve(name: string, version?: string): Promise<ModelVersionEntity> {
    return this.registry.resolve(name, version);
  }

  /** A given version; else the running experiment's arm for the unit; else the champion. */
  async route(name: string, version: string | undefined, unitId?: string) {
    const routed = version === undefined ? await this.experiments.route(name, unitId) : null;
    if (!routed) return { model: await this.registry.resolve(name, version), context: { unitId } as ServeContext };
    const { unitId: routedUnit, experimentId, arm, shadow } = routed;
    const context: ServeContext = { unitId: routedUnit, experimentId, arm, shadow };
    return { model: routed.model, context };
  }

  /** Images are decoded and validated before any of them is run: one bad image fails the request. */
  async predictImages(model: ModelVersionEntity, images: Buffer[], context: ServeContext): Promise<ServedBatch> {
    const inputs = await this.runner.decodeImages(context.client ?? 'unknown', images, model.inputSpec);
    return this.serve(model, inputs, context);
  }

  /** `tensor` holds `batch` model inputs back to back, already in the model's layout; `hashes` one per row (row-hashes.ts). */
  async predictTensor(
    model: ModelVersionEntity,
    tensor: Float32Array,
    hashes: string[],
    context: ServeContext,
  ): Promise<ServedBatch> {
    const size = tensor.length / hashes.length;
    // Views, not copies: the batcher copies each item into its batch buffer anyway.
    const inputs = hashes.map((inputHash, i) => ({ tensor: tensor.subarray(i * size, (i + 1) * size), inputHash }));
    return this.serve(model, inputs, context);
  }

  private async serve(model: ModelVersionEntity, inputs: Input[], context: ServeContext): Promise<ServedBatch> {
    const failures =
      context.experimentId && context.arm ? { experimentId: context.experimentId, arm: context.arm } : null;
    const results = await this.run(model, inputs, failures);
    const predictions = results.map((result) => toPrediction(result.probabilities, result.members));
    this.recorder.recordPredictions(
      this.records(model, context.arm ?? model.role, predictions, results, inputs, context),
    );
    if (context.shadow) this.scoreShadow(context.shadow, inputs, context);
    return { model, predictions };
  }

  private async run(model: ModelVersionEntity, inputs: Input[], failures: FailureArm | null) {
    const loadable = this.registry.loadable(model);
    // Loaded already on the OIP path (its answer needs the description): no second await there.
    const provider = this.runner.provider(model.id) ?? (await this.runner.ensureLoaded(loadable)).provider;
    const { succeeded, failed, latency } = this.metricsFor(model, provider);
    return Promise.all(
      inputs.map(async (input) => {
        const started = performance.now();
        try {
          const { probabilities, members, signals } = await this.runner.infer(loadable, input.tensor);
          // Counted whatever happens to the request's other inputs: the batch ran.
          if (signals) this.recorder.recordSignals(signals);
          const latencyMs = performance.now() - started;
          succeeded.inc();
          latency.observe(latencyMs / 1000);
          return { probabilities, latencyMs, members };
        } catch (error) {
          failed.inc();
          if (failures) await this.armErrors.recordFailure(failures.experimentId, failures.arm, error);
          throw error;
        }
      }),
    );
  }

  /** The version's metric children, looked up once: a label lookup hashes every label on each call. */
  private metricsFor(model: ModelVersionEntity, provider: string): ItemMetrics {
    const key = `${model.id} ${provider}`;
    let children = this.itemMetrics.get(key);
    if (!children) {
      const labels = { model: model.name, version: model.version, provider };
      children = {
        succeeded: this.metrics.inferenceRequests.labels({ ...labels, outcome: 'ok' }),
        failed: this.metrics.inferenceRequests.labels({ ...labels, outcome: 'error' }),
        latency: this.metrics.inferenceLatency.labels(labels),
      };
      this.itemMetrics.set(key, children);
    }
    return children;
  }

  /** Not awaited: the answer goes out while the challenger scores; its rows carry role 'shadow'. */
  private scoreShadow(shadow: ModelVersionEntity, inputs: Input[], context: ServeContext): void {
    const requestId = RequestContext.requestId();
    const failures = context.experimentId ? { experimentId: context.experimentId, arm: 'shadow' } : null;
    void this.run(shadow, inputs, failures)
      .then((results) => {
        const predictions = results.map((result) => toPrediction(result.probabilities));
        const records = this.records(shadow, 'shadow', predictions, results, inputs, context);
        this.recorder.recordPredictions(records.map((r) => ({ ...r, requestId: requestId ?? null })));
      })
      .catch(() => undefined); // a failing shadow must never affect serving; its metrics count it
  }

  private records(
    model: ModelVersionEntity,
    role: string,
    predictions: Prediction[],
    results: Array<{ latencyMs: number }>,
    inputs: Input[],
    context: ServeContext,
  ): PredictionRecord[] {
    const createdAt = new Date();
    const requestId = RequestContext.requestId() ?? null;
    return predictions.map((prediction, i) => ({
      id: prediction.predictionId,
      createdAt,
      modelVersionId: model.id,
      role,
      predictedClass: prediction.predictedClass,
      confidence: prediction.confidence,
      latencyMs: results[i].latencyMs,
      unitId: context.unitId ?? null,
      requestId,
      inputHash: inputs[i].inputHash,
    }));
  }
}

function toPrediction(probabilities: Float32Array, members?: MemberAnswer[]): Prediction {
  let predictedClass = 0;
  for (let k = 1; k < probabilities.length; k++)
    if (probabilities[k] > probabilities[predictedClass]) predictedClass = k;
  const confidence = probabilities[predictedClass];
  return { predictionId: randomUUID(), probabilities, predictedClass, confidence, members };
}

/** The k most probable labels, best first. */
export function topK(
  probabilities: Float32Array,
  labels: string[],
  k: number,
): Array<{ label: string; score: number }> {
  return Array.from(probabilities, (score, index) => ({ label: labels[index], score }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}
