import type { OpenAPIObject, ReferenceObject, ResponseObject } from '@nestjs/swagger';
import { basename } from 'node:path';
import { documentedSchema } from '../../src/openapi/schema-registry';
import { digitImages, modelMetadata, pixels, registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Real answers against the served document: each status must be documented for its operation,
 * and a JSON body must parse with the zod schema behind the documented component, field for field.
 */
describe('answers match the OpenAPI document', () => {
  let t: TestApp;
  let document: OpenAPIObject;
  let receiver: WebhookReceiver;
  // Multipart uploads keep only the base name of a file.
  const images = digitImages('reference')
    .slice(0, 30)
    .map((image) => ({ ...image, file: basename(image.file) }));
  const { name, version } = modelMetadata('cnn');
  const ids: Record<string, string> = {};

  /** Calls `template` with `params` filled in, checks the answer against the document, returns the body. */
  async function call(
    method: Method,
    template: string,
    init: { params?: Record<string, string>; body?: unknown; status?: number } = {},
  ) {
    const path = template.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(init.params?.[key] ?? ''));
    const { body } = init;
    const json = body !== undefined && !(body instanceof FormData) && !Buffer.isBuffer(body);
    const response = await fetch(`${t.url}${path}`, {
      method: method.toUpperCase(),
      headers: json
        ? { 'content-type': 'application/json' }
        : Buffer.isBuffer(body)
          ? { 'content-type': 'image/png' }
          : {},
      body: json ? JSON.stringify(body) : (body as RequestInit['body']),
    });
    const text = await response.text();
    const responses = document.paths[template.split('?')[0]]?.[method]?.responses ?? {};
    // Unless told otherwise, the call must get the operation's documented success status.
    const expected = init.status ?? Number(Object.keys(responses).find((code) => /^2\d\d$/.test(code)));
    const documented = responses[String(response.status)] as ResponseObject | undefined;
    const seen = { call: `${method} ${path}`, status: response.status, documented: Boolean(documented) };
    expect({ ...seen, body: response.status === expected ? '' : text }).toEqual({
      ...seen,
      status: expected,
      documented: true,
      body: '',
    });
    const ref = (documented?.content?.['application/json']?.schema as ReferenceObject | undefined)?.$ref;
    const parsed: unknown =
      text && response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : undefined;
    if (ref && parsed !== undefined) expectShape(ref.split('/').pop()!, parsed);
    return { status: response.status, body: parsed as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  function expectShape(component: string, body: unknown): void {
    const schema = documentedSchema(component);
    expect(schema).toBeDefined();
    const result = schema!.safeParse(body);
    expect({ component, issues: result.error?.issues ?? [] }).toEqual({ component, issues: [] });
    // Objects drop keys they do not declare, so equality means no field is undocumented.
    expect(result.data).toEqual(body);
  }

  function imageForm(field: string, extra: Record<string, string> = {}): FormData {
    const form = new FormData();
    for (const image of images) form.append(field, new Blob([image.bytes], { type: 'image/png' }), image.file);
    for (const [key, value] of Object.entries(extra)) form.append(key, value);
    return form;
  }

  beforeAll(async () => {
    const drift = { DRIFT_MIN_SAMPLES: '20', DRIFT_MIN_REFERENCE_SAMPLES: '20' }; // 30-image reference
    t = await startTestApp({ env: { ...drift, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' } });
    document = (await (await fetch(`${t.url}/openapi.json`)).json()) as OpenAPIObject;
    receiver = await WebhookReceiver.create();
    await receiver.start();
  });
  afterAll(async () => {
    await receiver?.stop();
    await t?.close();
  });

  it('models: register, list, show, promote', async () => {
    const registered = await registerDigitsModel(t.url, 'cnn');
    expect(registered.status).toBe(201);
    expectShape('ModelVersion', await registered.json());
    const challenger = await registerDigitsModel(t.url, 'weak', { name, role: 'challenger' });
    expect(challenger.status).toBe(201);
    ids.challengerVersion = ((await challenger.json()) as { version: string }).version;
    await call('get', '/v1/models');
    await call('get', '/v1/models/{name}', { params: { name } });
    await call('get', '/v1/models/{name}/versions/{version}', { params: { name, version } });
    await call('post', '/v1/models/{name}/versions/{version}/promote', { params: { name, version } });
    await call('get', '/v1/models/{name}', { params: { name: 'no-such-model' }, status: 404 });
  });

  it('predict, Open Inference Protocol and feedback', async () => {
    const predicted = await call('post', '/v1/models/{name}/predict?top_k=3', {
      params: { name },
      body: images[0].bytes,
    });
    await call('post', '/v1/models/{name}/versions/{version}/predict', {
      params: { name, version },
      body: imageForm('images'),
    });
    await call('get', '/v2');
    await call('get', '/v2/health/live');
    await call('get', '/v2/health/ready');
    const metadata = await call('get', '/v2/models/{name}', { params: { name } });
    await call('get', '/v2/models/{name}/versions/{version}', { params: { name, version } });
    await call('get', '/v2/models/{name}/ready', { params: { name } });
    await call('get', '/v2/models/{name}', { params: { name: 'no-such-model' }, status: 404 });
    const input = metadata.body.inputs[0] as { name: string; shape: number[] };
    const tensor = {
      name: input.name,
      shape: [1, ...input.shape.slice(1)],
      datatype: 'UINT8',
      data: await pixels(images[1].bytes),
    };
    await call('post', '/v2/models/{name}/infer', { params: { name }, body: { inputs: [tensor] } });
    await call('post', '/v2/models/{name}/versions/{version}/infer', {
      params: { name, version },
      body: { inputs: [tensor] },
    });

    const [first] = predicted.body.predictions as Array<{ prediction_id: string }>;
    await call('post', '/v1/feedback', { body: { prediction_id: first.prediction_id, label: images[0].label } });
    await call('post', '/v1/feedback', { body: { items: [{ prediction_id: first.prediction_id, label: 'x' }] } });
    await call('post', '/v1/feedback', { body: { prediction_id: 'not-a-uuid', label: '1' }, status: 400 });
  });

  it('drift: reference, check, status, detail, history, settings', async () => {
    const params = { name, version };
    await call('post', '/v1/models/{name}/versions/{version}/drift/reference', { params, body: imageForm('images') });
    await call('post', '/v1/models/{name}/versions/{version}/drift/check', { params });
    await call('get', '/v1/drift/status');
    await call('get', '/v1/models/{name}/drift', { params });
    await call('get', '/v1/models/{name}/drift/history', { params });
    await call('put', '/v1/models/{name}/versions/{version}/drift/settings', { params, body: { threshold: 0.2 } });
  });

  it('evaluation: sets and evaluations', async () => {
    const labels = `file,label\n${images.map((i) => `${i.file},${i.label}`).join('\n')}`;
    const form = imageForm('images', { name: 'reference-30', labels });
    await call('post', '/v1/models/{name}/evaluation-sets', { params: { name }, body: form });
    await call('get', '/v1/models/{name}/evaluation-sets', { params: { name } });
    const window = {
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    };
    await call('post', '/v1/models/{name}/evaluations', { params: { name }, body: window });
    await call('get', '/v1/models/{name}/evaluations', { params: { name } });
  });

  it('performance: calibration, estimate now, report', async () => {
    const params = { name, version };
    const calibration = '/v1/models/{name}/versions/{version}/calibration';
    await call('get', calibration, { params, status: 404 });
    await call('post', '/v1/models/{name}/versions/{version}/performance/check', { params, status: 422 });
    await call('post', calibration, { params, body: { set: 'reference-30' }, status: 422 }); // < 100 labels
    await call('post', calibration, { params, body: { set: 'reference-30', from: 'x' }, status: 400 });
    const many = digitImages('reference')
      .slice(0, 120)
      .map((image) => ({ ...image, file: basename(image.file) }));
    const form = new FormData();
    for (const image of many) form.append('images', new Blob([image.bytes], { type: 'image/png' }), image.file);
    form.append('name', 'calibration-120');
    form.append('labels', `file,label\n${many.map((i) => `${i.file},${i.label}`).join('\n')}`);
    await call('post', '/v1/models/{name}/evaluation-sets', { params: { name }, body: form });
    await call('post', calibration, { params, body: { set: 'calibration-120' } });
    await call('get', calibration, { params });
    await call('post', '/v1/models/{name}/versions/{version}/performance/check', { params });
    const report = await call('get', '/v1/models/{name}/performance', { params: { name } });
    expect(report.body.estimated).not.toBeNull();
    await call('get', '/v1/drift/status');
  });

  it('ensembles: register, predict with members, bad bodies', async () => {
    const ensembles = '/v1/models/{name}/ensembles';
    const members = [version, ids.challengerVersion];
    await call('post', ensembles, { params: { name }, body: { version: 'docs-vote', members, voting: 'soft' } });
    await call('post', ensembles, {
      params: { name },
      body: { version: 'docs-vote', members, voting: 'soft' },
      status: 409,
    });
    await call('post', ensembles, {
      params: { name },
      body: { version: 'x', members: [version], voting: 'hard' },
      status: 400,
    });
    await call('post', ensembles, {
      params: { name: 'no-such-model' },
      body: { version: 'x', members, voting: 'hard' },
      status: 404,
    });
    const select = { select: 'top', k: 2, set: '00000000-0000-4000-8000-000000000000' };
    await call('post', ensembles, { params: { name }, body: select, status: 404 });
    const predicted = await call('post', '/v1/models/{name}/versions/{version}/predict?members=true', {
      params: { name, version: 'docs-vote' },
      body: images[0].bytes,
    });
    expect(predicted.body.predictions[0].members.map((m: { version: string }) => m.version)).toEqual(members);
  });

  it('experiments: start, list, status, analyse, stop', async () => {
    const started = await call('post', '/v1/models/{name}/experiments', {
      params: { name },
      body: { challengerVersion: ids.challengerVersion, trafficShare: 50 },
    });
    const id = started.body.id as string;
    await call('get', '/v1/models/{name}/experiments', { params: { name } });
    await call('get', '/v1/experiments/{id}', { params: { id } });
    await call('post', '/v1/experiments/{id}/analyse', { params: { id } });
    await call('post', '/v1/experiments/{id}/stop', { params: { id } });
    await call('post', '/v1/experiments/{id}/stop', { params: { id }, status: 409 });
    const challenger = { name, version: ids.challengerVersion };
    await call('post', '/v1/models/{name}/versions/{version}/retire', { params: challenger });
  });

  it('probes, metrics and the dashboard', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics', '/dashboard']) await call('get', path);
    await call('get', '/dashboard/assets/{file}', { params: { file: 'app.js' } });
    await call('get', '/dashboard/assets/{file}', { params: { file: 'nothing.js' }, status: 404 });
  });

  it('webhooks, events and API keys', async () => {
    await call('get', '/v1/webhooks/event-types');
    const created = await call('post', '/v1/webhooks', { body: { url: receiver.url, eventTypes: ['*'] } });
    const id = created.body.id as string;
    await call('get', '/v1/webhooks');
    await call('patch', '/v1/webhooks/{id}', { params: { id }, body: { description: 'docs check' } });
    const sent = await call('post', '/v1/webhooks/{id}/test', { params: { id } });
    await call('get', '/v1/webhooks/{id}/deliveries', { params: { id } });
    await call('get', '/v1/webhooks/{id}/deliveries/{deliveryId}', {
      params: { id, deliveryId: sent.body.deliveryId },
    });
    await call('get', '/v1/webhooks/events');
    await call('delete', '/v1/webhooks/{id}', { params: { id } });
    await call('get', '/v1/webhooks/{id}', { params: { id }, status: 404 });
    const key = await call('post', '/v1/api-keys', { body: { name: 'docs-check', scopes: ['read'] } });
    await call('get', '/v1/api-keys');
    await call('delete', '/v1/api-keys/{id}', { params: { id: key.body.id } });
  });
});
