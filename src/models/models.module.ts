import { Module } from '@nestjs/common';
import { uploadsModule } from '../common/upload-limits';
import { ModelRunnerModule } from './model-runner.module';
import { ModelRegistry } from './model-registry.service';
import { ModelStore } from './model-store';
import { ModelVersionsModule } from './model-versions.module';
import { ModelsController } from './models.controller';
import { WebhooksModule } from '../webhooks/webhooks.module';

@Module({
  imports: [ModelRunnerModule, ModelVersionsModule, WebhooksModule, uploadsModule(undefined, { limits: { files: 1 } })],
  controllers: [ModelsController],
  providers: [ModelRegistry, ModelStore],
  exports: [ModelRegistry, ModelVersionsModule],
})
export class ModelsModule {}
