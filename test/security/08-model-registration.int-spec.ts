import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/infra/net/free-port';
import { BenchDatabase } from '../../bench/database';
import { createTestDatabase } from '../support/database';
import { digitsDir, modelMetadata } from '../support/digits';
import { logLines } from '../support/service-log';
import { ServiceProcess, spawnService, waitForStatus } from '../support/service-process';

if (!existsSync(join(__dirname, '..', '..', 'dist', 'src', 'main.js'))) {
  throw new Error('run `npm run build` first: this suite starts the built service (its log is read)');
}

type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

describe('issue 14.8: model registration by path', () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-model-paths-'));
  const modelDir = join(root, 'models');
  const dataDir = join(root, 'data');
  let database: BenchDatabase;
  let service: ServiceProcess;
  let url: string;

  beforeAll(async () => {
    mkdirSync(join(modelDir, 'sub'), { recursive: true });
    mkdirSync(join(root, 'outside'));
    copyFileSync(join(digitsDir, 'digits-cnn.onnx'), join(modelDir, 'cnn.onnx'));
    writeFileSync(join(modelDir, 'broken.onnx'), Buffer.from('not an onnx file at all'));
    copyFileSync(join(digitsDir, 'digits-cnn.onnx'), join(root, 'outside', 'exists.onnx'));
    database = await createTestDatabase();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // The default providers (cuda, then cpu): on a machine without CUDA its loader fails loudly.
    service = spawnService({
      DATABASE_URL: database.url,
      REDIS_URL: undefined,
      DATA_DIR: dataDir,
      MODEL_DIR: modelDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      INFERENCE_PROVIDERS: 'cuda,cpu',
    });
    await waitForStatus(`${url}/health/ready`, 200, 30_000, service);
  });
  afterAll(async () => {
    await service?.stop();
    await database?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  async function register(path: string, overrides: Record<string, unknown> = {}) {
    const { labels, inputSpec } = modelMetadata('cnn');
    const version = `v-${Math.random().toString(36).slice(2, 10)}`;
    const body = { name: 'paths', version, labels, inputSpec, path, ...overrides };
    const response = await fetch(`${url}/v1/models`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as ErrorBody };
  }

  it.each(['sub', '.', 'sub/'])('answers 400 (not 500 EISDIR) for the directory %s', async (path) => {
    const { status, body } = await register(path);
    expect([status, body.error.code]).toEqual([400, 'model_path_not_a_file']);
    expect(body.error.message).toContain('is a directory');
  });

  it('answers a path outside MODEL_DIR the same whether or not the file exists', async () => {
    const existing = await register('../outside/exists.onnx');
    const missing = await register('../outside/missing.onnx');
    expect(existing).toEqual(missing);
    expect([existing.status, existing.body.error.code]).toEqual([400, 'invalid_model_path']);
    expect(await register('sub/../../outside/exists.onnx')).toEqual(missing);
  });

  it('still tells a missing file inside MODEL_DIR, and registers a real one', async () => {
    expect((await register('nope.onnx')).status).toBe(404);
    expect((await register('cnn.onnx')).status).toBe(201);
  });

  it('answers 422 model_load_failed without server paths or the CUDA loader message, logged by error id', async () => {
    const { status, body } = await register('broken.onnx');
    expect([status, body.error.code]).toEqual([422, 'model_load_failed']);
    const text = JSON.stringify(body);
    for (const leak of [root, dataDir, '/node_modules/', '.so', 'libonnxruntime', 'shared object', 'CUDA']) {
      expect([leak, text.includes(leak)]).toEqual([leak, false]);
    }
    expect(text).toMatch(/^[^/]*$/); // no absolute path of any kind
    const errorId = body.error.details?.errorId as string;
    expect(body.error.message).toContain(errorId);
    const logged = logLines(service.output()).find((line) => line.errorId === errorId);
    expect(logged?.msg).toBe('onnxruntime could not load the model');
    expect(JSON.stringify(logged)).toContain(dataDir); // the full story stays in the log
  });

  it('refuses inputSpec.mean/std outside the float32 range with a 400 naming the field', async () => {
    const { inputSpec } = modelMetadata('cnn') as { inputSpec: Record<string, unknown> };
    for (const [field, change] of [
      ['inputSpec.mean.0', { mean: [1e39] }],
      ['inputSpec.std.0', { std: [1e-40] }],
      ['inputSpec.std.0', { std: [4e38] }],
    ] as const) {
      const { status, body } = await register('cnn.onnx', { inputSpec: { ...inputSpec, ...change } });
      expect([field, status, body.error.code]).toEqual([field, 400, 'validation_failed']);
      expect(body.error.message).toContain(`${field}: must be a`);
    }
  });
});
