import { summariseEvent } from '../../src/webhooks/webhook-event-summary';
import { DemoApi } from './demo-api';
import { driftChapter } from './demo-drift';
import { imagesForm, loadDigits, registerDigitsModel } from './demo-digits';
import { demoAccelerations } from './demo-env';
import { evaluationChapter } from './demo-evaluation';
import { experimentChapter } from './demo-experiment';
import { leaderboardChapter } from './demo-leaderboard';
import { DemoWebhookReceiver } from './demo-receiver';

export type DemoLog = (line: string) => void;

/** What every chapter works with. */
export interface DemoContext {
  api: DemoApi;
  say: DemoLog;
  receiver: DemoWebhookReceiver;
  /** The model name used for this run ('digits', or 'digits-N' when that is taken). */
  model: string;
  startedAt: Date;
}

export interface DemoStoryResult {
  model: string;
  experimentId: string;
  experimentOutcome: string | null;
  seconds: number;
  /** The receiver's webhook endpoint in the service (the demo deletes it when it stops). */
  endpointId: string;
  /** The leaderboard computed on the held-back set at the end. */
  leaderboard: { setId: string; leaderboardId: string };
  /** Still listening: the caller closes it (the demo keeps it open with the service). */
  receiver: DemoWebhookReceiver;
}

/**
 * The whole story against a running service: two digits models, a drift reference, normal then
 * brightened traffic (ok -> drift), an evaluation that asks for retraining after a worse model is
 * promoted, and an A/B test that switches back to the better one. Every step is plain HTTP.
 */
export async function runDemoStory(baseUrl: string, log: DemoLog, apiKey?: string): Promise<DemoStoryResult> {
  const started = Date.now();
  const say: DemoLog = (line) => log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);
  const receiver = await DemoWebhookReceiver.start(
    (alert) => say(`  webhook ✔ signature verified  ${alert.type}: ${summariseEvent(alert.type, alert.body)}`),
    (reason) => say(`  webhook ✘ signature rejected (${reason})`),
  );
  try {
    const api = new DemoApi(baseUrl, apiKey);
    const context: DemoContext = { api, say, receiver, model: await freeModelName(api), startedAt: new Date() };
    const endpointId = await setUp(context);
    await driftChapter(context);
    await evaluationChapter(context);
    const experiment = await experimentChapter(context);
    const leaderboard = await leaderboardChapter(context);
    const seconds = (Date.now() - started) / 1000;
    const webhooks = `${receiver.alerts.length} signed webhooks verified, ${receiver.rejected} rejected`;
    say(`story done in ${seconds.toFixed(0)} s: ${webhooks}`);
    return { model: context.model, ...experiment, leaderboard, seconds, endpointId, receiver };
  } catch (error) {
    await receiver.close();
    throw error;
  }
}

async function setUp(c: DemoContext): Promise<string> {
  c.say('What this demo accelerates (everything else runs as in production):');
  for (const line of demoAccelerations) c.say(`  - ${line}`);
  const endpoint = await c.api.post<{ id: string; secret: string }>('/v1/webhooks', {
    url: c.receiver.url,
    eventTypes: ['*'],
    description: 'vigil demo receiver',
  });
  c.receiver.useSecret(endpoint.secret);
  c.say(`webhook receiver on ${c.receiver.url} subscribed to every event (verifies with standardwebhooks)`);
  for (const which of ['cnn', 'weak'] as const) {
    const version = await registerDigitsModel(c.api, c.model, which);
    c.say(`registered ${c.model} ${version.version}: ${version.role}, execution provider ${version.provider}`);
  }
  const reference = loadDigits('reference');
  for (const version of ['cnn-v1', 'weak-v1']) {
    const path = `/v1/models/${c.model}/versions/${version}/drift/reference`;
    await c.api.form(path, imagesForm(reference));
  }
  c.say(
    `drift reference for both versions: the ${reference.length} images of the reference split (fixes the bin edges)`,
  );
  return endpoint.id;
}

/** 'digits' on a fresh database; 'digits-2', 'digits-3'... when an earlier run left one behind. */
async function freeModelName(api: DemoApi): Promise<string> {
  const { models } = await api.get<{ models: Array<{ name: string }> }>('/v1/models');
  const taken = new Set(models.map((m) => m.name));
  let name = 'digits';
  for (let n = 2; taken.has(name); n += 1) name = `digits-${n}`;
  return name;
}
