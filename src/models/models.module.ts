import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { uploadOptions } from '../common/upload-limits';
import { AppConfig } from '../config/app-config';
import { InferenceModule } from '../inference/inference.module';
import { ModelRegistry } from './model-registry.service';
import { ModelStore } from './model-store';
import { ModelVersionsModule } from './model-versions.module';
import { ModelsController } from './models.controller';
import { WebhooksModule } from '../webhooks/webhooks.module';

@Module({
  imports: [
    InferenceModule,
    ModelVersionsModule,
    WebhooksModule,
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ ...uploadOptions(config), limits: { files: 1 } }),
    }),
  ],
  controllers: [ModelsController],
  providers: [ModelRegistry, ModelStore],
  exports: [ModelRegistry, ModelVersionsModule],
})
export class ModelsModule {}
