import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedPostgresServer } from './embedded-postgres';
import { runMigrationsLocked } from './migrator';

/** Owns the connection pool and, when DATABASE_URL is unset, the embedded Postgres behind it. */
export class Database implements OnApplicationShutdown {
  private static readonly logger = new Logger('Database');

  private constructor(
    readonly dataSource: DataSource,
    private readonly embedded?: EmbeddedPostgresServer,
  ) {}

  static async open(config: Pick<AppConfig, 'DATABASE_URL' | 'DATA_DIR' | 'EMBEDDED_PG_PORT'>, migrate: boolean) {
    const log = Database.logger;
    const embedded = config.DATABASE_URL
      ? undefined
      : new EmbeddedPostgresServer(config.DATA_DIR, config.EMBEDDED_PG_PORT, {
          info: (message) => log.log(message),
          warn: (message) => log.warn(message),
        });
    const url = config.DATABASE_URL ?? (await embedded!.start());
    const dataSource = new DataSource(dataSourceOptions(url));
    try {
      await dataSource.initialize();
      if (migrate) {
        const applied = await runMigrationsLocked(dataSource);
        log.log(applied.length ? `applied migrations: ${applied.map((m) => m.name).join(', ')}` : 'schema up to date');
      }
    } catch (error) {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
      throw error;
    }
    return new Database(dataSource, embedded);
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded?.stop();
  }

  // Runs after every beforeApplicationShutdown hook, so log writers have flushed by now.
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
