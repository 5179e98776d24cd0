import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface EdgesVersionCounts {
  edgesVersion: number;
  counts: number[];
  total: number;
}

/** Drift reports of a version checked in a window, reduced to what the estimate's reliability needs. */
export interface DriftEvidence {
  /** Reports in which every input signal had enough data for a verdict. */
  assessedChecks: number;
  /** Input signals (pixel, brightness, contrast) in state drift in any of those reports. */
  driftingSignals: string[];
}

export interface LabelWeekRow {
  weekFrom: Date;
  predictions: number;
  labelled: number;
  correct: number;
  delaySeconds: { p50: number; p90: number; p99: number; max: number } | null;
}

// Input signals are about the images; class and confidence are outputs (what the estimate reads).
const INPUT_SIGNAL = `(s->>'signal' LIKE 'pixel:%' OR s->>'signal' LIKE 'brightness:%' OR s->>'signal' LIKE 'contrast:%')`;

/** Read-only window aggregates the estimate and the label reports are made of (histograms, drift, feedback). */
@Injectable()
export class WindowDataRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One signal's counts over minutes in [from, to), summed per edges version (bins differ between them). */
  async signalCounts(versionId: string, signal: string, from: Date, to: Date): Promise<EdgesVersionCounts[]> {
    const rows: Array<{ edgesVersion: number; counts: number[]; total: number }> = await this.dataSource.query(
      `WITH w AS (
         SELECT edges_version, counts, total FROM histogram_counts
          WHERE model_version_id = $1 AND signal = $2 AND minute >= $3 AND minute < $4
       ), bins AS (
         SELECT w.edges_version, u.ord, sum(u.c) AS c
           FROM w CROSS JOIN LATERAL unnest(w.counts) WITH ORDINALITY AS u(c, ord)
          GROUP BY w.edges_version, u.ord
       )
       SELECT t.edges_version AS "edgesVersion", t.total::float8 AS total,
              array_agg(b.c::float8 ORDER BY b.ord) AS counts
         FROM (SELECT edges_version, sum(total) AS total FROM w GROUP BY edges_version) t
         JOIN bins b ON b.edges_version = t.edges_version
        GROUP BY t.edges_version, t.total
        ORDER BY t.edges_version`,
      [versionId, signal, from.toISOString(), to.toISOString()],
    );
    return rows.map((r) => ({ edgesVersion: r.edgesVersion, total: Number(r.total), counts: r.counts.map(Number) }));
  }

  /** The edges a reference fixed for an edges version (null if no reference introduced it). */
  async referenceEdges(versionId: string, edgesVersion: number, signal: string): Promise<number[] | null> {
    const [row] = await this.dataSource.query(
      `SELECT histograms->$3->'edges' AS edges FROM drift_references
        WHERE model_version_id = $1 AND edges_version = $2 ORDER BY created_at DESC LIMIT 1`,
      [versionId, edgesVersion, signal],
    );
    return (row?.edges as number[] | null | undefined) ?? null;
  }

  async driftEvidence(versionId: string, from: Date, to: Date): Promise<DriftEvidence> {
    const [row] = await this.dataSource.query(
      `SELECT count(DISTINCT r.id) FILTER (WHERE NOT r.insufficient)::int AS "assessedChecks",
              coalesce(array_agg(DISTINCT s->>'signal') FILTER (WHERE s->>'state' = 'drift' AND ${INPUT_SIGNAL}), '{}')
                AS "driftingSignals"
         FROM (
           SELECT d.id, d.signals, EXISTS (
             SELECT 1 FROM jsonb_array_elements(d.signals) s WHERE ${INPUT_SIGNAL} AND s->>'state' = 'insufficient_data'
           ) OR NOT EXISTS (SELECT 1 FROM jsonb_array_elements(d.signals) s WHERE ${INPUT_SIGNAL}) AS insufficient
             FROM drift_reports d
            WHERE d.model_version_id = $1 AND d.checked_at > $2 AND d.checked_at <= $3
         ) r
         LEFT JOIN LATERAL jsonb_array_elements(r.signals) s ON true`,
      [versionId, from, to],
    );
    return { assessedChecks: row.assessedChecks, driftingSignals: [...row.driftingSignals].sort() };
  }

  /** Labelled predictions of the version made in [from, to), and how many were right. */
  async realized(versionId: string, from: Date, to: Date): Promise<{ n: number; correct: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE label_class = predicted_class)::int AS correct
         FROM feedback WHERE model_version_id = $1 AND predicted_at >= $2 AND predicted_at < $3`,
      [versionId, from, to],
    );
    return row;
  }

  /**
   * Per ISO week (Monday 00:00 UTC) starting in [from, to): predictions (confidence histogram
   * totals), labelled predictions and how long their labels took (seconds from prediction to the
   * label as stored: a corrected label counts from its correction).
   */
  async labelWeeks(versionId: string, signal: string, from: Date, to: Date): Promise<LabelWeekRow[]> {
    const rows: Array<LabelWeekRow & { p: number[] | null; max: number | null }> = await this.dataSource.query(
      `WITH predicted AS (
         SELECT date_trunc('week', minute AT TIME ZONE 'UTC') AS week, sum(total)::float8 AS predictions
           FROM histogram_counts WHERE model_version_id = $1 AND signal = $2 AND minute >= $3 AND minute < $4
          GROUP BY 1
       ), labelled AS (
         SELECT date_trunc('week', predicted_at AT TIME ZONE 'UTC') AS week, count(*)::float8 AS labelled,
                count(*) FILTER (WHERE label_class = predicted_class)::float8 AS correct,
                percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (
                  ORDER BY extract(epoch FROM received_at - predicted_at)::float8) AS p,
                max(extract(epoch FROM received_at - predicted_at))::float8 AS max
           FROM feedback WHERE model_version_id = $1 AND predicted_at >= $3 AND predicted_at < $4
          GROUP BY 1
       )
       SELECT (coalesce(p.week, l.week) AT TIME ZONE 'UTC') AS "weekFrom", coalesce(p.predictions, 0) AS predictions,
              coalesce(l.labelled, 0) AS labelled, coalesce(l.correct, 0) AS correct, l.p, l.max
         FROM predicted p FULL JOIN labelled l ON l.week = p.week
        ORDER BY 1`,
      [versionId, signal, from.toISOString(), to.toISOString()],
    );
    return rows.map((r) => ({
      weekFrom: new Date(r.weekFrom),
      predictions: Number(r.predictions),
      labelled: Number(r.labelled),
      correct: Number(r.correct),
      delaySeconds: r.p ? { p50: r.p[0], p90: r.p[1], p99: r.p[2], max: Number(r.max) } : null,
    }));
  }
}
