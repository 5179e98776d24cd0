import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public, RequireScope } from '../auth/scopes';
import { buildInferResponse, modelMetadata, parseInferRequest } from '../inference/oip';
import { InferenceRuntime } from '../inference/inference-runtime';
import { ModelRegistry } from '../models/model-registry.service';
import { ModelVersionEntity } from '../models/model-version.entity';
import { AppConfig } from '../config/app-config';
import { serviceVersion } from '../config/service-version';
import { ApiOipErrors } from '../openapi/errors';
import { ApiJsonBody, ApiModelParams, ApiResult } from '../openapi/operation';
import {
  oipInferRequest,
  oipInferResponse,
  oipLive,
  oipModelMetadata,
  oipModelReady,
  oipReady,
  oipServerMetadata,
} from '../openapi/schemas/serving.schemas';
import { schemaRef } from '../openapi/schema-registry';
import { UNIT_ID_DESCRIPTION, UnitId } from './unit-id';
import { PredictionService, ServeContext } from './prediction.service';

const unitIdHeader = ApiHeader({ name: 'x-unit-id', required: false, description: UNIT_ID_DESCRIPTION });

/** Open Inference Protocol v2 (KServe, Triton, MLServer), JSON tensors; errors as `{ error }`. */
@ApiTags('Open Inference Protocol v2')
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
  @RequireScope('read')
  @ApiOperation({ summary: 'Server metadata' })
  @ApiResult(200, oipServerMetadata, 'Server name, version and extensions')
  server() {
    return { name: 'vigil', version: serviceVersion, extensions: [] };
  }

  @Get('health/live')
  @Public()
  @ApiOperation({ summary: 'Server liveness' })
  @ApiResult(200, oipLive, 'The server is live')
  live() {
    return { live: true };
  }

  @Get('health/ready')
  @Public()
  @ApiOperation({ summary: 'Server readiness', description: 'ready is false while Postgres does not answer.' })
  @ApiResult(200, oipReady, 'Whether the server can serve')
  async ready() {
    const ready = await this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    );
    return { ready };
  }

  @Get('models/:name')
  @RequireScope('read')
  @ApiOperation({ summary: 'Model metadata (serving version)', description: 'Loads the session if needed.' })
  @ApiModelParams()
  @ApiResult(200, oipModelMetadata, 'Inputs and outputs of the champion')
  @ApiOipErrors(404, 422, 503)
  async metadata(@Param('name') name: string) {
    return this.describe(await this.registry.resolve(name));
  }

  @Get('models/:name/versions/:version')
  @RequireScope('read')
  @ApiOperation({ summary: 'Model version metadata', description: 'Loads the session if needed.' })
  @ApiModelParams({ version: true })
  @ApiResult(200, oipModelMetadata, 'Inputs and outputs of the version')
  @ApiOipErrors(404, 422, 503)
  async versionMetadata(@Param('name') name: string, @Param('version') version: string) {
    return this.describe(await this.registry.resolve(name, version));
  }

  @Get('models/:name/ready')
  @RequireScope('read')
  @ApiOperation({ summary: 'Model readiness', description: 'ready once the champion session is loaded.' })
  @ApiModelParams()
  @ApiResult(200, oipModelReady, 'Whether the model is loaded')
  @ApiOipErrors(404, 503)
  async modelReady(@Param('name') name: string) {
    const model = await this.registry.resolve(name);
    return { name, ready: this.runtime.provider(model.id) !== undefined };
  }

  @Post('models/:name/infer')
  @HttpCode(200)
  @RequireScope('infer')
  @ApiOperation({
    summary: 'Infer with the serving model',
    description: 'JSON tensors; the champion answers, or an A/B arm chosen by x-unit-id.',
  })
  @ApiModelParams()
  @unitIdHeader
  @ApiJsonBody(schemaRef(oipInferRequest))
  @ApiResult(200, oipInferResponse, 'Class probabilities and the predicted label per row')
  @ApiOipErrors(400, 404, 413, 422, 503)
  async infer(@Param('name') name: string, @Body() body: unknown, @UnitId() unitId?: string) {
    const { model, context } = await this.predictions.route(name, undefined, unitId);
    return this.run(model, body, context);
  }

  @Post('models/:name/versions/:version/infer')
  @HttpCode(200)
  @RequireScope('infer')
  @ApiOperation({ summary: 'Infer with one model version' })
  @ApiModelParams({ version: true })
  @unitIdHeader
  @ApiJsonBody(schemaRef(oipInferRequest))
  @ApiResult(200, oipInferResponse, 'Class probabilities and the predicted label per row')
  @ApiOipErrors(400, 404, 413, 422, 503)
  async inferVersion(
    @Param('name') name: string,
    @Param('version') version: string,
    @Body() body: unknown,
    @UnitId() unitId?: string,
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
