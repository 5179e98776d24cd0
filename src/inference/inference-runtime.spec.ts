import { join } from 'node:path';
import { digitsSpec } from '../../test/support/factories';
import { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { MetricsService } from '../metrics/metrics.service';
import { InferenceRuntime, RuntimeVersion } from './inference-runtime';
import { defaultSignalSpecs } from './runtime/types';

jest.setTimeout(60_000);

const version: RuntimeVersion = {
  id: 'digits-cnn',
  name: 'digits',
  version: 'cnn-v1',
  path: join(__dirname, '../../test/fixtures/digits/digits-cnn.onnx'),
  inputSpec: digitsSpec(),
  signalSpecs: defaultSignalSpecs(digitsSpec(), 10),
  edgesVersion: 1,
};

function runtime(env: Record<string, string>): InferenceRuntime {
  const config = new AppConfig(
    loadConfig({ INFERENCE_PROVIDERS: 'cpu', INFERENCE_WORKERS: '1', BATCH_MAX_DELAY_MS: '20', ...env }),
  );
  return new InferenceRuntime(config, new MetricsService());
}

/** A different input per item (so class counts spread), in the model's [1, 8, 8] layout. */
const inputs = (n: number) => Array.from({ length: n }, (_, i) => new Float32Array(64).fill((i % 16) / 16));

describe('InferenceRuntime: it returns the counts of each batch, it records nothing itself', () => {
  let subject: InferenceRuntime;
  afterEach(() => subject.close());

  it('hands one batch its signal counts once, on one of its items, binned with the edges it ran with', async () => {
    subject = runtime({});
    await subject.load(version);
    const results = await Promise.all(inputs(12).map((input) => subject.submit(version.id, input)));
    const carriers = results.filter((r) => r.signals);
    expect(carriers.length).toBeGreaterThanOrEqual(1);
    const batches = await Promise.all(carriers.map((r) => r.signals!));
    // Every item is counted exactly once in the predicted-class signal, whatever the batching.
    const classCounts = batches.map((b) => b!.counts['class'].reduce((a, c) => a + c, 0));
    expect(classCounts.reduce((a, c) => a + c, 0)).toBe(12);
    for (const batch of batches) expect(batch).toMatchObject({ modelVersionId: version.id, edgesVersion: 1 });
  });

  it('returns no counts when histograms are off', async () => {
    subject = runtime({ HISTOGRAMS_ENABLED: 'false' });
    await subject.load(version);
    const results = await Promise.all(inputs(4).map((input) => subject.submit(version.id, input)));
    expect(results.every((r) => r.signals === undefined)).toBe(true);
    expect(results.every((r) => r.probabilities.length === 10)).toBe(true);
  });

  it('drops the counts of a batch whose edges were replaced while it ran', async () => {
    subject = runtime({});
    await subject.load(version);
    const running = Promise.all(inputs(8).map((input) => subject.submit(version.id, input)));
    await subject.setSignals({ ...version, edgesVersion: 2 });
    const results = await running;
    const batches = await Promise.all(results.filter((r) => r.signals).map((r) => r.signals!));
    expect(batches.every((b) => b === undefined || b.edgesVersion === 2)).toBe(true);
  });
});
