import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ModelVariantEntity } from './model-variant.entity';
import { ModelVersionEntity } from './model-version.entity';

/** Which version is a variant of which (INT8 of FP32). */
@Injectable()
export class ModelVariantRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inside the registration's transaction: a version and its relation exist together or not at all. */
  async add(manager: EntityManager, variantId: string, parentId: string, origin: ModelVariantEntity['origin']) {
    await manager.insert(ModelVariantEntity, { variantId, parentId, origin });
  }

  find(variantId: string): Promise<ModelVariantEntity | null> {
    return this.dataSource.getRepository(ModelVariantEntity).findOneBy({ variantId });
  }

  /** The variants of a parent version, oldest first. */
  async variantsOf(parentId: string): Promise<Array<{ version: ModelVersionEntity; origin: string }>> {
    const rows = await this.dataSource
      .getRepository(ModelVariantEntity)
      .find({ where: { parentId }, order: { createdAt: 'ASC' } });
    if (rows.length === 0) return []; // an empty `where` list would match every version
    const versions = await this.dataSource.getRepository(ModelVersionEntity).find({
      where: rows.map((r) => ({ id: r.variantId })),
    });
    return rows.flatMap((r) => {
      const version = versions.find((v) => v.id === r.variantId);
      return version ? [{ version, origin: r.origin }] : [];
    });
  }
}
