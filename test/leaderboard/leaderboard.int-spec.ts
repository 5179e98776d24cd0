import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { documentedSchema } from '../../src/openapi/schema-registry';
import { answersOf } from '../ensembles/ensemble-traffic';
import { postJson } from '../evaluation/evaluation-traffic';
import { digitImages, digitsDir, DigitsModel, registerDigitsModel, uploadEvaluationSet } from '../support/digits';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const PLAIN = ['weak-v1', 'cnn-v1', 'mlp-v1'];
const ENSEMBLE = 'vote3-soft';
const INT8 = 'cnn-v1-int8';

/** Issue 15.4: every live version ranked on one evaluation set, checked against numpy/statsmodels. */
describe('Leaderboard: plain, INT8 and ensemble versions of the digits model on the held-back set', () => {
  let t: TestApp;
  const heldback = digitImages('heldback');
  const ids: Record<string, string> = {};
  const files: Record<string, string[]> = {};
  let board: Json;
  let golden: Json;
  const get = (path: string) =>
    fetch(`${t.url}${path}`).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));
  const leaderboard = (query: string) => get(`/v1/models/digits/leaderboard?${query}`);

  beforeAll(async () => {
    t = await startTestApp({ env: { EVAL_SCHEDULE_ENABLED: 'false' } });
    // weak-v1 is registered first, so it is the champion the others are tested against.
    for (const model of ['weak', 'cnn', 'mlp'] as DigitsModel[]) {
      expect((await registerDigitsModel(t.url, model)).status).toBe(201);
      files[`${model}-v1`] = [join(digitsDir, `digits-${model}.onnx`)];
    }
    ids.heldback = await uploadEvaluationSet(t.url, 'heldback', heldback);
    ids.reference = await uploadEvaluationSet(t.url, 'reference', digitImages('reference'));
    const ensemble = await postJson(t.url, '/v1/models/digits/ensembles', {
      version: ENSEMBLE,
      members: PLAIN,
      voting: 'soft',
    });
    expect(ensemble.status).toBe(201);
    files[ENSEMBLE] = PLAIN.flatMap((v) => files[v]);
    const quantize = await postJson(t.url, '/v1/models/digits/versions/cnn-v1/quantize', { set: 'reference' });
    expect(quantize.status).toBe(202);
    const job = await eventually(
      () => get(`/v1/models/digits/quantizations/${quantize.body.id}`),
      (r) => ['completed', 'failed'].includes(r.body.status),
      120_000,
    );
    expect(job.body.status).toBe('completed');
    files[INT8] = [join(t.config.DATA_DIR, 'models', `${job.body.report.fileSha256}.onnx`)];
  }, 180_000);
  afterAll(() => t.close());

  it('refuses bad input: unknown set or model 404, bad budget 400, nothing measured yet 404 naming the POST', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const notMeasured = await leaderboard(`set=${ids.heldback}`);
    expect(notMeasured.status).toBe(404);
    expect(notMeasured.body.error.message).toContain(`POST /v1/models/digits/leaderboard {"set": "${ids.heldback}"}`);
    const unknownSet = await leaderboard(`set=${unknown}`);
    expect([unknownSet.status, unknownSet.body.error.code]).toEqual([404, 'evaluation_set_not_found']);
    expect(unknownSet.body.error.message).toContain(unknown);
    const post = await postJson(t.url, '/v1/models/digits/leaderboard', { set: unknown });
    expect([post.status, post.body.error.code]).toEqual([404, 'evaluation_set_not_found']);
    const model = await postJson(t.url, '/v1/models/nope/leaderboard', { set: ids.heldback });
    expect([model.status, model.body.error.code]).toEqual([404, 'model_not_found']);
    for (const [budget, message] of [
      ['abc', /latency_budget_ms: must be a number of milliseconds/],
      ['-5', /latency_budget_ms: must be above 0 ms/],
      ['0', /latency_budget_ms: must be above 0 ms/],
      ['99999999', /latency_budget_ms: must be at most 3600000 ms/],
    ] as const) {
      const bad = await leaderboard(`set=${ids.heldback}&latency_budget_ms=${budget}`);
      expect([budget, bad.status]).toEqual([budget, 400]);
      expect(bad.body.error.message).toMatch(message);
    }
    const missing = await leaderboard('');
    expect([missing.status, missing.body.error.message]).toEqual([400, expect.stringMatching(/^set: /)]);
    expect((await postJson(t.url, '/v1/models/digits/leaderboard', {})).status).toBe(400);
  });

  it('is computed by a job and stored; the answer says when it was measured', async () => {
    const before = Date.now();
    const started = await postJson(t.url, '/v1/models/digits/leaderboard', { set: ids.heldback });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'queued', set: { id: ids.heldback, name: 'heldback' } });
    const job = await eventually(
      () => get(`/v1/models/digits/leaderboards/${started.body.id}`),
      (r) => ['completed', 'failed'].includes(r.body.status),
      120_000,
    );
    expect(job.body).toMatchObject({ status: 'completed', error: null });
    const answer = await leaderboard(`set=${ids.heldback}`);
    expect(answer.status).toBe(200);
    board = answer.body;
    expect(documentedSchema('Leaderboard')!.parse(board)).toEqual(board);
    expect(board.id).toBe(started.body.id);
    expect(Date.parse(board.measuredAt)).toBeGreaterThanOrEqual(before);
    expect(board.measuredAt).toBe(job.body.measuredAt);
    expect((await get('/v1/models/digits/leaderboards')).body).toEqual({ leaderboards: [board] });
    expect((await get(`/v1/models/digits/leaderboards/${ids.heldback}`)).status).toBe(404);
  }, 180_000);

  it("equals numpy/statsmodels on each version's own predict answers: top-1, top-5, Wilson, McNemar, size", async () => {
    const labels = heldback.map((i) => LABELS.indexOf(i.label));
    const versions: Record<string, Json> = {};
    for (const version of [...PLAIN, ENSEMBLE, INT8]) {
      const answers = await answersOf(t.url, version, heldback, LABELS);
      versions[version] = {
        predicted: answers.map((a) => LABELS.indexOf(a.label)),
        probabilities: answers.map((a) => a.probabilities),
        files: files[version],
      };
    }
    const input = JSON.stringify({ labels, champion: 'weak-v1', versions });
    golden = JSON.parse(
      execFileSync('/usr/bin/python3', ['scripts/golden/leaderboard_golden.py'], {
        input,
        maxBuffer: 64 << 20,
      }).toString(),
    );
    expect(board.entries.map((e: Json) => e.version).sort()).toEqual(Object.keys(versions).sort());
    for (const entry of board.entries) {
      const expected = golden[entry.version];
      expect({ version: entry.version, n: entry.n, parameters: entry.parameters, fileBytes: entry.fileBytes }).toEqual({
        version: entry.version,
        n: 599,
        parameters: expected.parameters,
        fileBytes: expected.fileBytes,
      });
      for (const k of ['top1', 'top5'] as const) {
        expect(entry[k].correct).toBe(expected[k].correct);
        expect(entry[k].accuracy).toBeCloseTo(expected[k].accuracy, 12);
        expect(entry[k].interval.lower).toBeCloseTo(expected[k].interval.lower, 9);
        expect(entry[k].interval.upper).toBeCloseTo(expected[k].interval.upper, 9);
      }
      if (expected.vsChampion === null) expect(entry.vsChampion).toBeNull();
      else {
        const { pValue, statistic, ...counts } = expected.vsChampion;
        expect(entry.vsChampion).toMatchObject(counts);
        expect(entry.vsChampion.pValue).toBeCloseTo(pValue, 9);
        expect(entry.vsChampion.statistic).toBeCloseTo(statistic, 9);
      }
    }
    const accuracies = board.entries.map((e: Json) => e.top1.accuracy);
    expect(accuracies).toEqual([...accuracies].sort((a, b) => b - a));
    expect(board.entries.map((e: Json) => e.rank)).toEqual([1, 2, 3, 4, 5]);
    const byVersion = Object.fromEntries(board.entries.map((e: Json) => [e.version, e]));
    expect(byVersion['weak-v1']).toMatchObject({ champion: true, role: 'champion', kind: 'plain' });
    expect(byVersion[INT8]).toMatchObject({ kind: 'variant', variantOf: 'cnn-v1', members: null });
    expect(byVersion[ENSEMBLE]).toMatchObject({ kind: 'ensemble', members: PLAIN, variantOf: null });
    for (const entry of board.entries) {
      expect(entry.provider).toBe('cpu');
      expect(entry.speed.batch1.runs).toBe(200);
      expect(entry.speed.batch32.runs).toBe(10);
      expect(entry.speed.batch1.p50Ms).toBeLessThanOrEqual(entry.speed.batch1.p99Ms);
      expect(entry.speed.batch32.imagesPerSecond).toBeCloseTo(32_000 / entry.speed.batch32.meanMs, 6);
    }
    console.info(
      `leaderboard (n=599, champion weak-v1): ${JSON.stringify(
        board.entries.map((e: Json) => ({
          version: e.version,
          top1: e.top1.accuracy,
          top5: e.top5.accuracy,
          p: e.vsChampion?.pValue ?? null,
          p50: e.speed.batch1.p50Ms,
          p99: e.speed.batch1.p99Ms,
          ips32: e.speed.batch32.imagesPerSecond,
          params: e.parameters,
          bytes: e.fileBytes,
        })),
      )}`,
    );
  });

  /** The most accurate non-champion within the budget with p < 0.05 and higher accuracy, from the golden values. */
  function expectedChoice(budget: number): string {
    const champion = golden['weak-v1'].top1.accuracy;
    const candidates = board.entries
      .filter((e: Json) => !e.champion && e.speed.batch1.p99Ms <= budget)
      .filter((e: Json) => golden[e.version].top1.accuracy > champion && golden[e.version].vsChampion.pValue < 0.05)
      .sort(
        (a: Json, b: Json) =>
          golden[b.version].top1.accuracy - golden[a.version].top1.accuracy ||
          a.speed.batch1.p99Ms - b.speed.batch1.p99Ms,
      );
    return candidates[0]?.version ?? 'weak-v1';
  }

  it('recommends for a loose and a tight latency budget', async () => {
    const loose = (await leaderboard(`set=${ids.heldback}&latency_budget_ms=60000`)).body.recommend;
    expect(loose).toMatchObject({ latencyBudgetMs: 60000, basis: 'p99 latency at batch 1' });
    expect(loose.version).toBe(expectedChoice(60000));
    expect(loose.version).not.toBe('weak-v1'); // weak-v1 is far behind cnn-v1 on 599 items
    expect(loose.reason).toMatch(/McNemar p = /);
    // Tight: the fastest version's p99; only the versions measured that fast are considered.
    const fastest = Math.min(...board.entries.map((e: Json) => e.speed.batch1.p99Ms));
    const tight = (await leaderboard(`set=${ids.heldback}&latency_budget_ms=${fastest}`)).body.recommend;
    expect(tight.version).toBe(expectedChoice(fastest));
    const none = (await leaderboard(`set=${ids.heldback}&latency_budget_ms=0.000001`)).body.recommend;
    expect(none).toMatchObject({ version: 'weak-v1', champion: true });
    expect(none.reason).toMatch(/no other version is within the budget; the champion itself is over the budget/);
    console.info(`recommend: loose ${JSON.stringify(loose)}; tight (${fastest} ms) ${JSON.stringify(tight)}`);
  });
});
