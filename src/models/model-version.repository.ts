import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { ModelRole, ModelVersionEntity } from './model-version.entity';

@Injectable()
export class ModelVersionRepository {
  private readonly repository: Repository<ModelVersionEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.repository = dataSource.getRepository(ModelVersionEntity);
  }

  insert(version: Omit<ModelVersionEntity, 'createdAt' | 'edgesVersion'>): Promise<ModelVersionEntity> {
    return this.repository.save(this.repository.create(version));
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
    // Row locks on the model's versions serialise concurrent promotions.
    await manager.query('SELECT id FROM model_versions WHERE name = $1 FOR UPDATE', [name]);
    const previous = await manager.findOneBy(ModelVersionEntity, { name, role: 'champion' });
    await manager.update(ModelVersionEntity, { name, role: 'champion' }, { role: 'challenger' });
    await manager.update(ModelVersionEntity, { id }, { role: 'champion', promotedAt: new Date(), retiredAt: null });
    return previous;
  }

  async setRole(id: string, role: ModelRole): Promise<void> {
    await this.repository.update({ id }, { role, retiredAt: role === 'retired' ? new Date() : null });
  }
}
