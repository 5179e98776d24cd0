import { serve } from '../evaluation/evaluation-traffic';
import { DigitImage, digitImages, registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';

interface ErrorAnswer {
  error: { code: string; message: string; details: { needed: number; got: number; threshold: number } };
}

/**
 * The reference a version needs follows its own drift threshold (README "Drift"): 5x the window
 * minimum, which is 322 images at 0.15 and 482 at 0.10. Before, the size check always used 0.15:
 * at threshold 0.10 a 300-image reference was accepted and every check answered insufficient_data.
 */
describe('drift reference size follows the version threshold', () => {
  const reference = digitImages('reference');
  const heldback = digitImages('heldback');
  const all = [...reference, ...heldback, ...digitImages('train' as DigitImage['split'])];

  const client = (t: TestApp) => ({
    setReference: (images: DigitImage[]) => {
      const form = new FormData();
      for (const image of images) form.append('images', new Blob([image.bytes], { type: 'image/png' }), image.file);
      return fetch(`${t.url}/v1/models/digits/versions/cnn-v1/drift/reference`, { method: 'POST', body: form });
    },
    setThreshold: (threshold: number | null) =>
      fetch(`${t.url}/v1/models/digits/versions/cnn-v1/drift/settings`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ threshold }),
      }),
  });

  async function expectTooSmall(answer: Response, status: number, details: ErrorAnswer['error']['details']) {
    expect(answer.status).toBe(status);
    const { error } = (await answer.json()) as ErrorAnswer;
    expect(error.code).toBe('reference_too_small');
    expect(error.details).toEqual(details);
    expect(error.message).toContain(`at least ${details.needed}`);
  }

  describe('at the default sizes', () => {
    let t: TestApp;
    let api: ReturnType<typeof client>;
    beforeAll(async () => {
      t = await startTestApp();
      expect((await registerDigitsModel(t.url, 'cnn')).status).toBe(201);
      api = client(t);
    });
    afterAll(() => t.close());

    it('refuses the 599-image reference split: 1,610 images at threshold 0.15', async () => {
      await expectTooSmall(await api.setReference(reference), 400, { needed: 1610, got: 599, threshold: 0.15 });
    });

    it('asks 2,410 at threshold 0.10: all 1,797 fixture images are refused there, accepted at 0.15', async () => {
      expect(all).toHaveLength(1797);
      expect((await api.setThreshold(0.1)).status).toBe(200);
      const refused = await api.setReference(all);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as ErrorAnswer).error.details).toMatchObject({ needed: 2410, got: 1797 });
      expect((await api.setThreshold(null)).status).toBe(200);
      expect((await api.setReference(all)).status).toBe(201);
    });

    it('refuses a threshold the reference is too small for with 409, naming the size; allows one it supports', async () => {
      const answer = await api.setThreshold(0.1);
      expect(answer.status).toBe(409);
      const { error } = (await answer.json()) as ErrorAnswer;
      expect(error).toMatchObject({ code: 'reference_too_small', details: { needed: 2410, got: 1797 } });
      expect(error.details.threshold).toBeCloseTo(0.1, 6);
      expect(await (await api.setThreshold(0.2)).json()).toMatchObject({ threshold: 0.2 });
    });
  });

  describe('with DRIFT_MIN_REFERENCE_SAMPLES=300: the window minimum still follows the threshold', () => {
    let t: TestApp;
    let api: ReturnType<typeof client>;
    beforeAll(async () => {
      t = await startTestApp({ env: { DRIFT_MIN_REFERENCE_SAMPLES: '300' } });
      expect((await registerDigitsModel(t.url, 'cnn')).status).toBe(201);
      api = client(t);
      expect((await api.setThreshold(0.1)).status).toBe(200);
    });
    afterAll(() => t.close());

    it('at threshold 0.10 refuses a 400-image reference that could never give a verdict (482 needed)', async () => {
      await expectTooSmall(await api.setReference(reference.slice(0, 400)), 400, {
        needed: 482,
        got: 400,
        threshold: expect.closeTo(0.1, 6) as unknown as number,
      });
    });

    it('accepts the 599-image split, and a check of 599 held-back images gives a verdict', async () => {
      expect((await api.setReference(reference)).status).toBe(201);
      await serve(t.url, heldback);
      const check = await fetch(`${t.url}/v1/models/digits/versions/cnn-v1/drift/check`, { method: 'POST' });
      expect(((await check.json()) as { state: string }).state).toBe('ok');
      const detail = await (await fetch(`${t.url}/v1/models/digits/drift`)).json();
      const signals = (detail as { signals: Array<{ state: string; minSamples: number; nCurrent: number }> }).signals;
      expect(signals.map((s) => s.state)).not.toContain('insufficient_data');
      // The window minimum at 0.10: 482 for the quantile-binned signals, 338 for the 10 classes.
      expect(signals.map((s) => s.minSamples).sort()).toContain(482);
      expect(Math.min(...signals.map((s) => s.nCurrent))).toBeGreaterThanOrEqual(482);
    });

    it('then refuses threshold 0.08 (603 images per window) with 409', async () => {
      await expectTooSmall(await api.setThreshold(0.08), 409, {
        needed: 603,
        got: 599,
        threshold: expect.closeTo(0.08, 6) as unknown as number,
      });
    });
  });
});
