import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { chunk, registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';

const IMAGES = 5_000;
// Each step handles 5,000 images: well under a minute on a quiet machine, more on a shared one.
const SLOW = 180_000;

/** `count` distinct 8x8 greyscale PNGs (seeded noise), as the digits model takes them. */
async function pngs(count: number): Promise<Buffer[]> {
  let seed = 20261201;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
  const out: Buffer[] = [];
  for (const part of chunk(
    Array.from({ length: count }, () => Buffer.from(Array.from({ length: 64 }, next))),
    250,
  )) {
    out.push(
      ...(await Promise.all(
        part.map((raw) =>
          sharp(raw, { raw: { width: 8, height: 8, channels: 1 } })
            .png()
            .toBuffer(),
        ),
      )),
    );
  }
  return out;
}

const fileName = (i: number) => `img-${String(i).padStart(5, '0')}.png`;

function form(images: Buffer[], fields: Record<string, string> = {}): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  images.forEach((bytes, i) => body.append('images', new Blob([bytes], { type: 'image/png' }), fileName(i)));
  return body;
}

const labelsCsv = (count: number) =>
  ['file,label', ...Array.from({ length: count }, (_, i) => `${fileName(i)},${i % 10}`)].join('\n');

describe('issue 14.9: uploads are not silently capped at 1,000 parts', () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-large-'));
  let t: TestApp;
  let images: Buffer[];

  beforeAll(async () => {
    images = await pngs(IMAGES);
    // A reference folder with a subfolder per (pretend) class, and an evaluation set folder.
    images.forEach((bytes, i) => {
      const folder = join(root, 'references', 'big', `class-${i % 10}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, fileName(i)), bytes);
    });
    mkdirSync(join(root, 'sets', 'big'), { recursive: true });
    images.forEach((bytes, i) => writeFileSync(join(root, 'sets', 'big', fileName(i)), bytes));
    writeFileSync(join(root, 'sets', 'big', 'labels.csv'), labelsCsv(IMAGES));
    const env = {
      LOG_LEVEL: 'error',
      EVAL_SCHEDULE_ENABLED: 'false',
      UPLOAD_MAX_FILES: String(IMAGES),
      REFERENCE_DIR: join(root, 'references'),
      EVAL_SET_DIR: join(root, 'sets'),
      DRIFT_MIN_SAMPLES: '100',
      DRIFT_MIN_REFERENCE_SAMPLES: '100',
    };
    t = await startTestApp({ env });
    expect((await registerDigitsModel(t.url, 'cnn')).status).toBe(201);
  }, SLOW);
  afterAll(async () => {
    await t?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const reference = (body: FormData | object) =>
    fetch(`${t.url}/v1/models/digits/versions/cnn-v1/drift/reference`, {
      method: 'POST',
      ...(body instanceof FormData
        ? { body }
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
  const evaluationSet = (body: FormData | object) =>
    fetch(`${t.url}/v1/models/digits/evaluation-sets`, {
      method: 'POST',
      ...(body instanceof FormData
        ? { body }
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
  const storedHistograms = async (edgesVersion: number) => {
    const rows: Array<{ histograms: Record<string, { counts: number[] }> }> = await t.app
      .get(DataSource)
      .query('SELECT histograms FROM drift_references WHERE edges_version = $1', [edgesVersion]);
    return rows[0].histograms;
  };

  it(
    `takes a drift reference of ${IMAGES} images in one multipart request`,
    async () => {
      const response = await reference(form(images));
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ source: 'images', sampleCount: IMAGES, edgesVersion: 2 });
    },
    SLOW,
  );

  it(
    'takes the same reference from a folder under REFERENCE_DIR (subfolders included)',
    async () => {
      const response = await reference({ path: 'big' });
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ sampleCount: IMAGES, edgesVersion: 3 });
      // The same 5,000 images (in another order): the same predicted classes. (Continuous signals
      // differ, their edges start from the previous reference's.)
      expect((await storedHistograms(3)).class).toEqual((await storedHistograms(2)).class);
    },
    SLOW,
  );

  it(
    'refuses one file over UPLOAD_MAX_FILES, and too many text fields, with a 413 naming the limit',
    async () => {
      const over = await reference(form([...images, images[0]]));
      expect(over.status).toBe(413);
      const { error } = (await over.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('too_many_items');
      expect(error.message).toContain(`${IMAGES} (UPLOAD_MAX_FILES)`);
      const fields = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`f${i}`, 'x']));
      const tooManyFields = await reference(form(images.slice(0, 10), fields));
      expect(tooManyFields.status).toBe(413);
      expect(((await tooManyFields.json()) as { error: { code: string } }).error.code).toBe('too_many_fields');
    },
    SLOW,
  );

  it(
    'answers a reference folder outside REFERENCE_DIR the same whether or not it exists',
    async () => {
      const existing = await reference({ path: '../sets/big' });
      const missing = await reference({ path: '../sets/nothing' });
      expect(existing.status).toBe(400);
      expect(await existing.json()).toEqual(await missing.json());
    },
    SLOW,
  );

  it(
    `takes an evaluation set of ${IMAGES} images in one multipart request`,
    async () => {
      const response = await evaluationSet(form(images, { name: 'uploaded', labels: labelsCsv(IMAGES) }));
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ accepted: IMAGES, rejected: 0 });
    },
    SLOW,
  );

  it(
    `takes an evaluation set of ${IMAGES} images from a folder under EVAL_SET_DIR`,
    async () => {
      const response = await evaluationSet({ name: 'folder', path: 'big' });
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ accepted: IMAGES, rejected: 0 });
    },
    SLOW,
  );
});
