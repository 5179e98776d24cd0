import { Body, Controller, Get, HttpCode, Param, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { invalid } from '../common/domain-error';
import { parseInput } from '../common/validation';
import { InferenceRuntime } from '../inference/inference-runtime';
import { ModelRegistry } from './model-registry.service';
import { ModelVersionEntity } from './model-version.entity';
import { registerModelSchema } from './register-model.dto';

@Controller('v1/models')
export class ModelsController {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly runtime: InferenceRuntime,
  ) {}

  /** multipart/form-data with `file` (ONNX) and `metadata` (JSON), or a JSON body with `path`. */
  @Post()
  @UseInterceptors(FileInterceptor('file'))
  async register(@Body() body: Record<string, unknown>, @UploadedFile() file?: Express.Multer.File) {
    const metadata = file || typeof body.metadata === 'string' ? parseMetadata(body.metadata) : body;
    const request = parseInput(registerModelSchema, metadata, 'metadata');
    return this.view(await this.registry.register(request, file?.buffer));
  }

  @Get()
  async list() {
    return { models: (await this.registry.list()).map((v) => this.view(v)) };
  }

  @Get(':name')
  async versions(@Param('name') name: string) {
    const versions = await this.registry.list(name);
    if (versions.length === 0) await this.registry.resolve(name);
    return { name, versions: versions.map((v) => this.view(v)) };
  }

  @Get(':name/versions/:version')
  async show(@Param('name') name: string, @Param('version') version: string) {
    return this.view(await this.registry.get(name, version));
  }

  @Post(':name/versions/:version/promote')
  @HttpCode(200)
  async promote(@Param('name') name: string, @Param('version') version: string) {
    return this.view(await this.registry.promote(name, version));
  }

  @Post(':name/versions/:version/retire')
  @HttpCode(200)
  async retire(@Param('name') name: string, @Param('version') version: string) {
    return this.view(await this.registry.retire(name, version));
  }

  private view(version: ModelVersionEntity) {
    return {
      id: version.id,
      name: version.name,
      version: version.version,
      role: version.role,
      provider: this.runtime.provider(version.id) ?? 'not_loaded',
      labels: version.labels,
      inputSpec: version.inputSpec,
      fileSha256: version.fileSha256,
      edgesVersion: version.edgesVersion,
      createdAt: version.createdAt,
      promotedAt: version.promotedAt,
      retiredAt: version.retiredAt,
    };
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
