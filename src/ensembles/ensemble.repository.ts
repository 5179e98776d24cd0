import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EnsembleMemberEntity } from './ensemble-member.entity';

export interface NewMember {
  memberId: string;
  weight: number;
}

/** Ensemble membership rows; written in the transaction that inserts the ensemble version. */
@Injectable()
export class EnsembleRepository {
  async insertMembers(manager: EntityManager, ensembleId: string, members: NewMember[]): Promise<void> {
    await manager.insert(
      EnsembleMemberEntity,
      members.map((m, position) => ({ ensembleId, position, memberId: m.memberId, weight: m.weight })),
    );
  }
}
