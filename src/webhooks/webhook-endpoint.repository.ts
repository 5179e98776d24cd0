import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

export type NewWebhookEndpoint = Pick<
  WebhookEndpointEntity,
  'url' | 'eventTypes' | 'enabled' | 'secret' | 'description'
>;
export type WebhookEndpointChanges = Partial<
  Pick<WebhookEndpointEntity, 'url' | 'eventTypes' | 'enabled' | 'description'>
>;

@Injectable()
export class WebhookEndpointRepository {
  private readonly repository: Repository<WebhookEndpointEntity>;

  constructor(dataSource: DataSource) {
    this.repository = dataSource.getRepository(WebhookEndpointEntity);
  }

  insert(endpoint: NewWebhookEndpoint): Promise<WebhookEndpointEntity> {
    return this.repository.save(this.repository.create({ ...endpoint, disabledReason: null }));
  }

  findById(id: string): Promise<WebhookEndpointEntity | null> {
    return this.repository.findOneBy({ id });
  }

  list(): Promise<WebhookEndpointEntity[]> {
    return this.repository.find({ order: { createdAt: 'ASC' } });
  }

  async update(id: string, changes: WebhookEndpointChanges): Promise<WebhookEndpointEntity | null> {
    // Re-enabling clears the reason the service disabled it.
    const reason = changes.enabled === true ? { disabledReason: null } : {};
    if (Object.keys(changes).length > 0) await this.repository.update({ id }, { ...changes, ...reason });
    return this.findById(id);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.repository.delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
