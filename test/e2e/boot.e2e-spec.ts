import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/infra/net/free-port';
import { registerDigitsModel } from '../support/digits';
import { exitCode, ServiceProcess, spawnService, waitForStatus } from '../support/service-process';
import { messagesOf } from '../support/service-log';

const built = existsSync(join(__dirname, '..', '..', 'dist', 'src', 'main.js'));
if (!built) throw new Error('run `npm run build` first: this suite starts the built service');

describe('the built service', () => {
  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT .*"abc"/],
    [{ DATABASE_URL: 'not-a-url' }, /^Invalid configuration: DATABASE_URL is not a valid URL$/],
  ])('refuses to start with %j, on one line naming the variable', async (env, message) => {
    const service = spawnService(env);
    expect(await exitCode(service)).toBe(1);
    const lines = service.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('starts on embedded Postgres without DATABASE_URL, stops cleanly and keeps its data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
    const port = await freePort();
    const env = {
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'info',
      INFERENCE_PROVIDERS: undefined, // the default, cuda,cpu, on a host without CUDA
    };
    const services: ServiceProcess[] = [];
    try {
      const first = spawnService(env);
      services.push(first);
      // waitForStatus fails past its 30 s: a generous guard against a hang, not a timing claim.
      await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200, 30_000, first);
      const registered = await registerDigitsModel(`http://127.0.0.1:${port}`, 'cnn');
      expect(registered.status).toBe(201);
      // No CUDA libraries here: onnxruntime is never asked for cuda, so it prints no error line of
      // its own; Vigil's warning says why it fell back.
      expect(first.output()).not.toMatch(/\[E:onnxruntime|onnxruntime::|Failed to load (shared )?library/);
      expect(messagesOf(first.output(), 'InferenceRuntime')).toContainEqual(
        expect.stringMatching(/fell back to execution provider cpu: cuda not installed \(.*not found\)/),
      );
      await first.stop();
      expect(first.output()).toContain('embedded Postgres stopped');

      const second = spawnService(env);
      services.push(second);
      await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200, 30_000, second);
      const models = (await (await fetch(`http://127.0.0.1:${port}/v1/models/digits`)).json()) as {
        versions: unknown[];
      };
      // Still registered, and loaded again at start from the stored file.
      expect(models.versions).toEqual([
        expect.objectContaining({ version: 'cnn-v1', role: 'champion', provider: 'cpu' }),
      ]);
      await second.stop();
      expect(second.output()).toContain('embedded Postgres stopped');
    } finally {
      if (process.env.DEBUG_E2E) services.forEach((s) => console.log(s.output()));
      await Promise.all(services.map((service) => service.stop('SIGKILL')));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
