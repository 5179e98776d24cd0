import { randomBytes } from 'node:crypto';
import { registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';

/** One key per role the OIP suites need: registering models, inferring, and reading only. */
export const keys = {
  root: `root-${randomBytes(16).toString('hex')}`,
  infer: `infer-${randomBytes(16).toString('hex')}`,
  read: `read-${randomBytes(16).toString('hex')}`,
};

/** The API with API keys on and the given limits, the digits CNN registered as 'digits'. */
export async function startOipApp(limits: { MAX_BODY_BYTES: number; MAX_REQUEST_ITEMS: number }): Promise<TestApp> {
  const t = await startTestApp({
    env: {
      MAX_BODY_BYTES: String(limits.MAX_BODY_BYTES),
      MAX_REQUEST_ITEMS: String(limits.MAX_REQUEST_ITEMS),
      AUTH_MODE: 'keys',
      API_KEYS: `root:admin:${keys.root},client:infer:${keys.infer},dashboard:read:${keys.read}`,
      LOG_LEVEL: 'error', // every refusal is a 4xx, which pino-http logs as a warning
    },
  });
  const registered = await registerDigitsModel(t.url, 'cnn', {}, { authorization: `Bearer ${keys.root}` });
  if (registered.status !== 201) throw new Error(`registering digits answered ${registered.status}`);
  return t;
}
