import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { parseInput } from '../common/validation';
import { ApiErrors } from '../openapi/errors';
import { ApiJsonBody, ApiModelParams, ApiResult } from '../openapi/operation';
import { requestRef } from '../openapi/schema-registry';
import { quantizationJobView, variantReportView } from '../openapi/schemas/quantization.schemas';
import { ModelVersionEntity } from '../models/model-version.entity';
import { QuantizationJobEntity } from './quantization-job.entity';
import { quantizeRequestSchema } from './quantization.dto';
import { QuantizationService } from './quantization.service';
import { VariantReportService } from './variant-report.service';

@ApiTags('Models')
@Controller('v1/models/:name')
export class QuantizationController {
  constructor(
    private readonly quantization: QuantizationService,
    private readonly reports: VariantReportService,
  ) {}

  @Post('versions/:version/quantize')
  @HttpCode(202)
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Make an INT8 variant of a version',
    description:
      'Static INT8 quantization in the QDQ format: weights per output channel, symmetric int8; activations per ' +
      'tensor, calibrated on the images of an evaluation set (min-max or percentile). Runs as a job: poll ' +
      'GET .../quantizations/{id}. The variant is registered as a challenger named targetVersion.',
  })
  @ApiModelParams({ version: true })
  @ApiJsonBody(requestRef('QuantizeRequest', quantizeRequestSchema))
  @ApiResult(202, quantizationJobView, 'The job, queued')
  @ApiErrors(400, 404, 409, 422)
  async quantize(@Param('name') name: string, @Param('version') version: string, @Body() body: unknown) {
    const request = parseInput(quantizeRequestSchema, body ?? {});
    const job = await this.quantization.start(name, version, request);
    return jobView(job, name, version);
  }

  @Get('quantizations/:id')
  @RequireScope('read')
  @ApiOperation({ summary: 'Progress and outcome of a quantization' })
  @ApiModelParams()
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResult(200, quantizationJobView, 'The job: progress, and the report once completed')
  @ApiErrors(400, 404)
  async job(@Param('name') name: string, @Param('id', new ParseUUIDPipe()) id: string) {
    const { job, parent } = await this.quantization.job(name, id);
    return jobView(job, name, parent.version);
  }

  @Get('versions/:version/variant-report')
  @RequireScope('read')
  @ApiOperation({
    summary: 'A variant against its parent',
    description:
      'On every evaluation set of the model: both accuracies with Wilson intervals, agreement rate, McNemar on ' +
      'the discordant items; and batch-1 / batch-32 throughput and latency of both, measured now on this host.',
  })
  @ApiModelParams({ version: true })
  @ApiResult(200, variantReportView, 'The comparison')
  @ApiErrors(404, 422)
  report(@Param('name') name: string, @Param('version') version: string) {
    return this.reports.report(name, version);
  }
}

function jobView(job: QuantizationJobEntity, model: string, parentVersion: ModelVersionEntity['version']) {
  return {
    id: job.id,
    model,
    parentVersion,
    targetVersion: job.targetVersion,
    status: job.status,
    progress: { done: job.done, total: job.total },
    settings: job.settings,
    report: job.report,
    error: job.error,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
  };
}
