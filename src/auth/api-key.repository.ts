import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, Repository } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';

export type NewApiKey = Pick<ApiKeyEntity, 'name' | 'prefix' | 'keyHash' | 'scopes'>;

@Injectable()
export class ApiKeyRepository {
  private readonly repository: Repository<ApiKeyEntity>;

  constructor(dataSource: DataSource) {
    this.repository = dataSource.getRepository(ApiKeyEntity);
  }

  insert(key: NewApiKey): Promise<ApiKeyEntity> {
    return this.repository.save(this.repository.create({ ...key, revokedAt: null }));
  }

  findActiveByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.repository.findOneBy({ keyHash, revokedAt: IsNull() });
  }

  list(): Promise<ApiKeyEntity[]> {
    return this.repository.find({ order: { createdAt: 'ASC' } });
  }

  /** Marks the key revoked; false when no active key has that id. */
  async revoke(id: string): Promise<boolean> {
    const result = await this.repository.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }
}
