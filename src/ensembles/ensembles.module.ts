import { Module } from '@nestjs/common';
import { EvaluationCoreModule } from '../evaluation/evaluation.module';
import { InferenceModule } from '../inference/inference.module';
import { ModelsModule } from '../models/models.module';
import { EnsembleController } from './ensemble.controller';
import { EnsembleRepository } from './ensemble.repository';
import { EnsembleService } from './ensemble.service';

/** API role: registering ensemble versions (serving them is the runtime's, see EnsembleSessions). */
@Module({
  imports: [ModelsModule, InferenceModule, EvaluationCoreModule],
  controllers: [EnsembleController],
  providers: [EnsembleService, EnsembleRepository],
})
export class EnsemblesModule {}
