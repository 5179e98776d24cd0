import { Module } from '@nestjs/common';
import { ModelVersionRepository } from './model-version.repository';

/** Model version metadata only (no runtime): what workers need to read. */
@Module({ providers: [ModelVersionRepository], exports: [ModelVersionRepository] })
export class ModelVersionsModule {}
