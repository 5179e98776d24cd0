import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { unprocessable } from '../evaluation/evaluation-errors';
import { ModelRegistry } from '../models/model-registry.service';
import { ApiErrors } from '../openapi/errors';
import { ApiJsonBody, ApiModelParams, ApiQueryFrom, ApiResult } from '../openapi/operation';
import { requestRef } from '../openapi/schema-registry';
import { calibrationResult, estimateRecord, performanceReport } from '../openapi/schemas/performance.schemas';
import { rangeSchema } from '../drift/drift.dto';
import { CalibrationService } from './calibration.service';
import { PerformanceCheckService } from './performance-check.service';
import { PerformanceReportService } from './performance-report.service';
import { calibrationSchema, parseCalibrationRequest, parsePerformanceRange } from './performance.dto';
import { calibrationView, estimateRecordView } from './performance.views';

@ApiTags('Performance')
@Controller('v1/models/:name')
export class PerformanceController {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly calibrations: CalibrationService,
    private readonly checks: PerformanceCheckService,
    private readonly reports: PerformanceReportService,
  ) {}

  @Post('versions/:version/calibration')
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Fit the calibration of a version (refit on demand)',
    description:
      'Isotonic P(correct | top-1 confidence) from a registered labelled set run through the version, or from the ' +
      'labelled feedback of a window; stored with its data and the ECE before and after. The latest one counts.',
  })
  @ApiModelParams({ version: true })
  @ApiJsonBody(requestRef('CalibrationRequest', calibrationSchema))
  @ApiResult(201, calibrationResult, 'The stored calibration (without its points)')
  @ApiErrors(400, 404, 413, 422)
  async calibrate(@Param('name') name: string, @Param('version') version: string, @Body() body: unknown) {
    const request = parseCalibrationRequest(body);
    const model = await this.registry.get(name, version);
    return calibrationView(model, await this.calibrations.fit(model, request));
  }

  @Get('versions/:version/calibration')
  @RequireScope('read')
  @ApiOperation({ summary: 'The calibration in force for a version' })
  @ApiModelParams({ version: true })
  @ApiResult(200, calibrationResult, 'The latest calibration (without its points)')
  @ApiErrors(404)
  async calibration(@Param('name') name: string, @Param('version') version: string) {
    const model = await this.registry.get(name, version);
    return calibrationView(model, await this.calibrations.latest(model));
  }

  @Get('performance')
  @RequireScope('read')
  @ApiOperation({
    summary: 'Estimated and realised accuracy over a window',
    description:
      'Estimated from the stored confidence histograms and the calibration (with reliable: false and the reason ' +
      'when inputs drifted), beside the accuracy of the labelled predictions and their coverage; per ISO week the ' +
      'label coverage and label delay; the stored estimates in the window. Default: the last 7 days, the champion.',
  })
  @ApiModelParams()
  @ApiQueryFrom(rangeSchema)
  @ApiResult(200, performanceReport, 'The report')
  @ApiErrors(400, 404, 503)
  async performance(@Param('name') name: string, @Query() query: unknown) {
    const range = parsePerformanceRange(query);
    const model = await this.registry.resolve(name, range.version);
    return this.reports.report(model, { from: range.from, to: range.to }, range.limit);
  }

  @Post('versions/:version/performance/check')
  @HttpCode(200)
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Estimate accuracy now',
    description: 'Stored like a scheduled estimate over the drift window; may send performance.estimated_drop.',
  })
  @ApiModelParams({ version: true })
  @ApiResult(200, estimateRecord, 'The stored estimate')
  @ApiErrors(404, 422)
  async checkNow(@Param('name') name: string, @Param('version') version: string) {
    const model = await this.registry.get(name, version);
    const stored = await this.checks.check(model);
    if (!stored)
      throw unprocessable('not_calibrated', `${name} ${version} has no calibration: POST .../calibration first`);
    return estimateRecordView(stored);
  }
}
