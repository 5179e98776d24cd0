import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One signal's bin counts for one model version, edges version and UTC minute. */
export interface HistogramMinuteRow {
  modelVersionId: string;
  edgesVersion: number;
  signal: string;
  minute: Date;
  counts: number[];
}

export interface HistogramSum {
  counts: number[];
  total: number;
}

/** histogram_counts: additive per-minute counts, so replicas and retries just add up. */
@Injectable()
export class HistogramRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One statement per flush. Rows must be unique per key (the aggregator merges them first):
   * ON CONFLICT cannot update the same row twice in one statement. Bin arrays travel as
   * array literals because a Postgres array parameter cannot be ragged.
   */
  async upsertAdditive(rows: readonly HistogramMinuteRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO histogram_counts (model_version_id, signal, edges_version, minute, counts, total)
       SELECT r.model_version_id, r.signal, r.edges_version, r.minute, r.counts::bigint[], r.total
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::timestamptz[], $5::text[], $6::bigint[])
         AS r(model_version_id, signal, edges_version, minute, counts, total)
       ON CONFLICT (model_version_id, signal, edges_version, minute) DO UPDATE SET
         counts = ARRAY(
           SELECT coalesce(a, 0) + coalesce(b, 0)
           FROM unnest(histogram_counts.counts, EXCLUDED.counts) WITH ORDINALITY AS t(a, b, ord)
           ORDER BY t.ord
         ),
         total = histogram_counts.total + EXCLUDED.total`,
      [
        rows.map((r) => r.modelVersionId),
        rows.map((r) => r.signal),
        rows.map((r) => r.edgesVersion),
        rows.map((r) => r.minute.toISOString()),
        rows.map((r) => `{${r.counts.join(',')}}`),
        rows.map((r) => r.counts.reduce((sum, c) => sum + c, 0)),
      ],
    );
  }

  /** Element-wise sum of every signal's counts over minutes in [from, to), summed in SQL. */
  async sumCounts(
    modelVersionId: string,
    edgesVersion: number,
    from: Date,
    to: Date,
  ): Promise<Record<string, HistogramSum>> {
    const rows: Array<{ signal: string; total: number; counts: number[] }> = await this.dataSource.query(
      `WITH window_rows AS (
         SELECT signal, counts, total FROM histogram_counts
         WHERE model_version_id = $1 AND edges_version = $2 AND minute >= $3 AND minute < $4
       ), bins AS (
         SELECT w.signal, u.ord, sum(u.c) AS c
         FROM window_rows w CROSS JOIN LATERAL unnest(w.counts) WITH ORDINALITY AS u(c, ord)
         GROUP BY w.signal, u.ord
       ), totals AS (
         SELECT signal, sum(total) AS total FROM window_rows GROUP BY signal
       )
       SELECT t.signal, t.total::float8 AS total,
         coalesce(array_agg(b.c::float8 ORDER BY b.ord) FILTER (WHERE b.ord IS NOT NULL), '{}') AS counts
       FROM totals t LEFT JOIN bins b ON b.signal = t.signal
       GROUP BY t.signal, t.total`,
      [modelVersionId, edgesVersion, from.toISOString(), to.toISOString()],
    );
    const sums: Record<string, HistogramSum> = {};
    // float8: exact for integers below 2^53, far beyond any realistic window's count.
    for (const row of rows) sums[row.signal] = { counts: row.counts.map(Number), total: Number(row.total) };
    return sums;
  }
}
