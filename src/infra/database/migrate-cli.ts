import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../../config/load-config';
import { Database } from './database';
import { pendingSchemaChanges, runMigrationsLocked } from './migrator';

const usage = 'usage: migrate-cli run | revert [--all] | check | generate <VerbNoun>';

/** `npm run migration:*`: the same data source and lock as the app. */
async function main(argv: string[]): Promise<number> {
  const [command, argument] = argv;
  const database = await Database.open(loadConfig(process.env), false);
  const { dataSource } = database;
  try {
    switch (command) {
      case 'run': {
        const applied = await runMigrationsLocked(dataSource);
        console.log(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'nothing to apply');
        return 0;
      }
      case 'revert':
        do await dataSource.undoLastMigration({ transaction: 'each' });
        while (argument === '--all' && (await appliedCount(database)) > 0);
        console.log(`reverted; ${await appliedCount(database)} migrations remain applied`);
        return 0;
      case 'check':
        return await check(database);
      case 'generate':
        return await generate(database, argument);
      default:
        console.error(usage);
        return 2;
    }
  } finally {
    await database.close();
  }
}

async function appliedCount(database: Database): Promise<number> {
  const rows: unknown[] = await database.dataSource.query('SELECT 1 FROM schema_migrations').catch(() => []);
  return rows.length;
}

async function check(database: Database): Promise<number> {
  if (await database.dataSource.showMigrations()) {
    console.error(
      'migration check failed: there are migrations that have not been applied; run `npm run migration:run` first',
    );
    return 1;
  }
  const changes = await pendingSchemaChanges(database.dataSource);
  if (changes.length === 0) {
    console.log('migration check passed: entities and migrations agree');
    return 0;
  }
  console.error('migration check failed: entities and migrations disagree; a new migration would run:');
  for (const change of changes) console.error(`  ${change};`);
  return 1;
}

async function generate(database: Database, name: string | undefined): Promise<number> {
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    console.error('generate needs a VerbNoun name, e.g. AddDriftReports');
    return 2;
  }
  const sql = await database.dataSource.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) {
    console.log('no changes');
    return 0;
  }
  const timestamp = Date.now();
  const quote = (q: string) => `    await queryRunner.query(${JSON.stringify(q)});`;
  const body = [
    `import { MigrationInterface, QueryRunner } from 'typeorm';`,
    ``,
    `export class ${name}${timestamp} implements MigrationInterface {`,
    `  name = '${name}${timestamp}';`,
    ``,
    `  async up(queryRunner: QueryRunner): Promise<void> {`,
    ...sql.upQueries.map((q) => quote(q.query)),
    `  }`,
    ``,
    `  async down(queryRunner: QueryRunner): Promise<void> {`,
    ...sql.downQueries.reverse().map((q) => quote(q.query)),
    `  }`,
    `}`,
    ``,
  ].join('\n');
  const file = join(__dirname, '..', '..', '..', '..', 'migrations', `${timestamp}-${name}.ts`);
  await writeFile(file, body);
  console.log(`wrote ${file}; read it, then build and run it`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
