import { Body, Controller, Get, HttpCode, Param, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { invalid } from '../common/domain-error';
import { parseInput } from '../common/validation';
import { ModelRunner } from './model-runner';
import { ModelRegistry } from './model-registry.service';
import { ModelVersionEntity } from './model-version.entity';
import { modelVersionViewOf } from './model-version.view';
import { registerModelSchema } from './register-model.dto';
import { ApiErrors } from '../openapi/errors';
import { ApiBodies, ApiModelParams, ApiResult, formField, multipart } from '../openapi/operation';
import { requestRef } from '../openapi/schema-registry';
import { modelList, modelVersions, modelVersionView } from '../openapi/schemas/models.schemas';

@ApiTags('Models')
@Controller('v1/models')
export class ModelsController {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly runner: ModelRunner,
  ) {}

  /** multipart/form-data with `file` (ONNX) and `metadata` (JSON), or a JSON body with `path`. */
  @Post()
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Register a model version',
    description:
      'The file is loaded and its input/output shapes are checked against the input spec and labels (422 naming ' +
      'the difference). Stored by sha256 under DATA_DIR/models.',
  })
  @ApiBodies({
    'multipart/form-data': multipart({
      file: formField.file('The ONNX model'),
      metadata: formField.text('JSON text of a RegisterModelRequest (without path)'),
    }),
    'application/json': requestRef('RegisterModelRequest', registerModelSchema),
  })
  @ApiResult(201, modelVersionView, 'The registered version')
  @ApiErrors(400, 404, 409, 413, 422)
  @UseInterceptors(FileInterceptor('file'))
  async register(@Body() body: Record<string, unknown>, @UploadedFile() file?: Express.Multer.File) {
    // No body at all (no content type a parser reads) arrives as undefined, not as {}.
    const fields = body ?? {};
    const metadata = file || typeof fields.metadata === 'string' ? parseMetadata(fields.metadata) : body;
    const request = parseInput(registerModelSchema, metadata, 'metadata');
    return this.view(await this.registry.register(request, file?.buffer));
  }

  @Get()
  @RequireScope('read')
  @ApiOperation({ summary: 'List every model version' })
  @ApiResult(200, modelList, 'Versions with role and execution provider')
  async list() {
    return { models: (await this.registry.list()).map((v) => this.view(v)) };
  }

  @Get(':name')
  @RequireScope('read')
  @ApiOperation({ summary: 'List the versions of a model' })
  @ApiModelParams()
  @ApiResult(200, modelVersions, 'The versions of the model')
  @ApiErrors(404)
  async versions(@Param('name') name: string) {
    const versions = await this.registry.list(name);
    if (versions.length === 0) await this.registry.resolve(name);
    return { name, versions: versions.map((v) => this.view(v)) };
  }

  @Get(':name/versions/:version')
  @RequireScope('read')
  @ApiOperation({ summary: 'Show one model version' })
  @ApiModelParams({ version: true })
  @ApiResult(200, modelVersionView, 'The version')
  @ApiErrors(404)
  async show(@Param('name') name: string, @Param('version') version: string) {
    return this.view(await this.registry.get(name, version));
  }

  @Post(':name/versions/:version/promote')
  @HttpCode(200)
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Promote a version to champion',
    description: 'In one transaction; the old champion becomes a challenger.',
  })
  @ApiModelParams({ version: true })
  @ApiResult(200, modelVersionView, 'The new champion')
  @ApiErrors(404, 422)
  async promote(@Param('name') name: string, @Param('version') version: string) {
    return this.view(await this.registry.promote(name, version));
  }

  @Post(':name/versions/:version/retire')
  @HttpCode(200)
  @RequireScope('admin')
  @ApiOperation({ summary: 'Retire a version', description: 'Releases its inference session.' })
  @ApiModelParams({ version: true })
  @ApiResult(200, modelVersionView, 'The retired version')
  @ApiErrors(404, 409)
  async retire(@Param('name') name: string, @Param('version') version: string) {
    return this.view(await this.registry.retire(name, version));
  }

  private view(version: ModelVersionEntity) {
    return modelVersionViewOf(version, this.runner.provider(version.id));
  }
}

function parseMetadata(raw: unknown): unknown {
  if (typeof raw !== 'string')
    throw invalid('metadata_missing', 'send the model metadata as a JSON `metadata` field next to `file`');
  try {
    return JSON.parse(raw);
  } catch {
    throw invalid('metadata_not_json', '`metadata` is not valid JSON');
  }
}
