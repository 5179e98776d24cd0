import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AppConfig } from '../config/app-config';
import { InferenceModule } from '../inference/inference.module';
import { ModelRegistry } from './model-registry.service';
import { ModelStore } from './model-store';
import { ModelVersionsModule } from './model-versions.module';
import { ModelsController } from './models.controller';

@Module({
  imports: [
    InferenceModule,
    ModelVersionsModule,
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.MAX_BODY_BYTES, files: 1 } }),
    }),
  ],
  controllers: [ModelsController],
  providers: [ModelRegistry, ModelStore],
  exports: [ModelRegistry, ModelVersionsModule],
})
export class ModelsModule {}
