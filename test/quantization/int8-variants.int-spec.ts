import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { wilsonInterval } from '../../src/evaluation/stats';
import { label, postJson } from '../evaluation/evaluation-traffic';
import { serveUnits } from '../experiments/experiment-traffic';
import { digitImages, digitsDir, modelMetadata, registerDigitsModel, uploadEvaluationSet } from '../support/digits';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** INT8 variants made by the service (issue 15.2), on the trained digits CNN. */
describe('INT8 variants: quantization job, golden parameters, report against FP32, shadow test', () => {
  let t: TestApp;
  const heldback = digitImages('heldback');
  const reference = digitImages('reference');
  const get = (path: string) =>
    fetch(`${t.url}${path}`).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));

  const uploadSet = (name: string, images: typeof heldback) => uploadEvaluationSet(t.url, name, images);

  async function quantize(body: Record<string, unknown>) {
    const started = await postJson(t.url, '/v1/models/digits/versions/cnn-v1/quantize', body);
    expect([started.status, started.body.status]).toEqual([202, 'queued']);
    return eventually(
      () => get(`/v1/models/digits/quantizations/${started.body.id}`),
      (r) => ['completed', 'failed'].includes(r.body.status),
      120_000,
    ).then((r) => r.body);
  }

  const modelFile = (sha256: string) => join(t.config.DATA_DIR, 'models', `${sha256}.onnx`);
  const golden = (job: Json) =>
    JSON.parse(
      execFileSync('/usr/bin/python3', ['scripts/golden/quantization_golden.py'], {
        input: JSON.stringify({
          fp32: join(digitsDir, 'digits-cnn.onnx'),
          int8: modelFile(job.report.fileSha256),
          activationType: job.settings.activationType,
          activations: job.report.activations,
        }),
      }).toString(),
    );

  let minmax: Json;

  beforeAll(async () => {
    t = await startTestApp({ env: { EVAL_SCHEDULE_ENABLED: 'false' } });
    expect((await registerDigitsModel(t.url, 'cnn')).status).toBe(201);
    await uploadSet('reference', reference);
    await uploadSet('heldback', heldback);
    await uploadSet('tiny', reference.slice(0, 10));
  }, 120_000);
  afterAll(() => t.close());

  it('a calibration set below the minimum is a 400 naming the minimum', async () => {
    const response = await postJson(t.url, '/v1/models/digits/versions/cnn-v1/quantize', { set: 'tiny' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('calibration_set_too_small');
    expect(response.body.error.message).toMatch(/at least 50 images; set tiny has 10/);
  });

  it('min-max: a job with progress registers an INT8 challenger; unquantized ops are listed', async () => {
    minmax = await quantize({ set: 'reference' });
    expect(minmax.status).toBe('completed');
    // 599 images in batches of 16, one pass.
    expect(minmax.progress).toEqual({ done: 38, total: 38 });
    expect(minmax.report.quantizedNodes.map((n: Json) => n.opType)).toEqual(['Conv', 'Conv', 'Gemm', 'Gemm']);
    expect(minmax.report.fp32Ops).toEqual({ Relu: 3, MaxPool: 1, Flatten: 1 });
    expect(minmax.report.fileBytes).toBeLessThan(minmax.report.parentFileBytes / 2);
    const variant = await get('/v1/models/digits/versions/cnn-v1-int8');
    expect(variant.body).toMatchObject({ role: 'challenger', fileSha256: minmax.report.fileSha256 });
  });

  it('golden: weight and activation parameters equal numpy, from the same weights and ranges', async () => {
    for (const job of [
      minmax,
      await quantize({
        set: 'reference',
        method: 'percentile',
        percentile: 99.9,
        activationType: 'int8',
        targetVersion: 'cnn-p999',
      }),
    ]) {
      expect(job.status).toBe('completed');
      const expected = golden(job);
      expect(Object.keys(expected.weights).sort()).toEqual(job.report.weights.map((w: Json) => w.weight).sort());
      for (const w of job.report.weights) {
        const g = expected.weights[w.weight];
        expect(g.valuesEqual).toBe(true);
        w.scales.forEach((s: number, c: number) => expect(s).toBeCloseTo(g.scales[c], 12));
        expect(g.storedScales).toEqual(w.scales);
      }
      for (const a of job.report.activations) {
        const g = expected.activations[a.tensor];
        expect([a.scale, a.zeroPoint]).toEqual([g.scale, g.zeroPoint]);
        expect([g.storedScale, g.storedZeroPoint]).toEqual([a.scale, a.zeroPoint]);
      }
    }
  });

  it('the QDQ file loads in onnxruntime and its logits track FP32 within 3% of the largest |logit|', async () => {
    const data = new Float32Array(heldback.length * 64);
    for (const [i, image] of heldback.entries()) {
      const raw = await sharp(image.bytes).greyscale().raw().toBuffer();
      raw.forEach((v, j) => (data[i * 64 + j] = v / 255));
    }
    const inputs = join(t.config.DATA_DIR, 'heldback.f32');
    writeFileSync(inputs, Buffer.from(data.buffer));
    const script = join(__dirname, 'max-logit-difference.js');
    const args = [script, join(digitsDir, 'digits-cnn.onnx'), modelFile(minmax.report.fileSha256), inputs];
    const output = execFileSync(process.execPath, [...args, String(heldback.length), '1', '8', '8']).toString();
    const { maxDiff, maxAbsLogit } = JSON.parse(output);
    expect(maxAbsLogit).toBeGreaterThan(20);
    expect(maxDiff).toBeGreaterThan(0); // it is quantized
    // Measured: 0.94 against a largest |logit| of about 40 on the 599 held-back digits.
    expect(maxDiff).toBeLessThan(0.03 * maxAbsLogit);
  });

  it('the report: both accuracies with Wilson intervals, agreement, McNemar, speed at batch 1 and 32', async () => {
    const report = await get('/v1/models/digits/versions/cnn-v1-int8/variant-report');
    expect(report.status).toBe(200);
    expect(report.body.variant).toMatchObject({ version: 'cnn-v1-int8', origin: 'quantized' });
    expect(report.body.parent.version).toBe('cnn-v1');
    const held = report.body.sets.find((s: Json) => s.set.name === 'heldback');
    expect(held.n).toBe(599);
    // The FP32 parent's accuracy is the one the fixture was built with (scripts/fixtures/build_digits.py).
    expect(held.parent.correct).toBe(Math.round(modelMetadata('cnn').heldbackAccuracy * 599));
    expect(held.parent.interval).toEqual(wilsonInterval(held.parent.correct, 599));
    expect(held.variant.interval).toEqual(wilsonInterval(held.variant.correct, 599));
    expect(held.agreement.rate).toBeGreaterThan(0.97);
    const { championOnly, challengerOnly } = held.mcnemar;
    expect(held.parent.correct - held.variant.correct).toBe(championOnly - challengerOnly);
    expect(report.body.speed.map((s: Json) => s.batch)).toEqual([1, 32]);
    for (const s of report.body.speed)
      expect(s.throughputRatio).toBeCloseTo(s.variant.imagesPerSecond / s.parent.imagesPerSecond, 9);
    const fp32Report = await get('/v1/models/digits/versions/cnn-v1/variant-report');
    expect([fp32Report.status, fp32Report.body.error.code]).toEqual([422, 'not_a_variant']);
  });

  it('an INT8 file made elsewhere registers as a variant; variantOf must name an unvarianted version', async () => {
    const file = readFileSync(modelFile(minmax.report.fileSha256));
    const register = (version: string, variantOf: string) => {
      const { name, labels, inputSpec } = modelMetadata('cnn');
      const form = new FormData();
      form.append('file', new Blob([file]), 'int8.onnx');
      form.append('metadata', JSON.stringify({ name, version, labels, inputSpec, variantOf }));
      return fetch(`${t.url}/v1/models`, { method: 'POST', body: form }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as Json,
      }));
    };
    expect((await register('ext-int8', 'cnn-v1')).status).toBe(201);
    const missing = await register('ext-2', 'nope');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'variant_parent_not_found']);
    const nested = await register('ext-3', 'cnn-v1-int8');
    expect([nested.status, nested.body.error.code]).toEqual([422, 'variant_of_variant']);
    const report = await get('/v1/models/digits/versions/ext-int8/variant-report');
    expect(report.body.variant.origin).toBe('registered');
  });

  it('a shadow experiment between FP32 and INT8 pairs the same discordant items as the report', async () => {
    const report = await get('/v1/models/digits/versions/cnn-v1-int8/variant-report');
    const held = report.body.sets.find((s: Json) => s.set.name === 'heldback');
    const experiment = await postJson(t.url, '/v1/models/digits/experiments', {
      challengerVersion: 'cnn-v1-int8',
      trafficShare: 99.99,
      mode: 'shadow',
      minSamples: 100,
    });
    expect(experiment.status).toBe(201);
    const served = await serveUnits(t.url, heldback, 'int8-shadow');
    await label(t.url, served);
    const analysis = await eventually(
      () => postJson(t.url, `/v1/experiments/${experiment.body.id}/analyse`, {}),
      (r) => r.body.analysis?.checks?.mcnemar !== undefined,
    );
    const { championOnly, challengerOnly } = analysis.body.analysis.checks.mcnemar;
    expect([championOnly, challengerOnly]).toEqual([held.mcnemar.championOnly, held.mcnemar.challengerOnly]);
  });
});
