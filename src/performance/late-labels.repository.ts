import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EvaluationEntity } from '../evaluation/evaluation.entity';

export interface WeekChain {
  first: EvaluationEntity;
  /** The newest record of the week: the first one or its latest revision. */
  latest: EvaluationEntity;
}

/** The weekly feedback records late labels can revise, each with its newest revision. */
@Injectable()
export class LateLabelsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async weeklyChains(modelVersionId: string, since: Date): Promise<WeekChain[]> {
    const records = await this.dataSource
      .getRepository(EvaluationEntity)
      .createQueryBuilder('e')
      .where('e.model_version_id = :modelVersionId', { modelVersionId })
      .andWhere(`e.source = 'feedback'`)
      .andWhere(`(e.kind = 'weekly' OR e.kind = 'revision')`)
      .andWhere('e.window_from >= :since', { since })
      .orderBy('e.revision', 'ASC')
      .getMany();
    const chains = new Map<string, WeekChain>();
    for (const record of records) {
      if (record.kind === 'weekly') chains.set(record.id, { first: record, latest: record });
    }
    for (const record of records) {
      const chain = record.revisionOf ? chains.get(record.revisionOf) : undefined;
      if (chain && record.revision > chain.latest.revision) chain.latest = record;
    }
    return [...chains.values()];
  }
}
