import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequireScope } from '../auth/scopes';
import { invalid } from '../common/domain-error';
import { parseInput } from '../common/validation';
import { ModelRegistry } from '../models/model-registry.service';
import { ApiErrors } from '../openapi/errors';
import {
  ApiBodies,
  ApiJsonBody,
  ApiModelParams,
  ApiQueryFrom,
  ApiResult,
  formField,
  multipart,
} from '../openapi/operation';
import { requestRef } from '../openapi/schema-registry';
import {
  evaluationHistory,
  evaluationRun,
  evaluationSetList,
  evaluationSetResult,
} from '../openapi/schemas/evaluation.schemas';
import { folderSetSchema, historySchema, manualEvaluationSchema, setNameSchema } from './evaluation.dto';
import { EvaluationSetRepository } from './evaluation-set.repository';
import { EvaluationSetService } from './evaluation-set.service';
import { EvaluationRepository } from './evaluation.repository';
import { EvaluationService } from './evaluation.service';
import { evaluationView } from './evaluation.views';
import { previousWeek, weekOfWindow } from './stats';

const MAX_SET_IMAGES = 100_000;

@ApiTags('Evaluation')
@ApiModelParams()
@Controller('v1/models/:name')
export class EvaluationController {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly sets: EvaluationSetService,
    private readonly setRecords: EvaluationSetRepository,
    private readonly evaluations: EvaluationService,
    private readonly history: EvaluationRepository,
  ) {}

  /** multipart: `name`, `labels` (labels.csv text) and `images`; or JSON `{name, path}` under EVAL_SET_DIR. */
  @Post('evaluation-sets')
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Register a labelled evaluation set',
    description:
      'Multipart upload (`name`, `labels` as labels.csv text `file,label`, `images`) or a folder under ' +
      'EVAL_SET_DIR (JSON). Every item is checked on its own; bad ones are reported, the rest kept.',
  })
  @ApiBodies({
    'multipart/form-data': multipart({
      name: formField.text('Set name: 1-100 letters, digits, _, . or -'),
      labels: formField.text('labels.csv text: `file,label` per line, optional header'),
      images: formField.files('The images labels.csv names'),
    }),
    'application/json': requestRef('EvaluationSetFolder', folderSetSchema),
  })
  @ApiResult(201, evaluationSetResult, 'Accepted and rejected items')
  @ApiErrors(400, 404, 409, 413, 503)
  @UseInterceptors(FilesInterceptor('images', MAX_SET_IMAGES))
  async registerSet(
    @Param('name') model: string,
    @Req() request: Request,
    @Body() body: Record<string, unknown>,
    @UploadedFiles() files?: Express.Multer.File[],
  ) {
    if (!request.is('multipart/form-data')) {
      const folder = parseInput(folderSetSchema, body, 'body');
      return this.sets.fromFolder(model, folder.name, folder.path);
    }
    const name = parseInput(setNameSchema, body.name, 'name');
    if (typeof body.labels !== 'string') throw invalid('labels_missing', 'send labels.csv text as the `labels` field');
    return this.sets.fromUpload(model, name, body.labels, files ?? []);
  }

  @Get('evaluation-sets')
  @RequireScope('read')
  @ApiOperation({ summary: 'List the evaluation sets of a model' })
  @ApiResult(200, evaluationSetList, 'Sets with their item counts')
  async listSets(@Param('name') model: string) {
    return { model, sets: await this.setRecords.list(model) };
  }

  /** Evaluates now: the champion (or `version`) over [from, to), default the previous ISO week. */
  @Post('evaluations')
  @HttpCode(200)
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Evaluate now',
    description:
      'The champion (or `version`) over [from, to), by default the previous ISO week: labelled feedback and ' +
      'every registered set, each against its baseline.',
  })
  @ApiJsonBody(requestRef('ManualEvaluationRequest', manualEvaluationSchema), { required: false })
  @ApiResult(200, evaluationRun, 'One record per source')
  @ApiErrors(400, 404, 413, 422, 503)
  async evaluate(@Param('name') name: string, @Body() body: unknown) {
    const request = parseInput(manualEvaluationSchema, body ?? {}, 'body');
    const model = await this.registry.resolve(name, request.version);
    const week = previousWeek(new Date());
    const window = request.from ? { from: new Date(request.from), to: new Date(request.to!) } : week;
    const records = await this.evaluations.evaluate(model, {
      kind: 'manual',
      isoWeek: weekOfWindow(window),
      ...window,
    });
    return { model: name, version: model.version, evaluations: records.map(evaluationView) };
  }

  @Get('evaluations')
  @RequireScope('read')
  @ApiOperation({ summary: 'Evaluation history of a model' })
  @ApiQueryFrom(historySchema)
  @ApiResult(200, evaluationHistory, 'Records, newest first')
  @ApiErrors(400)
  async list(@Param('name') name: string, @Query() query: unknown) {
    const { limit } = parseInput(historySchema, query, 'query');
    return { model: name, evaluations: (await this.history.history(name, limit)).map(evaluationView) };
  }
}
