import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HistogramAggregator } from '../../src/recording/histogram-aggregator';
import { HistogramRepository } from '../../src/recording/histogram.repository';
import { PredictionLogWriter } from '../../src/recording/prediction-log.writer';
import { chunk, digitImages, expectedPredictions, modelMetadata, pixels, registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';

interface PredictAnswer {
  model_name: string;
  model_version: string;
  predictions: Array<{
    prediction_id: string;
    label: string;
    score: number;
    top_k: Array<{ label: string; score: number }>;
  }>;
}

interface InferAnswer {
  model_name: string;
  model_version: string;
  parameters: { prediction_ids: string[] };
  outputs: [{ name: string; shape: number[]; data: number[] }, { name: string; data: string[] }];
}

describe('inference data path on the digits CNN (real ONNX, real HTTP, real Postgres)', () => {
  let t: TestApp;
  let versionId: string;
  const heldback = digitImages('heldback');
  const expected = expectedPredictions('cnn');
  const restPredictions = new Map<string, { id: string; label: string }>();
  const oipPredictions = new Map<string, { id: string; label: string }>();
  const warnings: string[] = [];

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(function (message: unknown) {
      warnings.push(JSON.stringify(message));
    });
    // INFERENCE_PROVIDERS is the default (cuda,cpu): no CUDA here, so it must fall back to CPU.
    t = await startTestApp({ env: { INFERENCE_PROVIDERS: 'cuda,cpu' } });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  it('registers the model, falling back from CUDA to CPU with a warning and saying so', async () => {
    const response = await registerDigitsModel(t.url, 'cnn');
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; provider: string; role: string };
    expect(body).toMatchObject({ provider: 'cpu', role: 'champion' });
    versionId = body.id;
    expect(warnings.some((w) => w.includes('cuda'))).toBe(true);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toContain('vigil_model_info{model="digits",version="cnn-v1",provider="cpu"} 1');
    expect(metrics).toMatch(
      /vigil_inference_provider_fallbacks_total\{model="digits",version="cnn-v1",from="cuda",to="cpu",reason="not_installed"\} 1/,
    );
  });

  it('speaks the Open Inference Protocol: server, health and model metadata', async () => {
    const get = async (path: string) => (await fetch(`${t.url}${path}`)).json();
    expect(await get('/v2')).toEqual({
      name: 'vigil',
      version: '0.1.0',
      extensions: ['binary_tensor_data', 'classification'],
    });
    expect(await get('/v2/health/live')).toEqual({ live: true });
    expect(await get('/v2/health/ready')).toEqual({ ready: true });
    expect(await get('/v2/models/digits/ready')).toEqual({ name: 'digits', ready: true });
    const metadata = {
      name: 'digits',
      versions: ['cnn-v1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 1, 8, 8] }],
      outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 10] }],
    };
    expect(await get('/v2/models/digits')).toEqual(metadata);
    expect(await get('/v2/models/digits/versions/cnn-v1')).toEqual(metadata);
    expect(await get('/v2/models/digits/versions/nope')).toEqual({ error: 'model digits has no version nope' });
  });

  it('answers the held-back PNGs on /v1/models/{name}/predict with the offline predictions', async () => {
    for (const batch of chunk(heldback, 100)) {
      const form = new FormData();
      for (const image of batch) form.append('images', new Blob([image.bytes], { type: 'image/png' }), image.file);
      const response = await fetch(`${t.url}/v1/models/digits/predict?top_k=3`, { method: 'POST', body: form });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as PredictAnswer;
      expect(answer).toMatchObject({ model_name: 'digits', model_version: 'cnn-v1' });
      answer.predictions.forEach((p, i) => restPredictions.set(batch[i].file, { id: p.prediction_id, label: p.label }));
      expect(answer.predictions[0].top_k).toHaveLength(3);
    }
    const single = await fetch(`${t.url}/v1/models/digits/predict`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: heldback[0].bytes,
    });
    expect(((await single.json()) as PredictAnswer).predictions[0].label).toBe(expected.get(heldback[0].file));

    for (const image of heldback) expect(restPredictions.get(image.file)?.label).toBe(expected.get(image.file));
    expect(accuracy(restPredictions)).toBeCloseTo(modelMetadata('cnn').heldbackAccuracy, 6);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/vigil_inference_queue_depth\{model="digits",version="cnn-v1"\} \d+/);
    expect(metrics).toMatch(/vigil_inference_batch_size_count\{model="digits",version="cnn-v1"\} [1-9]/);
  });

  it('answers the same tensors on /v2/models/{name}/infer (UINT8) identically', async () => {
    for (const batch of chunk(heldback, 100)) {
      const data = (await Promise.all(batch.map((image) => pixels(image.bytes)))).flat();
      const response = await fetch(`${t.url}/v2/models/digits/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id: 'r1',
          inputs: [{ name: 'input', shape: [batch.length, 1, 8, 8], datatype: 'UINT8', data }],
        }),
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as InferAnswer;
      expect(answer.outputs[0].shape).toEqual([batch.length, 10]);
      answer.outputs[1].data.forEach((label, i) =>
        oipPredictions.set(batch[i].file, { id: answer.parameters.prediction_ids[i], label }),
      );
    }
    for (const image of heldback) expect(oipPredictions.get(image.file)?.label).toBe(expected.get(image.file));
  });

  it('logged every prediction in Postgres, with its class and input hash', async () => {
    await t.app.get(PredictionLogWriter).flush();
    const ids = [...restPredictions.values(), ...oipPredictions.values()].map((p) => p.id);
    const rows: Array<{ id: string; predicted_class: number }> = await t.app
      .get(DataSource)
      .query('SELECT id, predicted_class FROM predictions WHERE id = ANY($1::uuid[])', [ids]);
    expect(rows).toHaveLength(heldback.length * 2);
    const byId = new Map(rows.map((r) => [r.id, String(r.predicted_class)]));
    for (const [file, prediction] of restPredictions) expect(byId.get(prediction.id)).toBe(expected.get(file));
  });

  it('counted every input in the histograms', async () => {
    await t.app.get(HistogramAggregator).flush();
    const n = heldback.length * 2 + 1;
    const sums = await t.app
      .get(HistogramRepository)
      .sumCounts(versionId, 1, new Date(Date.now() - 3_600_000), new Date(Date.now() + 60_000));
    expect(sums['class'].total).toBe(n);
    expect(sums['confidence'].total).toBe(n);
    expect(sums['brightness:c0'].total).toBe(n);
    expect(sums['contrast:c0'].total).toBe(n);
    expect(sums['pixel:c0'].total).toBe(n * 64);
    const predictedPerClass = sums['class'].counts;
    expect(predictedPerClass.reduce((a, b) => a + b, 0)).toBe(n);
  });

  it('takes feedback per item: accepted, unknown prediction, unknown label, and repeats', async () => {
    const items = heldback.map((image) => ({ prediction_id: restPredictions.get(image.file)!.id, label: image.label }));
    const bad = [
      { prediction_id: '00000000-0000-4000-8000-000000000000', label: '3' },
      { prediction_id: items[0].prediction_id, label: 'eleven' },
    ];
    const post = (body: unknown) =>
      fetch(`${t.url}/v1/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const first = (await (await post({ items: [...items, ...bad] })).json()) as {
      accepted: number;
      rejected: number;
      results: Array<{ status: string }>;
    };
    expect(first.accepted).toBe(items.length);
    expect(first.results.slice(-2).map((r) => r.status)).toEqual(['unknown_prediction', 'unknown_label']);
    const again = (await (await post({ items })).json()) as { accepted: number };
    expect(again.accepted).toBe(items.length);
    const [{ n, correct }] = await t.app
      .get(DataSource)
      .query(
        'SELECT count(*)::int AS n, count(*) FILTER (WHERE predicted_class = label_class)::int AS correct FROM feedback',
      );
    expect(n).toBe(items.length);
    expect(correct / n).toBeCloseTo(modelMetadata('cnn').heldbackAccuracy, 6);
    expect((await post(bad[0])).status).toBe(404);
    expect((await post(bad[1])).status).toBe(400);
  });

  function accuracy(predictions: Map<string, { label: string }>): number {
    const correct = heldback.filter((image) => predictions.get(image.file)?.label === image.label).length;
    return correct / heldback.length;
  }
});
