import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EvaluationSetEntity, EvaluationSetItemEntity } from './evaluation-set.entity';

@Injectable()
export class EvaluationSetRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The set and its items in one transaction; a name already taken for the model is a conflict. */
  async create(set: Omit<EvaluationSetEntity, 'createdAt'>, items: EvaluationSetItemEntity[]): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(EvaluationSetEntity)
        .values(set)
        .orIgnore()
        .returning('id')
        .execute();
      if (inserted.raw.length === 0) return false;
      for (let start = 0; start < items.length; start += 500) {
        await manager.insert(EvaluationSetItemEntity, items.slice(start, start + 500));
      }
      return true;
    });
  }

  list(modelName: string): Promise<EvaluationSetEntity[]> {
    return this.dataSource
      .getRepository(EvaluationSetEntity)
      .find({ where: { modelName }, order: { createdAt: 'ASC' } });
  }

  items(setId: string): Promise<EvaluationSetItemEntity[]> {
    return this.dataSource.getRepository(EvaluationSetItemEntity).find({ where: { setId }, order: { file: 'ASC' } });
  }
}
