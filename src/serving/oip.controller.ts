import { Body, Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildInferResponse, modelMetadata, parseInferRequest } from '../inference/oip';
import { InferenceRuntime } from '../inference/inference-runtime';
import { ModelRegistry } from '../models/model-registry.service';
import { ModelVersionEntity } from '../models/model-version.entity';
import { AppConfig } from '../config/app-config';
import { serviceVersion } from '../config/service-version';
import { PredictionService, ServeContext } from './prediction.service';

/** Open Inference Protocol v2 (KServe, Triton, MLServer), JSON tensors; errors as `{ error }`. */
@Controller('v2')
export class OipController {
  constructor(
    private readonly predictions: PredictionService,
    private readonly registry: ModelRegistry,
    private readonly runtime: InferenceRuntime,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  @Get()
  server() {
    return { name: 'vigil', version: serviceVersion, extensions: [] };
  }

  @Get('health/live')
  live() {
    return { live: true };
  }

  @Get('health/ready')
  async ready() {
    const ready = await this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    );
    return { ready };
  }

  @Get('models/:name')
  async metadata(@Param('name') name: string) {
    return this.describe(await this.registry.resolve(name));
  }

  @Get('models/:name/versions/:version')
  async versionMetadata(@Param('name') name: string, @Param('version') version: string) {
    return this.describe(await this.registry.resolve(name, version));
  }

  @Get('models/:name/ready')
  async modelReady(@Param('name') name: string) {
    const model = await this.registry.resolve(name);
    return { name, ready: this.runtime.provider(model.id) !== undefined };
  }

  @Post('models/:name/infer')
  @HttpCode(200)
  async infer(@Param('name') name: string, @Body() body: unknown, @Headers('x-unit-id') unitId?: string) {
    const { model, context } = await this.predictions.route(name, undefined, unitId);
    return this.run(model, body, context);
  }

  @Post('models/:name/versions/:version/infer')
  @HttpCode(200)
  async inferVersion(
    @Param('name') name: string,
    @Param('version') version: string,
    @Body() body: unknown,
    @Headers('x-unit-id') unitId?: string,
  ) {
    return this.run(await this.registry.resolve(name, version), body, { unitId });
  }

  private async run(model: ModelVersionEntity, body: unknown, context: ServeContext) {
    const load = await this.runtime.ensureLoaded(this.registry.loadable(model));
    const request = parseInferRequest(body, {
      inputName: load.inputs[0].name,
      spec: model.inputSpec,
      maxBatch: this.config.MAX_REQUEST_ITEMS,
    });
    const served = await this.predictions.predictTensor(model, request.tensor, request.batch, context);
    const numClasses = model.labels.length;
    const probabilities = new Float32Array(request.batch * numClasses);
    served.predictions.forEach((p, i) => probabilities.set(p.probabilities, i * numClasses));
    return buildInferResponse({
      modelName: model.name,
      modelVersion: model.version,
      id: request.id,
      outputName: load.outputs[0].name,
      probabilities,
      batch: request.batch,
      numClasses,
      predictionIds: served.predictions.map((p) => p.predictionId),
      labels: served.predictions.map((p) => model.labels[p.predictedClass]),
    });
  }

  private async describe(model: ModelVersionEntity) {
    const load = await this.runtime.ensureLoaded(this.registry.loadable(model));
    const shape = (dims: Array<number | string>) => dims.map((d) => (typeof d === 'number' ? d : -1));
    return modelMetadata({
      name: model.name,
      versions: [model.version],
      platform: 'onnxruntime_onnx',
      inputs: load.inputs.map((t) => ({ name: t.name, datatype: 'FP32', shape: shape(t.dims) })),
      outputs: load.outputs.map((t) => ({ name: t.name, datatype: 'FP32', shape: shape(t.dims) })),
    });
  }
}
