import { correctOf, label, postJson, serve, Served, windowAroundNow } from '../evaluation/evaluation-traffic';
import { serveUnits, ServedUnit } from '../experiments/experiment-traffic';
import { chunk, digitImages, registerDigitsModel } from '../support/digits';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';
import { webhookApi } from '../support/webhook-api';
import { WebhookReceiver } from '../support/webhook-receiver';
import { serviceVersion } from '../../src/config/service-version';
import { parseExposition, Sample, samplesOf, valueOf } from './exposition';
import { itWithPromtool, promtoolCheck } from './promtool';
import { dashboardMetricNames, loadDashboard } from './grafana-dashboard';

interface DriftDetail {
  state: string;
  checkedAt: string;
  signals: Array<{ signal: string; state: string; kl: number; threshold: number }>;
}

const digits = { model: 'digits' };
const cnn = { model: 'digits', version: 'cnn-v1' };

describe('/metrics reports what the service did, and promtool accepts it', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let text = '';
  const heldback = digitImages('heldback');
  const reference = digitImages('reference');
  let served: Served[] = [];
  let units: ServedUnit[] = [];

  beforeAll(async () => {
    receiver = await WebhookReceiver.create();
    await receiver.start();
    t = await startTestApp({
      env: {
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_BACKOFF_MS: '50',
        EVAL_SCHEDULE_ENABLED: 'false',
        DRIFT_MIN_REFERENCE_SAMPLES: '599', // the fixtures' reference split; the default asks 1,610
      },
    });
    expect((await registerDigitsModel(t.url, 'cnn')).status).toBe(201);
    const endpoint = await webhookApi(t.url).create({ url: receiver.url, eventTypes: ['evaluation.completed'] });
    receiver.secret = endpoint.body.secret;
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  const scrape = async (): Promise<Sample[]> => {
    const response = await fetch(`${t.url}/metrics`);
    expect(response.status).toBe(200);
    text = await response.text();
    return parseExposition(text);
  };
  /** Stored state is cached for a few seconds per replica: poll until the scrape shows it. */
  const scrapeUntil = (accept: (samples: Sample[]) => boolean) => eventually(scrape, accept);

  it('counts images per model, version and provider, and requests per route template', async () => {
    served = await serve(t.url, heldback);
    await label(t.url, served);
    expect((await fetch(`${t.url}/v1/models/no-such-model`)).status).toBe(404);
    expect((await fetch(`${t.url}/no/such/route/123`)).status).toBe(404);
    const malformed = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"items": [' };
    expect((await fetch(`${t.url}/v1/feedback`, malformed)).status).toBe(400);
    const samples = await scrapeUntil((s) => valueOf(s, 'vigil_predictions_logged_total') === heldback.length);

    expect(valueOf(samples, 'vigil_inference_requests_total', { ...cnn, outcome: 'ok' })).toBe(heldback.length);
    expect(valueOf(samples, 'vigil_inference_requests_total', { ...cnn, outcome: 'error' })).toBeUndefined();
    expect(valueOf(samples, 'vigil_inference_latency_seconds_count', cnn)).toBe(heldback.length);
    expect(valueOf(samples, 'vigil_inference_batch_size_sum', cnn)).toBe(heldback.length);
    expect(valueOf(samples, 'vigil_inference_queue_depth', cnn)).toBe(0);
    const predict = { method: 'POST', route: '/v1/models/:name/predict', status_code: '200' };
    expect(valueOf(samples, 'vigil_http_requests_total', predict)).toBe(chunk(heldback, 200).length);
    expect(valueOf(samples, 'vigil_http_request_duration_seconds_count', predict)).toBe(chunk(heldback, 200).length);
    expect(valueOf(samples, 'vigil_http_requests_total', { route: '/v1/feedback', status_code: '200' })).toBe(1);
    expect(valueOf(samples, 'vigil_http_requests_total', { route: '/v1/models/:name', status_code: '404' })).toBe(1);
    expect(valueOf(samples, 'vigil_http_requests_total', { route: 'unmatched', status_code: '404' })).toBe(1);
    // A malformed body is parsed after the route's guards (issue 13.2), so its 400 counts under the route.
    expect(valueOf(samples, 'vigil_http_requests_total', { route: '/v1/feedback', status_code: '400' })).toBe(1);
    expect(valueOf(samples, 'vigil_http_requests_total', { route: 'unmatched', status_code: '400' })).toBeUndefined();
    const routes = samplesOf(samples, 'vigil_http_requests_total').map((s) => s.labels.route);
    expect(routes.filter((route) => /digits|no-such|such\/route|[0-9a-f]{8}-/.test(route))).toEqual([]);
    expect(valueOf(samples, 'vigil_build_info', { version: serviceVersion })).toBe(1);
    expect(valueOf(samples, 'vigil_model_info', { ...cnn, provider: 'cpu' })).toBe(1);
    expect(valueOf(samples, 'vigil_model_role', { ...cnn, role: 'champion' })).toBe(1);
  });

  it('reports the latest stored drift check per signal, as GET /v1/models/:name/drift does', async () => {
    const form = new FormData();
    for (const image of reference) form.append('images', new Blob([image.bytes], { type: 'image/png' }), image.file);
    const set = await fetch(`${t.url}/v1/models/digits/versions/cnn-v1/drift/reference`, {
      method: 'POST',
      body: form,
    });
    expect(set.status).toBe(201);
    expect((await postJson(t.url, '/v1/models/digits/versions/cnn-v1/drift/check', {})).status).toBe(200);
    const detail = (await (await fetch(`${t.url}/v1/models/digits/drift`)).json()) as DriftDetail;
    expect(detail.signals.length).toBeGreaterThan(3);

    const samples = await scrapeUntil((s) => samplesOf(s, 'vigil_drift_kl', cnn).length === detail.signals.length);
    for (const { signal, kl, threshold, state } of detail.signals) {
      expect([signal, valueOf(samples, 'vigil_drift_kl', { ...cnn, signal })]).toEqual([signal, kl]);
      expect(valueOf(samples, 'vigil_drift_threshold', { ...cnn, signal })).toBe(threshold);
      const states = samplesOf(samples, 'vigil_drift_state', { ...cnn, signal });
      expect(Object.fromEntries(states.map((s) => [s.labels.state, s.value]))).toEqual({
        ok: state === 'ok' ? 1 : 0,
        drift: state === 'drift' ? 1 : 0,
        insufficient_data: state === 'insufficient_data' ? 1 : 0,
      });
    }
    expect(detail.signals.map((s) => s.threshold)).toContain(0.15);
    expect(valueOf(samples, 'vigil_drift_overall_state', { ...cnn, state: detail.state })).toBe(1);
    expect(valueOf(samples, 'vigil_drift_overall_state', cnn)).toBe(1);
    const checkedAt = valueOf(samples, 'vigil_drift_last_check_timestamp_seconds', cnn)!;
    expect(checkedAt).toBeCloseTo(Date.parse(detail.checkedAt) / 1000, 3);
  });

  it("reports the latest evaluation's accuracy, and the webhook it sent", async () => {
    const response = await postJson(t.url, '/v1/models/digits/evaluations', windowAroundNow());
    expect(response.status).toBe(200);
    const [evaluation] = response.body.evaluations as Array<{ source: string; accuracy: number; n: number }>;
    expect(evaluation).toMatchObject({ source: 'feedback', n: heldback.length });
    expect(evaluation.accuracy).toBe(correctOf(served) / heldback.length);
    await receiver.until(() => receiver.received.some((r) => r.payload?.type === 'evaluation.completed'));

    const delivered = { event_type: 'evaluation.completed', outcome: 'delivered' };
    const samples = await scrapeUntil(
      (s) =>
        valueOf(s, 'vigil_model_accuracy', cnn) !== undefined &&
        valueOf(s, 'vigil_webhook_deliveries_total', delivered) === 1 &&
        valueOf(s, 'vigil_webhook_deliveries_pending') === 0,
    );
    expect(valueOf(samples, 'vigil_model_accuracy', { ...cnn, source: 'feedback' })).toBe(evaluation.accuracy);
    expect(valueOf(samples, 'vigil_model_evaluation_samples', { ...cnn, source: 'feedback' })).toBe(evaluation.n);
    const success = { event_type: 'evaluation.completed', outcome: 'success' };
    expect(valueOf(samples, 'vigil_webhook_attempts_total', success)).toBe(1);
    expect(valueOf(samples, 'vigil_webhook_attempt_duration_seconds_count', { outcome: 'success' })).toBe(1);
    expect(valueOf(samples, 'vigil_job_attempts_total', { queue: 'webhooks', outcome: 'completed' })).toBeGreaterThan(
      0,
    );
    expect(samplesOf(samples, 'vigil_queue_jobs').map((s) => s.labels.queue)).toEqual(
      expect.arrayContaining(['maintenance', 'webhooks', 'drift', 'evaluation', 'experiments']),
    );
  });

  it('reports the running experiment: versions, predictions and labels per arm, latest verdict', async () => {
    expect((await registerDigitsModel(t.url, 'weak')).status).toBe(201);
    const started = await postJson(t.url, '/v1/models/digits/experiments', {
      challengerVersion: 'weak-v1',
      trafficShare: 50,
      minSamples: 100_000,
    });
    expect(started.status).toBe(201);
    units = await serveUnits(t.url, reference.slice(0, 120), 'metrics');
    await label(t.url, units);
    const analysed = await postJson(t.url, `/v1/experiments/${started.body.id}/analyse`, {});
    expect(analysed.status).toBe(200);
    const verdict: string = analysed.body.analysis.verdict;
    expect(verdict).toBe('continue');
    const control = units.filter((u) => u.version === 'cnn-v1').length;
    const treatment = units.length - control;
    expect(Math.min(control, treatment)).toBeGreaterThan(20);

    const samples = await scrapeUntil(
      (s) => valueOf(s, 'vigil_experiment_predictions', { ...digits, arm: 'treatment' }) === treatment,
    );
    const running = {
      ...digits,
      experiment: started.body.key,
      mode: 'split',
      champion: 'cnn-v1',
      challenger: 'weak-v1',
    };
    expect(valueOf(samples, 'vigil_experiment_running', running)).toBe(1);
    expect(valueOf(samples, 'vigil_experiment_predictions', { ...digits, arm: 'control' })).toBe(control);
    expect(valueOf(samples, 'vigil_experiment_labelled_predictions', { ...digits, arm: 'control' })).toBe(control);
    expect(valueOf(samples, 'vigil_experiment_labelled_predictions', { ...digits, arm: 'treatment' })).toBe(treatment);
    expect(valueOf(samples, 'vigil_experiment_decision', { ...digits, verdict })).toBe(1);
    expect(valueOf(samples, 'vigil_experiment_decision', digits)).toBe(1);
    expect(valueOf(samples, 'vigil_experiment_last_decision_timestamp_seconds', digits)).toBeGreaterThan(0);
    const weak = { model: 'digits', version: 'weak-v1', outcome: 'ok' };
    expect(valueOf(samples, 'vigil_inference_requests_total', weak)).toBe(treatment);
    expect(valueOf(samples, 'vigil_inference_requests_total', { ...cnn, outcome: 'ok' })).toBe(
      heldback.length + control,
    );
  });

  itWithPromtool('passes `promtool check metrics` without a complaint', () => {
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  });

  it('has a series for every metric the Grafana dashboard queries', () => {
    const names = new Set(parseExposition(text).map((s) => s.name));
    const queried = dashboardMetricNames(loadDashboard());
    expect(queried.length).toBeGreaterThan(25);
    expect(queried.filter((name) => !names.has(name))).toEqual([]);
  });
});
