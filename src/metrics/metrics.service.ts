import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { serviceVersion } from '../config/service-version';

export interface InferenceQueue {
  model: string;
  version: string;
  queued: number;
}

/**
 * Every Prometheus metric Vigil exports, in one registry. These are this process's own; the
 * gauges read from Postgres and the job queue at scrape time are added by the collectors beside
 * this file (stored-state.metrics.ts, job-queue.metrics.ts) to the same registry.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly inferenceQueues = new Set<() => InferenceQueue[]>();

  readonly buildInfo = new Gauge({
    name: 'vigil_build_info',
    help: 'Vigil build (value 1)',
    labelNames: ['version'],
    registers: [this.registry],
  });

  readonly httpRequests = new Counter({
    name: 'vigil_http_requests_total',
    help: 'HTTP requests answered, by method, route template (unmatched: no route reached, e.g. unknown path or malformed body) and status code',
    labelNames: ['method', 'route', 'status_code'],
    registers: [this.registry],
  });

  readonly httpRequestDuration = new Histogram({
    name: 'vigil_http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to the end of its response',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly modelInfo = new Gauge({
    name: 'vigil_model_info',
    // The role lives in vigil_model_role (read from Postgres): a promotion elsewhere would leave a label here stale.
    help: 'Model versions loaded in this process with the execution provider in use (value 1)',
    labelNames: ['model', 'version', 'provider'],
    registers: [this.registry],
  });

  readonly providerFallbacks = new Counter({
    name: 'vigil_inference_provider_fallbacks_total',
    help: 'Model loads that fell back from the first configured execution provider, by reason (not_installed: its library is absent; load_failed: onnxruntime refused it)',
    labelNames: ['model', 'version', 'from', 'to', 'reason'],
    registers: [this.registry],
  });

  readonly inferenceRequests = new Counter({
    name: 'vigil_inference_requests_total',
    help: 'Inference items (images or tensor rows) answered, by outcome (ok, error); shadow runs included',
    labelNames: ['model', 'version', 'provider', 'outcome'],
    registers: [this.registry],
  });

  readonly inferenceLatency = new Histogram({
    name: 'vigil_inference_latency_seconds',
    help: 'Time from submission to answer of one inference item (queueing + batch run)',
    labelNames: ['model', 'version', 'provider'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly batchSize = new Histogram({
    name: 'vigil_inference_batch_size',
    help: 'Items per dynamic batch',
    labelNames: ['model', 'version'],
    buckets: [1, 2, 4, 8, 16, 32, 64, 128],
    registers: [this.registry],
  });

  readonly inferenceQueueDepth = new Gauge({
    name: 'vigil_inference_queue_depth',
    help: "Items waiting in a loaded model version's dynamic batcher",
    labelNames: ['model', 'version'],
    registers: [this.registry],
    collect: () => {
      this.inferenceQueueDepth.reset();
      for (const read of this.inferenceQueues) {
        for (const q of read()) this.inferenceQueueDepth.set({ model: q.model, version: q.version }, q.queued);
      }
    },
  });

  readonly predictionsLogged = new Counter({
    name: 'vigil_predictions_logged_total',
    help: 'Prediction rows written to Postgres',
    registers: [this.registry],
  });

  readonly predictionsDropped = new Counter({
    name: 'vigil_predictions_dropped_total',
    help: 'Prediction rows dropped because the log buffer was full while Postgres was unreachable',
    registers: [this.registry],
  });

  readonly predictionLogBuffered = new Gauge({
    name: 'vigil_prediction_log_buffered_rows',
    help: 'Prediction rows waiting to be written',
    registers: [this.registry],
  });

  readonly webhookAttempts = new Counter({
    name: 'vigil_webhook_attempts_total',
    help: 'Webhook delivery attempts, by event type and outcome (success, http_error, gone, timeout, network_error, refused, endpoint_disabled)',
    labelNames: ['event_type', 'outcome'],
    registers: [this.registry],
  });

  readonly webhookAttemptDuration = new Histogram({
    name: 'vigil_webhook_attempt_duration_seconds',
    help: 'Time from sending a webhook to its response (or error)',
    labelNames: ['outcome'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'vigil_webhook_deliveries_total',
    help: 'Webhook deliveries that reached a final state (delivered, failed), by event type',
    labelNames: ['event_type', 'outcome'],
    registers: [this.registry],
  });

  readonly webhookSweepRequeued = new Counter({
    name: 'vigil_webhook_sweep_requeued_total',
    help: 'Due webhook deliveries re-enqueued by the sweeper (their job was lost or not yet dispatched)',
    registers: [this.registry],
  });

  readonly stateReadErrors = new Counter({
    name: 'vigil_metrics_state_read_errors_total',
    help: 'Scrape-time reads of stored state that failed or timed out (the last good values were served)',
    labelNames: ['source'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'vigil_' });
    // Gauges named like counters (promtool rejects them); the same totals are sum() of the per-type gauges.
    for (const kind of ['handles', 'requests', 'resources']) {
      this.registry.removeSingleMetric(`vigil_nodejs_active_${kind}_total`);
    }
    this.buildInfo.set({ version: serviceVersion }, 1);
    for (const source of ['postgres', 'job_queue']) this.stateReadErrors.inc({ source }, 0);
  }

  /** The inference runtime registers how to read its batchers' queues. */
  observeInferenceQueues(read: () => InferenceQueue[]): void {
    this.inferenceQueues.add(read);
  }
}
