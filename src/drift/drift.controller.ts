import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { RequireScope } from '../auth/scopes';
import { parseInput } from '../common/validation';
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
  driftDetail,
  driftHistory,
  driftReference,
  driftReport,
  driftSettings,
  driftStatus,
} from '../openapi/schemas/drift.schemas';
import { ModelRegistry } from '../models/model-registry.service';
import { EstimateStatuses } from '../performance/estimate-status';
import { DriftCheckService } from './drift-check.service';
import { DriftReferenceService } from './drift-reference.service';
import { DriftRepository } from './drift.repository';
import {
  parseRange,
  rangeSchema,
  referenceFolderSchema,
  referenceJsonSchema,
  referenceWindowSchema,
  settingsSchema,
} from './drift.dto';
import { detailedView, reportView } from './drift.views';
import { MAX_REFERENCE_IMAGES } from './reference-folder';
import { wholeMinutes } from './drift-window';

@ApiTags('Drift')
@Controller()
export class DriftController {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly drift: DriftRepository,
    private readonly checks: DriftCheckService,
    private readonly references: DriftReferenceService,
    private readonly estimates: EstimateStatuses,
  ) {}

  /** What dashboards poll: every active model's latest state, from stored reports only. */
  @Get('v1/drift/status')
  @RequireScope('read')
  @ApiOperation({
    summary: 'Drift state of every active model',
    description: 'Compact and cacheable: from stored reports only, with an ETag; poll with If-None-Match.',
  })
  @ApiHeader({ name: 'if-none-match', required: false, description: 'ETag of the last answer' })
  @ApiResult(200, driftStatus, 'Latest state per active model version and signal')
  @ApiResponse({ status: 304, description: 'Unchanged since the ETag sent in If-None-Match' })
  async status(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() response: Response) {
    const rows = await this.drift.latestForActiveVersions();
    const estimates = await this.estimates.of(rows.map((row) => row.modelVersionId));
    const models = rows.map((row) => ({
      model: row.modelName,
      version: row.version,
      role: row.role,
      state: row.state ?? 'insufficient_data',
      checkedAt: row.checkedAt,
      signals: Object.fromEntries((row.signals ?? []).map((s) => [s.signal, s.state])),
      estimatedAccuracy: estimates.get(row.modelVersionId) ?? null,
    }));
    const etag = `"${createHash('sha1').update(JSON.stringify(models)).digest('base64url')}"`;
    response.setHeader('ETag', etag);
    response.setHeader('Cache-Control', 'no-cache');
    if (ifNoneMatch === etag) return response.status(304).end();
    return response.json({ models });
  }

  /** Per signal: KL, threshold, n, expected null KL, p-value, state, window and both histograms. */
  @Get('v1/models/:name/drift')
  @RequireScope('read')
  @ApiOperation({
    summary: 'Drift detail of a model version',
    description:
      'Per signal: KL, threshold, n, expected null KL, p-value, state and both histograms. Without from/to: the ' +
      'latest stored report; with them: assessed now (not stored) over that range widened to whole UTC minutes ' +
      '(counts are kept per minute): `window` is the range counted, `requested` the one asked for.',
  })
  @ApiModelParams()
  @ApiQueryFrom(rangeSchema)
  @ApiResult(200, driftDetail, 'The assessment')
  @ApiErrors(400, 404, 503)
  async detail(@Param('name') name: string, @Query() query: unknown) {
    const range = parseRange(query, null);
    const model = await this.registry.resolve(name, range.version);
    if (range.explicit) {
      const requested = { from: range.from ?? this.checks.defaultWindow(range.to).from, to: range.to };
      const window = wholeMinutes(requested);
      const assessed = await this.checks.assess(model, window);
      return detailedView(model, { ...assessed, window, requested, checkedAt: new Date(), stored: false });
    }
    const report = await this.drift.latestReport(model.id);
    if (!report)
      return detailedView(model, {
        state: 'insufficient_data',
        signals: [],
        window: null,
        checkedAt: null,
        stored: false,
      });
    return detailedView(model, { ...report, window: { from: report.windowFrom, to: report.windowTo }, stored: true });
  }

  @Get('v1/models/:name/drift/history')
  @RequireScope('read')
  @ApiOperation({ summary: 'Stored drift reports over a time range', description: 'Default: the last 7 days.' })
  @ApiModelParams()
  @ApiQueryFrom(rangeSchema)
  @ApiResult(200, driftHistory, 'Stored reports in the range')
  @ApiErrors(400, 404, 503)
  async history(@Param('name') name: string, @Query() query: unknown) {
    const range = parseRange(query, 24 * 7);
    const model = await this.registry.resolve(name, range.version);
    const reports = await this.drift.history(model.id, range.from!, range.to, range.limit);
    return {
      model: model.name,
      version: model.version,
      from: range.from,
      to: range.to,
      reports: reports.map(reportView),
    };
  }

  /** multipart `images` or JSON `{path}` (a folder) run through the model, or JSON `{from, to}` over logged traffic. */
  @Post('v1/models/:name/versions/:version/drift/reference')
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Set the drift reference',
    description:
      'From images run through the model: uploaded (multipart `images`, at most UPLOAD_MAX_FILES) or a folder ' +
      'under REFERENCE_DIR (JSON `{path}`, any number up to 100,000); or from a window of logged traffic (JSON ' +
      '`{from, to}`). Fixes the bin edges of every signal; live counts use them from then on.',
  })
  @ApiModelParams({ version: true })
  @ApiBodies({
    'multipart/form-data': multipart({ images: formField.files('Representative images the model handles well') }),
    'application/json': requestRef('DriftReferenceRequest', referenceJsonSchema),
  })
  @ApiResult(201, driftReference, 'The new reference (without its histograms)')
  @ApiErrors(400, 404, 413, 415, 422)
  @UseInterceptors(FilesInterceptor('images', MAX_REFERENCE_IMAGES))
  async setReference(
    @Param('name') name: string,
    @Param('version') version: string,
    @Req() request: Request,
    @Body() body: unknown,
    @UploadedFiles() files?: Express.Multer.File[],
  ) {
    const model = await this.registry.get(name, version);
    const reference = request.is('multipart/form-data')
      ? await this.references.fromImages(
          model,
          (files ?? []).map((f) => f.buffer),
        )
      : await this.jsonReference(model, body);
    const { histograms: _histograms, ...summary } = reference;
    return summary;
  }

  @Post('v1/models/:name/versions/:version/drift/check')
  @HttpCode(200)
  @RequireScope('admin')
  @ApiOperation({ summary: 'Run a drift check now', description: 'Stored like a scheduled check; may alert.' })
  @ApiModelParams({ version: true })
  @ApiResult(200, driftReport, 'The stored report')
  @ApiErrors(404)
  async checkNow(@Param('name') name: string, @Param('version') version: string) {
    const model = await this.registry.get(name, version);
    return reportView(await this.checks.check(model));
  }

  @Put('v1/models/:name/versions/:version/drift/settings')
  @RequireScope('admin')
  @ApiOperation({ summary: 'Set the drift threshold of a version', description: 'null restores the default.' })
  @ApiModelParams({ version: true })
  @ApiJsonBody(requestRef('DriftSettingsRequest', settingsSchema))
  @ApiResult(200, driftSettings, 'The threshold now in force')
  @ApiErrors(400, 404, 409, 413)
  async settings(@Param('name') name: string, @Param('version') version: string, @Body() body: unknown) {
    const { threshold } = parseInput(settingsSchema, body, 'body');
    const model = await this.registry.get(name, version);
    await this.references.setThreshold(model, threshold); // 409 when the reference is too small for it
    return { model: name, version, threshold };
  }

  private jsonReference(model: Parameters<DriftReferenceService['fromWindow']>[0], body: unknown) {
    if (typeof body === 'object' && body !== null && 'path' in body) {
      return this.references.fromFolder(model, parseInput(referenceFolderSchema, body, 'body').path);
    }
    const window = parseInput(referenceWindowSchema, body, 'body');
    const range = parseRange(window, null);
    return this.references.fromWindow(model, range.from!, range.to);
  }
}
