import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '../infra/queue/job-registry';
import { quantizeJob } from './quantization.jobs';
import { QuantizationService } from './quantization.service';

/** Runs quantization jobs wherever jobs are consumed. */
@Injectable()
export class QuantizationHandler implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly service: QuantizationService,
  ) {}

  onModuleInit(): void {
    this.registry.handle(quantizeJob, ({ jobId }) => this.service.run(jobId));
  }
}
