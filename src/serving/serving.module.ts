import { Module } from '@nestjs/common';
import { uploadsModule } from '../common/upload-limits';
import { ExperimentsCoreModule } from '../experiments/experiments.module';
import { InferenceModule } from '../inference/inference.module';
import { ImageBatchDecoder } from '../inference/preprocess/image-batch-decoder';
import { TensorBodyParser } from '../inference/preprocess/tensor-body-parser';
import { ModelsModule } from '../models/models.module';
import { PredictionsModule } from '../predictions/predictions.module';
import { OipController } from './oip.controller';
import { OipInferenceService } from './oip-inference.service';
import { PredictController } from './predict.controller';
import { PredictionService } from './prediction.service';

@Module({
  imports: [
    InferenceModule,
    ModelsModule,
    PredictionsModule,
    ExperimentsCoreModule,
    uploadsModule((config) => ({ maxFiles: config.MAX_REQUEST_ITEMS, setting: 'MAX_REQUEST_ITEMS' })),
  ],
  controllers: [PredictController, OipController],
  providers: [PredictionService, OipInferenceService, ImageBatchDecoder, TensorBodyParser],
  exports: [PredictionService],
})
export class ServingModule {}
