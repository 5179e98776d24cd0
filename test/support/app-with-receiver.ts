import { DigitsModel, registerDigitsModel } from './digits';
import { startTestApp } from './test-app';
import { webhookApi } from './webhook-api';
import { WebhookReceiver } from './webhook-receiver';

/** A test app with a digits model registered and a verifying webhook receiver subscribed to `eventTypes`. */
export async function startWithReceiver(env: Record<string, string>, eventTypes: string[], model: DigitsModel = 'cnn') {
  const receiver = await WebhookReceiver.create();
  await receiver.start();
  const t = await startTestApp({
    env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_BACKOFF_MS: '50', EVAL_SCHEDULE_ENABLED: 'false', ...env },
  });
  expect((await registerDigitsModel(t.url, model)).status).toBe(201);
  const endpoint = await webhookApi(t.url).create({ url: receiver.url, eventTypes });
  receiver.secret = endpoint.body.secret;
  return { t, receiver };
}
