import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { entities } from './entities';
import { QueryLogger } from './query-logger';

/** The single description of Vigil's database, shared by the app, the worker and the CLI. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    // dist/src/infra/database -> dist/migrations; src/infra/database -> migrations
    migrations: [join(__dirname, '..', '..', '..', 'migrations', '*.{js,ts}')],
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    uuidExtension: 'pgcrypto', // gen_random_uuid() is built into Postgres 13+
    migrationsRun: false,
    logging: ['error', 'warn'],
    logger: new QueryLogger(),
    extra: { max: 10, connectionTimeoutMillis: 5000, application_name: 'vigil' },
  };
}
