import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PredictionRecord } from './prediction-record';

export interface PredictionRow {
  id: string;
  createdAt: Date;
  modelVersionId: string;
  role: string;
  predictedClass: number;
}

const DAY_MS = 24 * 3600 * 1000;
const PARTITION_NAME = /^predictions_p(\d{4})(\d{2})(\d{2})$/;
// Serialises partition DDL between replicas and between the bootstrap run and the job.
const PARTITION_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('vigil.predictions.partitions'))";

/** UTC midnight of the day containing `at`. */
export function utcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

export function partitionName(day: Date): string {
  return `predictions_p${day.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** The predictions table and its daily partitions. Rows are written in batches only. */
@Injectable()
export class PredictionRepository {
  private readonly logger = new Logger('PredictionRepository');

  constructor(private readonly dataSource: DataSource) {}

  /**
   * One round trip per batch. ON CONFLICT DO NOTHING: a batch retried after a timeout (that
   * may have committed) neither duplicates rows nor fails on the primary key.
   */
  async insertBatch(records: readonly PredictionRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO predictions (id, created_at, model_version_id, role, predicted_class, confidence,
         latency_ms, unit_id, request_id, input_hash)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::text[], $5::smallint[],
         $6::real[], $7::real[], $8::text[], $9::text[], $10::text[])
       ON CONFLICT DO NOTHING`,
      [
        records.map((r) => r.id),
        records.map((r) => r.createdAt.toISOString()),
        records.map((r) => r.modelVersionId),
        records.map((r) => r.role),
        records.map((r) => r.predictedClass),
        records.map((r) => r.confidence),
        records.map((r) => r.latencyMs),
        records.map((r) => r.unitId),
        records.map((r) => r.requestId),
        records.map((r) => r.inputHash),
      ],
    );
  }

  async findByIds(ids: readonly string[]): Promise<PredictionRow[]> {
    if (ids.length === 0) return [];
    const rows: Array<{
      id: string;
      created_at: Date;
      model_version_id: string;
      role: string;
      predicted_class: number;
    }> = await this.dataSource.query(
      `SELECT id, created_at, model_version_id, role, predicted_class FROM predictions WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      modelVersionId: r.model_version_id,
      role: r.role,
      predictedClass: r.predicted_class,
    }));
  }

  async count(modelVersionId?: string): Promise<number> {
    const [row]: Array<{ n: number }> = modelVersionId
      ? await this.dataSource.query('SELECT count(*)::int AS n FROM predictions WHERE model_version_id = $1', [
          modelVersionId,
        ])
      : await this.dataSource.query('SELECT count(*)::int AS n FROM predictions');
    return row.n;
  }

  /** Rows per physical partition (table name -> rows), for tests and diagnostics. */
  async countByPartition(): Promise<Record<string, number>> {
    const rows: Array<{ partition: string; n: number }> = await this.dataSource.query(
      'SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM predictions GROUP BY 1',
    );
    return Object.fromEntries(rows.map((r) => [r.partition, r.n]));
  }

  /** Creates the missing `predictions_pYYYYMMDD` partitions for `days` UTC days from `from`. */
  async ensureDailyPartitions(from: Date, days: number): Promise<string[]> {
    const existing = new Set(await this.partitionNames());
    const created: string[] = [];
    for (let i = 0; i < days; i++) {
      const day = new Date(utcDay(from).getTime() + i * DAY_MS);
      if (existing.has(partitionName(day))) continue;
      const made = await this.dataSource.transaction((manager) => this.createPartition(manager, day));
      if (made) created.push(partitionName(day));
    }
    return created;
  }

  /**
   * Drops daily partitions that end at or before `cutoff` and deletes older rows from the
   * DEFAULT partition. A partition straddling the cutoff is kept whole until its day has passed.
   */
  async dropPartitionsBefore(cutoff: Date): Promise<string[]> {
    const dropped = await this.dataSource.transaction(async (manager) => {
      await manager.query(PARTITION_LOCK_SQL);
      const names: string[] = [];
      for (const name of await this.partitionNames(manager)) {
        const day = dayOfPartition(name);
        if (day && day.getTime() + DAY_MS <= cutoff.getTime()) {
          await manager.query(`DROP TABLE IF EXISTS "${name}"`);
          names.push(name);
        }
      }
      return names;
    });
    await this.dataSource.query('DELETE FROM predictions_default WHERE created_at < $1', [cutoff.toISOString()]);
    return dropped;
  }

  /**
   * Creating a partition fails while the DEFAULT partition holds rows of its range (written
   * before the partition existed). So: build the table standalone, move those rows into it,
   * then attach — in one transaction, with writes to the default partition held off meanwhile.
   */
  private async createPartition(manager: EntityManager, day: Date): Promise<boolean> {
    const name = partitionName(day);
    const from = day.toISOString();
    const to = new Date(day.getTime() + DAY_MS).toISOString();
    await manager.query(PARTITION_LOCK_SQL);
    const [found]: Array<{ oid: string | null }> = await manager.query('SELECT to_regclass($1)::text AS oid', [name]);
    if (found.oid) return false; // another replica made it while we waited for the lock
    // Parent before default, the order inserts take them in, so this cannot deadlock with them.
    await manager.query('LOCK TABLE predictions IN SHARE UPDATE EXCLUSIVE MODE');
    await manager.query('LOCK TABLE predictions_default IN ACCESS EXCLUSIVE MODE');
    await manager.query(`CREATE TABLE "${name}" (LIKE predictions INCLUDING DEFAULTS)`);
    const moved: Array<{ n: number }> = await manager.query(
      `WITH moved AS (DELETE FROM predictions_default WHERE created_at >= $1 AND created_at < $2 RETURNING *)
       , ins AS (INSERT INTO "${name}" SELECT * FROM moved RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [from, to],
    );
    await manager.query(`ALTER TABLE predictions ATTACH PARTITION "${name}" FOR VALUES FROM ('${from}') TO ('${to}')`);
    const rowsMoved = moved[0]?.n ?? 0;
    this.logger.log({ partition: name, rowsMoved }, 'created prediction partition');
    return true;
  }

  private async partitionNames(manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: Array<{ name: string }> = await manager.query(
      `SELECT c.relname AS name FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent
       WHERE p.relname = 'predictions' AND p.relnamespace = current_schema()::regnamespace`,
    );
    return rows.map((r) => r.name).filter((name) => PARTITION_NAME.test(name));
  }
}

function dayOfPartition(name: string): Date | undefined {
  const match = PARTITION_NAME.exec(name);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
}
