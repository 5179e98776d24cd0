import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { ApiTextResult } from '../openapi/operation';
import { MetricsService } from './metrics.service';

@ApiTags('Metrics')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @RequireScope('read')
  @ApiOperation({
    summary: 'Prometheus metrics',
    description: 'vigil_model_info{provider=...}, vigil_inference_*, vigil_predictions_* and process metrics.',
  })
  @ApiTextResult(200, 'Prometheus text exposition format 0.0.4', ['text/plain'])
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
