import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { EvaluationScheduler } from '../../src/evaluation/evaluation.jobs';
import { JobQueue } from '../../src/infra/queue/job-queue';
import { QueueName } from '../../src/infra/queue/jobs';
import { label, serve } from '../evaluation/evaluation-traffic';
import { digitImages, registerDigitsModel } from '../support/digits';
import { eventually } from '../support/eventually';
import { InferenceLoad } from '../support/inference-load';
import { PrivateRedis } from '../support/private-redis';
import { Replicas, startReplicas } from '../support/replicas';
import { TestApp } from '../support/test-app';
import { webhookApi } from '../support/webhook-api';
import { WebhookReceiver } from '../support/webhook-receiver';

const WEEK_MS = 7 * 24 * 3_600_000;

async function readiness(url: string): Promise<{ status: number; body: { error?: Record<string, unknown> } }> {
  const response = await fetch(`${url}/health/ready`);
  return { status: response.status, body: (await response.json()) as { error?: Record<string, unknown> } };
}

/** Evaluation attempts both replicas ran (completed / failed), from their job drivers. */
function evaluationAttempts(...apps: TestApp[]): { completed: number; failed: number } {
  const attempts = apps.flatMap((t) => t.app.get(JobQueue).attemptCounts());
  const of = (outcome: string) =>
    attempts.filter((a) => a.queue === QueueName.Evaluation && a.outcome === outcome).reduce((n, a) => n + a.count, 0);
  return { completed: of('completed'), failed: of('failed') };
}

describe('Redis killed and restarted under two API replicas', () => {
  let redis: PrivateRedis | undefined;
  let replicas: Replicas | undefined;
  let receiver: WebhookReceiver | undefined;
  const loads: InferenceLoad[] = [];

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    replicas = await startReplicas({
      REDIS_URL: redis.url,
      WEBHOOK_SWEEP_INTERVAL_MS: '1000',
      WEBHOOK_TIMEOUT_MS: '2000',
      SHUTDOWN_TIMEOUT_MS: '5000',
    });
    receiver = await WebhookReceiver.create();
    await receiver.start();
  });
  afterAll(async () => {
    await Promise.all(loads.map((load) => load.stop()));
    await redis?.resume().catch(() => undefined); // after a failure mid-outage: let the apps close normally
    await replicas?.close();
    await redis?.kill();
    await receiver?.stop();
  });

  it('serves and logs through the outage, then runs every job, and the weekly evaluation once', async () => {
    const { a, b } = replicas!;
    expect((await registerDigitsModel(a.url, 'cnn')).status).toBe(201);
    await label(b.url, await serve(b.url, digitImages('heldback').slice(0, 60)));
    const api = webhookApi(a.url);
    const endpoint = await api.create({ url: receiver!.url, eventTypes: ['drift.detected'] });
    receiver!.secret = endpoint.body.secret;

    await redis!.kill();
    const down = await readiness(a.url);
    expect(down.status).toBe(503);
    expect(Object.keys(down.body.error ?? {})).toEqual(['redis']);
    for (const t of [a, b]) {
      const load = new InferenceLoad(t.url, digitImages('heldback'));
      loads.push(load);
      load.start(2);
    }
    await Promise.all(loads.map((load) => load.untilAcknowledged(50)));
    // The weekly cron fires on both replicas while Redis is down (the cron calls enqueueWeekly).
    const nextWeek = new Date(Date.now() + WEEK_MS);
    const crons = await Promise.allSettled([
      a.app.get(EvaluationScheduler).enqueueWeekly(nextWeek),
      b.app.get(EvaluationScheduler).enqueueWeekly(nextWeek),
    ]);
    const whileDown = await api.test(endpoint.body.id);
    expect(whileDown.status).toBe(202);
    await Promise.all(loads.map((load) => load.stop()));

    await redis!.resume(); // empty: every queued job is gone
    const back = performance.now();
    for (const t of [a, b]) {
      await eventually(
        () => readiness(t.url),
        (r) => r.status === 200,
        20_000,
      );
    }
    const readyAfterMs = performance.now() - back;
    const afterReturn = await api.test(endpoint.body.id);
    expect(afterReturn.status).toBe(202);

    await receiver!.until((received) =>
      [whileDown, afterReturn].every((sent) => received.some((r) => r.id === sent.body.eventId)),
    );
    const deliveredAfterMs = performance.now() - back;
    const rows = () =>
      a.app.get(DataSource).query(`SELECT kind, source, n FROM evaluations WHERE model_name = 'digits'`);
    await eventually(rows, (r: unknown[]) => r.length >= 1, 30_000);
    // Nothing of the evaluation queue left to run (on either replica: the counts are Redis's).
    await eventually(
      async () => (await a.app.get(JobQueue).jobCounts())[QueueName.Evaluation],
      (c) => (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0,
    );
    expect(await rows()).toEqual([{ kind: 'weekly', source: 'feedback', n: 60 }]);
    expect(evaluationAttempts(a, b)).toEqual({ completed: 1, failed: 0 });

    const acknowledged = loads.flatMap((load) => load.acknowledged.map((p) => p.predictionId));
    const failures = loads.flatMap((load) => [...load.outcomes].filter(([status]) => status !== 200));
    expect(failures).toEqual([]);
    const client = new Client({ connectionString: a.config.DATABASE_URL });
    await client.connect();
    const stored = await eventually(
      async () =>
        (await client.query('SELECT count(*)::int AS n FROM predictions WHERE id = ANY($1::uuid[])', [acknowledged]))
          .rows[0].n as number,
      (n) => n === acknowledged.length,
    ).finally(() => client.end());
    console.log(
      `Redis restart: ${acknowledged.length} predictions answered while Redis was down, ${stored} stored; ` +
        `weekly enqueue while down: ${crons.map((c) => c.status).join('/')}; ready ${Math.round(readyAfterMs)} ms ` +
        `after Redis was back; both webhook events delivered ${Math.round(deliveredAfterMs)} ms after; ` +
        `weekly evaluation ran once (1 attempt, 1 record)`,
    );
  });
});
