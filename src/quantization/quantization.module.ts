import { Module } from '@nestjs/common';
import { EvaluationCoreModule } from '../evaluation/evaluation.module';
import { ModelRunnerModule } from '../models/model-runner.module';
import { ModelStore } from '../models/model-store';
import { ModelsModule } from '../models/models.module';
import { QuantizationController } from './quantization.controller';
import { QuantizationHandler } from './quantization.handler';
import { QuantizationRepository } from './quantization.repository';
import { QuantizationService } from './quantization.service';
import { VariantReportService } from './variant-report.service';

/** Worker role: the quantization job handler. */
@Module({
  imports: [ModelsModule, ModelRunnerModule, EvaluationCoreModule],
  providers: [QuantizationRepository, QuantizationService, QuantizationHandler, ModelStore],
  exports: [QuantizationService],
})
export class QuantizationCoreModule {}

/** API role: start a quantization, read its progress, compare a variant with its parent. */
@Module({
  imports: [QuantizationCoreModule, ModelsModule, ModelRunnerModule, EvaluationCoreModule],
  controllers: [QuantizationController],
  providers: [VariantReportService],
})
export class QuantizationModule {}
