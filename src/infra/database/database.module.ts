import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { Database } from './database';

@Global()
@Module({})
export class DatabaseModule {
  /** `migrate`: run pending migrations at start (under an advisory lock). */
  static forRoot(options: { migrate: boolean }): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: Database,
          inject: [AppConfig],
          useFactory: (config: AppConfig) => Database.open(config, options.migrate),
        },
        { provide: DataSource, inject: [Database], useFactory: (database: Database) => database.dataSource },
      ],
      exports: [Database, DataSource],
    };
  }
}
