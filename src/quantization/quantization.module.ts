import { Module } from '@nestjs/common';
import { EvaluationCoreModule } from '../evaluation/evaluation.module';
import { InferenceModule } from '../inference/inference.module';
import { ModelStore } from '../models/model-store';
import { ModelsModule } from '../models/models.module';
import { QuantizationController } from './quantization.controller';
import { QuantizationHandler } from './quantization.handler';
import { QuantizationRepository } from './quantization.repository';
import { QuantizationService } from './quantization.service';
import { VariantReportService } from './variant-report.service';

/** Worker role: the quantization job handler. */
@Module({
  imports: [ModelsModule, InferenceModule, EvaluationCoreModule],
  providers: [QuantizationRepository, QuantizationService, QuantizationHandler, ModelStore],
  exports: [QuantizationService],
})
export class QuantizationCoreModule {}

/** API role: start a quantization, read its progress, compare a variant with its parent. */
@Module({
  imports: [QuantizationCoreModule, ModelsModule, InferenceModule, EvaluationCoreModule],
  controllers: [QuantizationController],
  providers: [VariantReportService],
})
export class QuantizationModule {}
