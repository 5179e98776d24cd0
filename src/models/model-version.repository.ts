import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { EnsembleMemberEntity } from '../ensembles/ensemble-member.entity';
import { ModelRole, ModelVersionEntity } from './model-version.entity';

export type NewModelVersion = Omit<ModelVersionEntity, 'createdAt' | 'edgesVersion' | 'role' | 'promotedAt'> & {
  role?: ModelRole;
};

/**
 * Serialises role changes of one model until the transaction ends: the advisory lock also covers
 * a model with no rows yet (two first versions), the row locks any writer that only takes those.
 */
async function lockModel(manager: EntityManager, name: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`vigil.model:${name}`]);
  await manager.query('SELECT id FROM model_versions WHERE name = $1 FOR UPDATE', [name]);
}

@Injectable()
export class ModelVersionRepository {
  private readonly repository: Repository<ModelVersionEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.repository = dataSource.getRepository(ModelVersionEntity);
  }

  /**
   * Inserts a version and the demotion it implies in one transaction, under the model's lock: a
   * failed insert leaves the champion in place. Without a role, a model's first version is champion.
   */
  register(
    version: NewModelVersion,
    andThen?: (manager: EntityManager, saved: ModelVersionEntity) => Promise<unknown>,
  ): Promise<ModelVersionEntity> {
    return this.dataSource.transaction(async (manager) => {
      const { name } = version;
      await lockModel(manager, name);
      const first = !(await manager.existsBy(ModelVersionEntity, { name }));
      const role = version.role ?? (first ? 'champion' : 'challenger');
      if (role === 'champion') {
        await manager.update(ModelVersionEntity, { name, role: 'champion' }, { role: 'challenger' });
      }
      const promotedAt = role === 'champion' ? new Date() : null;
      const saved = await manager.save(manager.create(ModelVersionEntity, { ...version, role, promotedAt }));
      await andThen?.(manager, saved);
      return saved;
    });
  }

  /** An ensemble's members with their weights, in their given order. */
  async ensembleMembers(ensembleId: string): Promise<Array<{ member: ModelVersionEntity; weight: number }>> {
    const rows = await this.dataSource
      .getRepository(EnsembleMemberEntity)
      .find({ where: { ensembleId }, relations: { member: true }, order: { position: 'ASC' } });
    return rows.map((row) => ({ member: row.member!, weight: row.weight }));
  }

  /** Runs `work` holding a lock on one model file (by content hash), across replicas. */
  async withFileLock<T>(sha256: string, work: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const key = [`vigil.model-file:${sha256}`];
    try {
      await runner.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', key);
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', key).catch(() => undefined);
      await runner.release();
    }
  }

  usesFile(sha256: string): Promise<boolean> {
    return this.repository.existsBy({ fileSha256: sha256 });
  }

  find(name: string, version: string): Promise<ModelVersionEntity | null> {
    return this.repository.findOneBy({ name, version });
  }

  findById(id: string): Promise<ModelVersionEntity | null> {
    return this.repository.findOneBy({ id });
  }

  champion(name: string): Promise<ModelVersionEntity | null> {
    return this.repository.findOneBy({ name, role: 'champion' });
  }

  hasAny(name: string): Promise<boolean> {
    return this.repository.existsBy({ name });
  }

  list(name?: string): Promise<ModelVersionEntity[]> {
    return this.repository.find({ where: name ? { name } : {}, order: { name: 'ASC', createdAt: 'ASC' } });
  }

  /** Versions that answer or shadow traffic, loaded at start. */
  active(): Promise<ModelVersionEntity[]> {
    return this.repository.find({ where: [{ role: 'champion' }, { role: 'challenger' }] });
  }

  /** The version becomes champion and the previous champion a challenger, atomically. */
  /** `andThen` runs in the same transaction with the champion it replaced (the outbox event). */
  async promote(
    id: string,
    name: string,
    andThen: (manager: EntityManager, previous: ModelVersionEntity | null) => Promise<unknown>,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => andThen(manager, await this.promoteIn(manager, id, name)));
  }

  /** The promotion inside the caller's transaction; returns the champion it replaced. */
  async promoteIn(manager: EntityManager, id: string, name: string): Promise<ModelVersionEntity | null> {
    await lockModel(manager, name);
    const previous = await manager.findOneBy(ModelVersionEntity, { name, role: 'champion' });
    await manager.update(ModelVersionEntity, { name, role: 'champion' }, { role: 'challenger' });
    await manager.update(ModelVersionEntity, { id }, { role: 'champion', promotedAt: new Date(), retiredAt: null });
    return previous;
  }

  async setRole(id: string, role: ModelRole): Promise<void> {
    await this.repository.update({ id }, { role, retiredAt: role === 'retired' ? new Date() : null });
  }
}
