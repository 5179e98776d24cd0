import { Module } from '@nestjs/common';
import { InferenceModule } from '../inference/inference.module';
import { ImageBatchDecoder } from '../inference/preprocess/image-batch-decoder';
import { TensorBodyParser } from '../inference/preprocess/tensor-body-parser';
import { ModelRunner } from './model-runner';

/** The one front door for inference (ModelRunner); every feature that runs a model imports this. */
@Module({
  imports: [InferenceModule],
  providers: [ModelRunner, ImageBatchDecoder, TensorBodyParser],
  exports: [ModelRunner, ImageBatchDecoder],
})
export class ModelRunnerModule {}
