import { Module } from '@nestjs/common';
import { ModelVariantRepository } from './model-variant.repository';
import { ModelVersionRepository } from './model-version.repository';

/** Model version metadata only (no runtime): what workers need to read. */
@Module({
  providers: [ModelVersionRepository, ModelVariantRepository],
  exports: [ModelVersionRepository, ModelVariantRepository],
})
export class ModelVersionsModule {}
