import { Injectable, Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { CachedRead } from './cached-read';
import { MetricsService } from './metrics.service';
import { EMPTY_STORED_STATE, StoredState, StoredStateRepository } from './stored-state.repository';

const DRIFT_STATES = ['ok', 'drift', 'insufficient_data'] as const;
const VERDICTS = ['continue', 'challenger_better', 'champion_holds', 'held_srm', 'held_guardrail'] as const;

/** Several Prometheus servers (or replicas behind one target) scraping at once share one read. */
const STATE_TTL_MS = 5000;
const STATE_TIMEOUT_MS = 2000;

type Fill<L extends string> = (gauge: Gauge<L>, state: StoredState) => void;

/**
 * Drift, accuracy, experiment and webhook backlog gauges, read from Postgres at scrape time:
 * any replica reports what is stored, whichever process did the check, evaluation or analysis.
 */
@Injectable()
export class StoredStateMetrics {
  private readonly logger = new Logger('StoredStateMetrics');
  private readonly state: CachedRead<StoredState>;

  constructor(
    private readonly metrics: MetricsService,
    repository: StoredStateRepository,
  ) {
    this.state = new CachedRead(() => repository.read(), {
      ttlMs: STATE_TTL_MS,
      timeoutMs: STATE_TIMEOUT_MS,
      initial: EMPTY_STORED_STATE,
      onError: (error) => {
        metrics.stateReadErrors.inc({ source: 'postgres' });
        this.logger.warn({ err: error }, 'metrics: reading stored state failed; serving the last values');
      },
    });
    const roles = 'Active model versions (value 1) with their role as stored now (champion or challenger)';
    this.gauge('vigil_model_role', roles, ['model', 'version', 'role'], (g, s) => {
      for (const m of s.models) g.set({ model: m.model, version: m.version, role: m.role }, 1);
    });
    this.driftMetrics();
    this.evaluationMetrics();
    this.estimateMetrics();
    this.labelMetrics();
    this.experimentMetrics();
    this.gauge('vigil_webhook_deliveries_pending', 'Webhook deliveries not yet delivered or failed', [], (g, s) =>
      g.set(s.pendingWebhooks),
    );
  }

  private driftMetrics(): void {
    const signal = ['model', 'version', 'signal'] as const;
    this.gauge('vigil_drift_kl', 'D_KL(current || reference) in nats of the latest drift check', signal, (g, s) => {
      for (const r of s.drift) if (r.signal && r.kl !== null) g.set(labelsOf(r), r.kl);
    });
    this.gauge('vigil_drift_threshold', 'KL threshold in nats the latest drift check used', signal, (g, s) => {
      for (const r of s.drift) if (r.signal && r.threshold !== null) g.set(labelsOf(r), r.threshold);
    });
    const help = 'Signal state of the latest drift check: 1 for the current state, 0 for the others';
    this.gauge('vigil_drift_state', help, [...signal, 'state'], (g, s) => {
      for (const r of s.drift) if (r.signal && r.state) stateSet(g, labelsOf(r), DRIFT_STATES, r.state);
    });
    const overall = 'Overall state of the latest drift check of a model version: 1 current, 0 others';
    this.gauge('vigil_drift_overall_state', overall, ['model', 'version', 'state'], (g, s) => {
      for (const r of s.drift) stateSet(g, { model: r.model, version: r.version }, DRIFT_STATES, r.overallState);
    });
    const at = 'Unix time of the latest drift check of a model version';
    this.gauge('vigil_drift_last_check_timestamp_seconds', at, ['model', 'version'], (g, s) => {
      for (const r of s.drift) g.set({ model: r.model, version: r.version }, seconds(r.checkedAt));
    });
  }

  private evaluationMetrics(): void {
    const labels = ['model', 'version', 'source'] as const;
    const help = 'Accuracy (0..1) of the latest evaluation, weekly or manual, per source (feedback or set:<id>)';
    this.gauge('vigil_model_accuracy', help, labels, (g, s) => {
      for (const r of s.accuracy) g.set({ model: r.model, version: r.version, source: r.source }, r.accuracy);
    });
    this.gauge('vigil_model_evaluation_samples', 'Labelled items the latest evaluation counted', labels, (g, s) => {
      for (const r of s.accuracy) g.set({ model: r.model, version: r.version, source: r.source }, r.n);
    });
    const at = 'Unix time of the latest evaluation';
    this.gauge('vigil_model_evaluation_timestamp_seconds', at, labels, (g, s) => {
      for (const r of s.accuracy)
        g.set({ model: r.model, version: r.version, source: r.source }, seconds(r.evaluatedAt));
    });
  }

  /** The newest stored accuracy estimate per active version (README "Estimated accuracy"). */
  private estimateMetrics(): void {
    const labels = ['model', 'version'] as const;
    const of = (r: { model: string; version: string }) => ({ model: r.model, version: r.version });
    const gauges: Array<[string, string, (r: StoredState['estimates'][number]) => number | null]> = [
      [
        'vigil_model_estimated_accuracy',
        'Accuracy (0..1) estimated from confidence histograms, no labels',
        (r) => r.accuracy,
      ],
      ['vigil_model_estimated_accuracy_lower', 'Lower bound of the estimated accuracy interval', (r) => r.lower],
      ['vigil_model_estimated_accuracy_upper', 'Upper bound of the estimated accuracy interval', (r) => r.upper],
      [
        'vigil_model_estimate_reliable',
        '1 when the estimate is reliable (no input drift in its window), else 0',
        (r) => +r.reliable,
      ],
      ['vigil_model_estimate_samples', 'Predictions behind the newest accuracy estimate', (r) => r.n],
      [
        'vigil_model_estimate_baseline_accuracy',
        'Baseline accuracy the estimate is compared with',
        (r) => r.baselineAccuracy,
      ],
    ];
    for (const [name, help, value] of gauges) {
      this.gauge(name, help, labels, (g, s) => {
        for (const r of s.estimates) if (value(r) !== null) g.set(of(r), value(r)!);
      });
    }
    const baseline = "The retraining rule's pooled baseline accuracy at the latest evaluation, per source";
    this.gauge('vigil_model_baseline_accuracy', baseline, ['model', 'version', 'source'], (g, s) => {
      for (const r of s.accuracy) {
        if (r.baselineAccuracy !== null)
          g.set({ model: r.model, version: r.version, source: r.source }, r.baselineAccuracy);
      }
    });
  }

  /** Per recent ISO week: how many predictions have labels so far, and how late they came. */
  private labelMetrics(): void {
    const week = ['model', 'version', 'week'] as const;
    const of = (r: StoredState['labelWeeks'][number]) => ({ model: r.model, version: r.version, week: r.week });
    this.gauge('vigil_label_coverage', "Share (0..1) of the week's predictions with a label so far", week, (g, s) => {
      for (const r of s.labelWeeks) if (r.predictions > 0) g.set(of(r), r.labelled / r.predictions);
    });
    this.gauge('vigil_labelled_predictions', 'Predictions of the week with a label so far', week, (g, s) => {
      for (const r of s.labelWeeks) g.set(of(r), r.labelled);
    });
    const delay = "Seconds from prediction to label over the week's labels: stat p50, p90, p99 or max";
    this.gauge('vigil_label_delay_seconds', delay, [...week, 'stat'], (g, s) => {
      for (const r of s.labelWeeks) {
        const d = r.delaySeconds;
        if (!d) continue;
        for (const stat of ['p50', 'p90', 'p99', 'max'] as const) g.set({ ...of(r), stat }, d[stat]);
      }
    });
  }

  private experimentMetrics(): void {
    const running = 'Running A/B experiments (value 1): key, mode and the versions on each side';
    this.gauge(
      'vigil_experiment_running',
      running,
      ['model', 'experiment', 'mode', 'champion', 'challenger'],
      (g, s) => {
        for (const x of s.experiments) {
          g.set({ model: x.model, experiment: x.key, mode: x.mode, champion: x.champion, challenger: x.challenger }, 1);
        }
      },
    );
    const arm = ['model', 'arm'] as const;
    const predictions = 'Predictions logged per arm (control, treatment, shadow) since the running experiment started';
    this.gauge('vigil_experiment_predictions', predictions, arm, (g, s) => {
      for (const a of s.arms) g.set({ model: a.model, arm: a.arm }, a.predictions);
    });
    const labelled =
      'Predictions per arm with a ground-truth label (shadow rows are scored through their control twin)';
    this.gauge('vigil_experiment_labelled_predictions', labelled, arm, (g, s) => {
      for (const a of s.arms) g.set({ model: a.model, arm: a.arm }, a.labelled);
    });
    const decision = 'Verdict of the latest analysis of the running experiment: 1 current, 0 others (all 0: none yet)';
    this.gauge('vigil_experiment_decision', decision, ['model', 'verdict'], (g, s) => {
      for (const x of s.experiments) stateSet(g, { model: x.model }, VERDICTS, x.verdict, 'verdict');
    });
    const at = 'Unix time of the latest analysis of the running experiment';
    this.gauge('vigil_experiment_last_decision_timestamp_seconds', at, ['model'], (g, s) => {
      for (const x of s.experiments) if (x.decidedAt) g.set({ model: x.model }, seconds(x.decidedAt));
    });
  }

  /** A gauge refilled from the shared snapshot on every scrape, so vanished rows vanish here too. */
  private gauge<L extends string>(name: string, help: string, labelNames: readonly L[], fill: Fill<L>): void {
    const state = this.state;
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.metrics.registry],
      async collect() {
        const snapshot = await state.get();
        this.reset();
        fill(this, snapshot);
      },
    });
  }
}

function labelsOf(row: { model: string; version: string; signal: string | null }) {
  return { model: row.model, version: row.version, signal: row.signal! };
}

/** The Prometheus state-set idiom: one series per possible state, 1 for the current one. */
function stateSet<L extends string>(
  gauge: Gauge<L>,
  labels: Record<string, string>,
  states: readonly string[],
  current: string | null,
  stateLabel = 'state',
): void {
  const all = current === null || states.includes(current) ? states : [...states, current];
  for (const state of all) gauge.set({ ...labels, [stateLabel]: state } as never, state === current ? 1 : 0);
}

const seconds = (date: Date) => date.getTime() / 1000;
