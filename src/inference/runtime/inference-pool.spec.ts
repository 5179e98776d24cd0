import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { InferenceError, ModelLoadError } from './errors';
import { InferencePool, type PoolLogLevel } from './inference-pool';
import { defaultSignalSpecs } from './types';
import { digitsSpec } from '../../../test/support/factories';

jest.setTimeout(60_000);

const FIXTURES = join(__dirname, '../../../test/fixtures/digits');
const MODEL = join(FIXTURES, 'digits-cnn.onnx');
const SPEC = digitsSpec();

interface Slot {
  worker: { terminate(): Promise<number> };
  pending: Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>;
}

interface LogEntry {
  level: PoolLogLevel;
  message: string;
  fields: object;
}

/** First n held-back images as a normalised [n,1,8,8] batch, with the fixture's expected predictions. */
async function heldBackBatch(n: number): Promise<{ data: Float32Array; expected: number[] }> {
  const rows = readFileSync(join(FIXTURES, 'expected-cnn.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1, n + 1);
  const data = new Float32Array(n * 64);
  for (const [i, row] of rows.entries()) {
    const pixels = await sharp(join(FIXTURES, row.split(',')[0]))
      .greyscale()
      .raw()
      .toBuffer();
    pixels.forEach((v, p) => (data[i * 64 + p] = v * SPEC.scale));
  }
  return { data, expected: rows.map((r) => Number(r.split(',')[1])) };
}

describe('InferencePool (digits-cnn.onnx)', () => {
  const logs: LogEntry[] = [];
  let pool: InferencePool;

  beforeAll(() => {
    pool = new InferencePool({
      size: 2,
      providers: ['cuda', 'cpu'],
      intraOpThreads: 1,
      onLog: (level, message, fields) => logs.push({ level, message, fields }),
    });
  });

  afterAll(() => pool.close());

  it('falls back from cuda to cpu and says so at warn level', async () => {
    const result = await pool.load('digits', MODEL, SPEC, defaultSignalSpecs(SPEC, 10));
    expect(result).toMatchObject({ provider: 'cpu', fallback: true });
    // No CUDA libraries in this install: onnxruntime is not even asked (it would print its own error).
    expect(result.attempts).toEqual([
      {
        provider: 'cuda',
        reason: 'not_installed',
        error: expect.stringMatching(/libonnxruntime_providers_\w+\.so not found$/),
      },
    ]);
    expect(result.inputs).toEqual([{ name: 'input', type: 'float32', dims: [expect.anything(), 1, 8, 8] }]);
    expect(result.outputs).toEqual([{ name: 'logits', type: 'float32', dims: [expect.anything(), 10] }]);
    const warn = logs.find((l) => l.level === 'warn');
    expect(warn?.message).toMatch(/fell back to execution provider cpu: cuda not installed \(.*not found\)/);
    expect(logs.some((l) => l.level === 'info' && /cpu/.test(l.message))).toBe(true);
  });

  it('classifies a batch of 4 with probability rows summing to 1 and signal totals per image', async () => {
    const n = 4;
    const { data, expected } = await heldBackBatch(n);
    const result = await pool.run('digits', data, n, true);
    expect(data.length).toBe(0); // transferred to the worker, not copied
    expect(result.numClasses).toBe(10);
    expect(result.probabilities).toHaveLength(n * 10);
    const predicted: number[] = [];
    for (let r = 0; r < n; r++) {
      const row = Array.from(result.probabilities.subarray(r * 10, r * 10 + 10));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      predicted.push(row.indexOf(Math.max(...row)));
    }
    expect(predicted).toEqual(expected);
    const total = (name: string) => result.signals![name].reduce((a, b) => a + b, 0);
    expect(total('pixel:c0')).toBe(n * 8 * 8);
    expect(total('brightness:c0')).toBe(n);
    expect(total('contrast:c0')).toBe(n);
    expect(total('class')).toBe(n);
    expect(total('confidence')).toBe(n);
    expect(result.signals!['class']).toHaveLength(10);
  });

  it('runs concurrent requests across workers and omits signals when not asked', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => pool.run('digits', new Float32Array(2 * 64).fill(0.5), 2, false)),
    );
    for (const r of results) {
      expect(r.probabilities).toHaveLength(20);
      expect(r.signals).toBeUndefined();
    }
    // a view on a larger buffer is copied rather than transferred
    const backing = new Float32Array(128).fill(0.25);
    await pool.run('digits', backing.subarray(64), 1, false);
    expect(backing.length).toBe(128);
  });

  it('applies new signal specs with setSignals', async () => {
    await pool.setSignals('digits', [{ name: 'class', kind: 'class', edges: [] }]);
    const result = await pool.run('digits', new Float32Array(64), 1, true);
    expect(Object.keys(result.signals!)).toEqual(['class']);
  });

  it('rejects input of the wrong size with invalid_input', async () => {
    await expect(pool.run('digits', new Float32Array(63), 1, false)).rejects.toMatchObject({
      name: 'InferenceError',
      code: 'invalid_input',
    });
  });

  it('reports a missing file or a spec/model mismatch as ModelLoadError', async () => {
    const missing = pool.load('nope', join(FIXTURES, 'missing.onnx'), SPEC, []);
    await expect(missing).rejects.toBeInstanceOf(ModelLoadError);
    await expect(missing).rejects.toMatchObject({ code: 'model_load_failed', message: /not found/ });
    const wrongShape = pool.load('wrong', MODEL, { ...SPEC, height: 16 }, []);
    await expect(wrongShape).rejects.toMatchObject({ code: 'model_load_failed', message: /8,8|16/ });
    expect(pool.isLoaded('wrong')).toBe(false);
  });

  it('rejects requests pending on a worker that dies, then replaces it and reloads its models', async () => {
    // Terminating a worker inside a native onnxruntime call aborts the whole process, so the
    // worker is killed while idle and the in-flight request is planted on its pending map.
    const slot = (pool as unknown as { slots: Slot[] }).slots[0];
    const aborted = new Promise((resolve, reject) => slot.pending.set(-1, { resolve, reject }));
    await slot.worker.terminate();
    await expect(aborted).rejects.toBeInstanceOf(InferenceError);
    await expect(aborted).rejects.toMatchObject({ code: 'worker_crashed', message: /exited unexpectedly/ });
    expect(logs.some((l) => l.level === 'error' && /exited unexpectedly/.test(l.message))).toBe(true);
    expect(pool.stats().workers).toBe(2);
    const replacement = (pool as unknown as { slots: Slot[] }).slots[0];
    expect(replacement).not.toBe(slot);
    // both workers, one of them new, serve the model again
    const after = await Promise.all([1, 2, 3, 4].map(() => pool.run('digits', new Float32Array(64), 1, false)));
    expect(after.every((r) => r.numClasses === 10)).toBe(true);
    expect(replacement.pending.size).toBe(0);
  });

  it('rejects runs after unload with a clear error', async () => {
    await pool.unload('digits');
    await expect(pool.run('digits', new Float32Array(64), 1, false)).rejects.toMatchObject({
      code: 'model_not_loaded',
      message: "model 'digits' is not loaded",
    });
  });

  it('close() lets in-flight runs finish, then ends the workers', async () => {
    await pool.load('digits', MODEL, SPEC, []);
    const inFlight = pool.run('digits', new Float32Array(64), 1, false);
    const closed = pool.close();
    await expect(inFlight).resolves.toMatchObject({ numClasses: 10 });
    await closed;
    expect(pool.stats().workers).toBe(0);
    await expect(pool.run('digits', new Float32Array(64), 1, false)).rejects.toMatchObject({ code: 'pool_closed' });
  });
});
