import { Client } from 'pg';

export interface PersistenceCheck {
  acknowledged: number;
  present: number;
  missing: number;
  /** From the end of the load until the last acknowledged id was in the table. */
  lagMs: number;
}

/** Reads the service's `predictions` table, to check the prediction log against what clients were told. */
export class PredictionAudit {
  private constructor(private readonly client: Client) {}

  static async connect(databaseUrl: string): Promise<PredictionAudit> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    return new PredictionAudit(client);
  }

  /** Polls until every id is in `predictions` (the writer flushes every 100 ms) or the timeout. */
  async waitPersisted(ids: string[], loadEndedAt: number, timeoutMs = 20_000): Promise<PersistenceCheck> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const present = await this.countPresent(ids);
      if (present === ids.length || Date.now() > deadline) {
        return { acknowledged: ids.length, present, missing: ids.length - present, lagMs: Date.now() - loadEndedAt };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async totalRows(): Promise<number> {
    const [row] = (await this.client.query<{ n: number }>('SELECT count(*)::int AS n FROM predictions')).rows;
    return row.n;
  }

  close(): Promise<void> {
    return this.client.end();
  }

  async countPresent(ids: string[]): Promise<number> {
    const sql = 'SELECT count(*)::int AS n FROM predictions WHERE id = ANY($1::uuid[])';
    const [row] = (await this.client.query<{ n: number }>(sql, [ids])).rows;
    return row.n;
  }
}

export interface BatchStats {
  sum: number;
  count: number;
}

/** The service's own batch-size histogram (vigil_inference_batch_size) for one model. */
export async function batchStats(serviceUrl: string, model: string): Promise<BatchStats> {
  const text = await (await fetch(`${serviceUrl}/metrics`)).text();
  const read = (suffix: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`vigil_inference_batch_size_${suffix}{model="${model}"`));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  return { sum: read('sum'), count: read('count') };
}

export function meanBatch(before: BatchStats, after: BatchStats): number {
  const count = after.count - before.count;
  return count > 0 ? (after.sum - before.sum) / count : 1;
}
