import { Injectable } from '@nestjs/common';
import { JobDefinition, JobHandler, QueueName } from './jobs';

interface Registration {
  definition: JobDefinition<unknown>;
  handler: JobHandler<unknown>;
}

/** Feature modules register their handlers here (in onModuleInit); both drivers dispatch from it. */
@Injectable()
export class JobRegistry {
  private readonly registrations = new Map<string, Registration>();

  handle<P>(definition: JobDefinition<P>, handler: JobHandler<P>): void {
    if (this.registrations.has(definition.name)) throw new Error(`job ${definition.name} already has a handler`);
    this.registrations.set(definition.name, {
      definition: definition as JobDefinition<unknown>,
      handler: handler as JobHandler<unknown>,
    });
  }

  get(name: string): Registration | undefined {
    return this.registrations.get(name);
  }

  queues(): QueueName[] {
    return [...new Set([...this.registrations.values()].map((r) => r.definition.queue))];
  }
}
