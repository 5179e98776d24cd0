import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { InferenceDataPlane } from './data-plane/inference-data-plane';
import { uploadsModule } from '../common/upload-limits';
import { ExperimentsCoreModule } from '../experiments/experiments.module';
import { ModelRunnerModule } from '../models/model-runner.module';
import { ModelsModule } from '../models/models.module';
import { RecordingModule } from '../recording/recording.module';
import { OipController } from './oip.controller';
import { OipInferenceService } from './oip-inference.service';
import { PredictController } from './predict.controller';
import { PredictionService } from './prediction.service';
import { ImagePredictService } from './image-predict.service';

@Module({
  imports: [
    AuthModule,
    ModelRunnerModule,
    ModelsModule,
    RecordingModule,
    ExperimentsCoreModule,
    uploadsModule((config) => ({ maxFiles: config.MAX_REQUEST_ITEMS, setting: 'MAX_REQUEST_ITEMS' })),
  ],
  controllers: [PredictController, OipController],
  providers: [PredictionService, OipInferenceService, ImagePredictService, InferenceDataPlane],
  exports: [PredictionService, InferenceDataPlane],
})
export class ServingModule {}
