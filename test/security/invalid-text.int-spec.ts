import { Client } from 'pg';
import { isUnstorableText } from '../../src/infra/database/postgres-errors';
import { digitImages, registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';

interface ErrorAnswer {
  error: { code: string; message: string };
}

describe('issue 14.3: text Postgres cannot store is a 400 invalid_text', () => {
  let t: TestApp;
  const image = digitImages('heldback')[0];
  const postJson = (path: string, body: string) =>
    fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const webhook = (description: string) =>
    // Raw JSON text: JSON.stringify would keep the escape, this is what a client sends.
    postJson('/v1/webhooks', `{"url":"http://127.0.0.1:9/hook","eventTypes":["*"],"description":"${description}"}`);

  beforeAll(async () => {
    t = await startTestApp();
    expect((await registerDigitsModel(t.url, 'cnn')).status).toBe(201);
  });
  afterAll(() => t.close());

  afterEach(async () => {
    const predict = await fetch(`${t.url}/v1/models/digits/predict`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: image.bytes,
    });
    expect(predict.status).toBe(200);
  });

  it('refuses a label with a lone surrogate (jsonb refused it with 22P02: a 500)', async () => {
    const labels = ['0', '1', '2', '\ud800', '4', '5', '6', '7', '8', '9'];
    const response = await registerDigitsModel(t.url, 'weak', { version: 'surrogate', role: 'champion', labels });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorAnswer;
    expect(error.code).toBe('invalid_text');
    expect(error.message).toMatch(/^labels\.3: contains an unpaired UTF-16 surrogate \(\\ud800\)/);
  });

  it.each([
    ['a lone low surrogate', 'a\\udc00b', /description: .*unpaired UTF-16 surrogate \(\\udc00\) at character 1/],
    ['a high surrogate at the end', 'ab\\udbff', /description: .*unpaired UTF-16 surrogate \(\\udbff\) at character 2/],
    ['a NUL', 'a\\u0000b', /description: contains a NUL character/],
  ])('refuses %s in a text column instead of storing U+FFFD', async (_, text, message) => {
    const response = await webhook(text);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorAnswer;
    expect(error).toMatchObject({ code: 'invalid_text', message: expect.stringMatching(message) });
  });

  it('accepts a well-formed pair (an emoji) in the same field', async () => {
    expect((await webhook('ok \\ud83d\\ude00')).status).toBe(201);
  });

  it('answers the database refusal itself (jsonb, 22P02) as invalid text, not a 500', async () => {
    const db = new Client({ connectionString: t.config.DATABASE_URL });
    await db.connect();
    const refused = await db.query(`SELECT '["\\ud800"]'::jsonb`).catch((error: unknown) => error);
    await db.end();
    expect(refused).toMatchObject({ code: '22P02' });
    expect(isUnstorableText(refused)).toBe(true);
    expect(isUnstorableText(Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02' }))).toBe(
      false,
    );
  });
});
