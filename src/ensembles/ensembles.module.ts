import { Module } from '@nestjs/common';
import { EvaluationCoreModule } from '../evaluation/evaluation.module';
import { ModelRunnerModule } from '../models/model-runner.module';
import { ModelsModule } from '../models/models.module';
import { EnsembleController } from './ensemble.controller';
import { EnsembleRepository } from './ensemble.repository';
import { EnsembleService } from './ensemble.service';

/** API role: registering ensemble versions (the model runner serves them, see EnsembleSessions). */
@Module({
  imports: [ModelsModule, ModelRunnerModule, EvaluationCoreModule],
  controllers: [EnsembleController],
  providers: [EnsembleService, EnsembleRepository],
})
export class EnsemblesModule {}
