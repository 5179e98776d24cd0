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
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { parseInput } from '../common/validation';
import { ModelRegistry } from '../models/model-registry.service';
import { DriftCheckService } from './drift-check.service';
import { DriftReferenceService } from './drift-reference.service';
import { DriftRepository } from './drift.repository';
import { parseRange, referenceWindowSchema, settingsSchema } from './drift.dto';
import { detailedView, reportView } from './drift.views';

const MAX_REFERENCE_IMAGES = 100_000;

@Controller()
export class DriftController {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly drift: DriftRepository,
    private readonly checks: DriftCheckService,
    private readonly references: DriftReferenceService,
  ) {}

  /** What dashboards poll: every active model's latest state, from stored reports only. */
  @Get('v1/drift/status')
  async status(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() response: Response) {
    const rows = await this.drift.latestForActiveVersions();
    const models = rows.map((row) => ({
      model: row.modelName,
      version: row.version,
      role: row.role,
      state: row.state ?? 'insufficient_data',
      checkedAt: row.checkedAt,
      signals: Object.fromEntries((row.signals ?? []).map((s) => [s.signal, s.state])),
    }));
    const etag = `"${createHash('sha1').update(JSON.stringify(models)).digest('base64url')}"`;
    response.setHeader('ETag', etag);
    response.setHeader('Cache-Control', 'no-cache');
    if (ifNoneMatch === etag) return response.status(304).end();
    return response.json({ models });
  }

  /** Per signal: KL, threshold, n, expected null KL, p-value, state, window and both histograms. */
  @Get('v1/models/:name/drift')
  async detail(@Param('name') name: string, @Query() query: unknown) {
    const range = parseRange(query, null);
    const model = await this.registry.resolve(name, range.version);
    if (range.explicit) {
      const window = { from: range.from ?? this.checks.defaultWindow(range.to).from, to: range.to };
      const assessed = await this.checks.assess(model, window);
      return detailedView(model, { ...assessed, window, checkedAt: new Date(), stored: false });
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

  /** multipart `images` run through the model, or JSON `{from, to}` over logged traffic. */
  @Post('v1/models/:name/versions/:version/drift/reference')
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
      : await this.windowReference(model, body);
    const { histograms: _histograms, ...summary } = reference;
    return summary;
  }

  @Post('v1/models/:name/versions/:version/drift/check')
  @HttpCode(200)
  async checkNow(@Param('name') name: string, @Param('version') version: string) {
    const model = await this.registry.get(name, version);
    return reportView(await this.checks.check(model));
  }

  @Put('v1/models/:name/versions/:version/drift/settings')
  async settings(@Param('name') name: string, @Param('version') version: string, @Body() body: unknown) {
    const { threshold } = parseInput(settingsSchema, body, 'body');
    const model = await this.registry.get(name, version);
    await this.drift.setThreshold(model.id, threshold);
    return { model: name, version, threshold };
  }

  private windowReference(model: Parameters<DriftReferenceService['fromWindow']>[0], body: unknown) {
    const window = parseInput(referenceWindowSchema, body, 'body');
    const range = parseRange(window, null);
    return this.references.fromWindow(model, range.from!, range.to);
  }
}
