import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import {
  buildInferResponse,
  encodeInferResponse,
  PREDICTED_LABEL_OUTPUT,
  type EncodedInferResponse,
} from '../inference/oip';
import { ModelRunner } from '../models/model-runner';
import { ModelRegistry } from '../models/model-registry.service';
import { ModelVersionEntity } from '../models/model-version.entity';
import { PredictionService, ServeContext } from './prediction.service';

/** The raw infer body and the header that says where its JSON part ends. */
export interface RawInferBody {
  bytes: Buffer;
  /** The Inference-Header-Content-Length request header, when the client sent binary tensors. */
  headerLength?: string;
}

/** Open Inference Protocol infer: body in (JSON or binary tensors), prediction, answer out. */
@Injectable()
export class OipInferenceService {
  constructor(
    private readonly predictions: PredictionService,
    private readonly registry: ModelRegistry,
    private readonly runner: ModelRunner,
    private readonly config: AppConfig,
  ) {}

  /**
   * `/v2/models/{name}[/versions/{version}]/infer`: the version asked for, else the champion or the
   * experiment arm for the unit. The body is read only once the model is known (a 404 reads none).
   */
  async serve(
    name: string,
    version: string | undefined,
    unitId: string | undefined,
    readBody: () => Promise<RawInferBody>,
  ): Promise<EncodedInferResponse> {
    const { model, context } = await this.predictions.route(name, version, unitId);
    return this.infer(model, await readBody(), context);
  }

  private async infer(
    model: ModelVersionEntity,
    body: RawInferBody,
    context: ServeContext,
  ): Promise<EncodedInferResponse> {
    const load = await this.runner.ensureLoaded(this.registry.loadable(model));
    const outputName = load.outputs[0].name;
    const io = {
      inputName: load.inputs[0].name,
      spec: model.inputSpec,
      maxBatch: this.config.MAX_REQUEST_ITEMS,
      outputs: [
        { name: outputName, numeric: true },
        { name: PREDICTED_LABEL_OUTPUT, numeric: false },
      ],
    };
    const request = await this.runner.parseTensorBody(body.bytes, body.headerLength, io);
    const served = await this.predictions.predictTensor(model, request.tensor, request.rowHashes, context);
    const numClasses = model.labels.length;
    const probabilities = new Float32Array(request.batch * numClasses);
    served.predictions.forEach((p, i) => probabilities.set(p.probabilities, i * numClasses));
    const result = buildInferResponse({
      modelName: model.name,
      modelVersion: model.version,
      id: request.id,
      outputName,
      probabilities,
      batch: request.batch,
      numClasses,
      predictionIds: served.predictions.map((p) => p.predictionId),
      labels: served.predictions.map((p) => model.labels[p.predictedClass]),
      classLabels: model.labels,
      outputs: request.outputs,
    });
    return encodeInferResponse(result);
  }
}
