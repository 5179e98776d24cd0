import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { digitImages, digitsDir, modelMetadata, pixels } from '../support/digits';
import type { Corpus } from './requests';

/** POSTs JSON and returns the parsed answer, failing loudly: the corpus must be real. */
async function post<T>(url: string, body: unknown, status = [200, 201, 202]): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!status.includes(response.status)) throw new Error(`corpus: POST ${url} answered ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/**
 * Creates one of each resource (webhook endpoint and a delivery, API key, experiment, prediction)
 * so that generated requests can name real ids, and lists a valid body for each JSON route.
 * Expects the digits CNN (champion) and weak model (challenger) to be registered.
 */
export async function buildCorpus(baseUrl: string, receiverUrl: string): Promise<Corpus> {
  const images = digitImages('heldback').slice(0, 8);
  const uint8 = await pixels(images[0].bytes);
  const endpoint = await post<{ id: string }>(`${baseUrl}/v1/webhooks`, { url: receiverUrl, eventTypes: ['*'] });
  const test = await post<{ deliveryId: string }>(`${baseUrl}/v1/webhooks/${endpoint.id}/test`, {});
  const key = await post<{ id: string }>(`${baseUrl}/v1/api-keys`, { name: 'fuzz', scopes: ['read'] });
  const experiment = await post<{ id: string }>(`${baseUrl}/v1/models/digits/experiments`, {
    challengerVersion: 'weak-v1',
    trafficShare: 50,
  });
  const predicted = await fetch(`${baseUrl}/v1/models/digits/predict`, {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: images[0].bytes,
  });
  const predictionId = ((await predicted.json()) as { predictions: Array<{ prediction_id: string }> }).predictions[0]
    .prediction_id;
  const { name, labels, inputSpec } = modelMetadata('cnn');
  const now = new Date();
  const window = { from: new Date(now.getTime() - 3_600_000).toISOString(), to: now.toISOString() };
  const infer = [
    { inputs: [{ name: 'input', shape: [1, 1, 8, 8], datatype: 'UINT8', data: uint8 }] },
    { id: 'r1', inputs: [{ name: 'input', shape: [1, 1, 8, 8], datatype: 'FP32', data: uint8.map((v) => v / 255) }] },
  ];
  const metadata = { name, version: 'fuzz-v1', labels, inputSpec };
  return {
    params: {
      name: ['digits'],
      version: ['cnn-v1', 'weak-v1'],
      id: [endpoint.id, key.id, experiment.id],
      deliveryId: [test.deliveryId],
      file: ['style.css', 'index.html', 'uPlot.min.css'],
    },
    bodies: {
      'POST /v1/webhooks': [{ url: receiverUrl, eventTypes: ['drift.detected'], description: 'fuzz' }],
      'PATCH /v1/webhooks/:id': [{ enabled: false }, { description: 'x', eventTypes: ['*'] }],
      'POST /v1/api-keys': [{ name: 'fuzz-2', scopes: ['read', 'infer'] }],
      'POST /v1/feedback': [
        { prediction_id: predictionId, label: '3' },
        { items: [{ prediction_id: predictionId, label: '4' }] },
      ],
      'POST /v2/models/:name/infer': infer,
      'POST /v2/models/:name/versions/:version/infer': infer,
      'PUT /v1/models/:name/versions/:version/drift/settings': [{ threshold: 0.2 }, { threshold: null }],
      'POST /v1/models/:name/versions/:version/drift/reference': [window],
      'POST /v1/models/:name/evaluation-sets': [{ name: 'set-1', path: 'sets/one' }],
      'POST /v1/models/:name/evaluations': [{}, { version: 'cnn-v1', ...window }],
      'POST /v1/models/:name/versions/:version/calibration': [{ set: 'set-1' }, window],
      'POST /v1/models/:name/experiments': [{ challengerVersion: 'weak-v1', trafficShare: 10, mode: 'shadow' }],
      'POST /v1/models/:name/ensembles': [{ version: 'fuzz-vote', members: ['cnn-v1', 'weak-v1'], voting: 'soft' }],
      'POST /v1/models': [{ ...metadata, path: 'digits-cnn.onnx' }],
    },
    fields: {
      metadata: JSON.stringify(metadata),
      labels: `file,label\n${images.map((image, i) => `x${i}.png,${image.label}`).join('\n')}`,
      name: 'set-2',
    },
    images: images.map((image) => image.bytes),
    // A real ONNX file cut short: the model upload gets as far as onnxruntime's parser.
    files: [readFileSync(join(digitsDir, 'digits-cnn.onnx')).subarray(0, 600), Buffer.from('not onnx')],
  };
}
