import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { digitImages, digitsDir, registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';

const weakFile = readFileSync(join(digitsDir, 'digits-weak.onnx'));
const weakSha = createHash('sha256').update(weakFile).digest('hex');

interface VersionView {
  version: string;
  role: string;
}

describe('issue 14.1: registration is one transaction', () => {
  let t: TestApp;
  let db: Client;
  const image = digitImages('heldback')[0];

  const versions = async (): Promise<VersionView[]> =>
    ((await (await fetch(`${t.url}/v1/models/digits`)).json()) as { versions: VersionView[] }).versions;
  const champions = async () => (await versions()).filter((v) => v.role === 'champion').map((v) => v.version);
  const predictStatus = async () =>
    (
      await fetch(`${t.url}/v1/models/digits/predict`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: image.bytes,
      })
    ).status;
  const storedWeakFile = () => join(t.config.DATA_DIR, 'models', `${weakSha}.onnx`);

  beforeAll(async () => {
    t = await startTestApp({ env: { ROUTING_CACHE_MS: '0' } });
    db = new Client({ connectionString: t.config.DATABASE_URL });
    await db.connect();
    // A fault in the insert itself (as a rejected value or a full disk would be): any version
    // named `doomed-*` fails inside Postgres after the checks in Node have passed.
    await db.query(`
      CREATE FUNCTION refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected insert failure'; END $$;
      CREATE TRIGGER refuse_doomed BEFORE INSERT ON model_versions
        FOR EACH ROW WHEN (NEW.version LIKE 'doomed-%') EXECUTE FUNCTION refuse_doomed();`);
    expect((await registerDigitsModel(t.url, 'cnn')).status).toBe(201);
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('keeps the champion and removes the saved file when the insert of a new champion fails', async () => {
    const failed = await registerDigitsModel(t.url, 'weak', { version: 'doomed-1', role: 'champion' });
    expect(failed.status).toBe(500);
    expect(await champions()).toEqual(['cnn-v1']);
    expect(await predictStatus()).toBe(200);
    expect(existsSync(storedWeakFile())).toBe(false);
  });

  it('keeps exactly one champion when the same version is registered concurrently', async () => {
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => registerDigitsModel(t.url, 'weak', { version: 'race-1', role: 'champion' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await champions()).toEqual(['race-1']);
    expect(await predictStatus()).toBe(200);
    expect(existsSync(storedWeakFile())).toBe(true);
  });

  it('keeps a file that another version uses when a registration of the same file fails', async () => {
    const failed = await registerDigitsModel(t.url, 'weak', { version: 'doomed-2', role: 'challenger' });
    expect(failed.status).toBe(500);
    expect(existsSync(storedWeakFile())).toBe(true);
    expect((await versions()).map((v) => v.version)).not.toContain('doomed-2');
  });
});
