import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Public, RequireScope } from '../auth/scopes';
import { readRequestBody } from '../common/request-body';
import { INFERENCE_HEADER_CONTENT_LENGTH, modelMetadata, OIP_EXTENSIONS } from '../inference/oip';
import { ModelRunner } from '../models/model-runner';
import { ModelRegistry } from '../models/model-registry.service';
import { ModelVersionEntity } from '../models/model-version.entity';
import { AppConfig } from '../config/app-config';
import { serviceVersion } from '../config/service-version';
import { ApiOipErrors } from '../openapi/errors';
import { ApiModelParams, ApiResult } from '../openapi/operation';
import {
  oipLive,
  oipModelMetadata,
  oipModelReady,
  oipReady,
  oipServerMetadata,
} from '../openapi/schemas/serving.schemas';
import { sendInferAnswer } from './data-plane/inference-data-plane';
import { inferDescription, InferDocs } from './oip-infer.docs';
import { OipInferenceService, RawInferBody } from './oip-inference.service';
import { UnitId } from './unit-id';

/** Open Inference Protocol v2 (KServe, Triton, MLServer): JSON or binary tensors; errors as `{ error }`. */
@ApiTags('Open Inference Protocol v2')
@Controller('v2')
export class OipController {
  constructor(
    private readonly inference: OipInferenceService,
    private readonly registry: ModelRegistry,
    private readonly runner: ModelRunner,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @RequireScope('read')
  @ApiOperation({ summary: 'Server metadata' })
  @ApiResult(200, oipServerMetadata, 'Server name, version and extensions')
  server() {
    return { name: 'vigil', version: serviceVersion, extensions: [...OIP_EXTENSIONS] };
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
    return { name, ready: this.runner.provider(model.id) !== undefined };
  }

  @Post('models/:name/infer')
  @RequireScope('infer')
  @ApiOperation({
    summary: 'Infer with the serving model',
    description: `${inferDescription} The champion answers, or an A/B arm chosen by x-unit-id.`,
  })
  @ApiModelParams()
  @InferDocs()
  async infer(
    @Param('name') name: string,
    @Req() request: Request,
    @Res() response: Response,
    @UnitId() unitId?: string,
  ) {
    sendInferAnswer(response, await this.inference.serve(name, undefined, unitId, () => this.body(request)));
  }

  @Post('models/:name/versions/:version/infer')
  @RequireScope('infer')
  @ApiOperation({ summary: 'Infer with one model version', description: inferDescription })
  @ApiModelParams({ version: true })
  @InferDocs()
  async inferVersion(
    @Param('name') name: string,
    @Param('version') version: string,
    @Req() request: Request,
    @Res() response: Response,
    @UnitId() unitId?: string,
  ) {
    sendInferAnswer(response, await this.inference.serve(name, version, unitId, () => this.body(request)));
  }

  /** Read here, after the API key guard: BodyAfterAuthInterceptor leaves these routes alone. */
  private async body(request: Request): Promise<RawInferBody> {
    const bytes = await readRequestBody(request, this.config.MAX_BODY_BYTES);
    return { bytes, headerLength: request.get(INFERENCE_HEADER_CONTENT_LENGTH) };
  }

  private async describe(model: ModelVersionEntity) {
    const load = await this.runner.ensureLoaded(this.registry.loadable(model));
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
