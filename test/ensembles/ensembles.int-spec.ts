import { DataSource } from 'typeorm';
import { HistogramAggregator } from '../../src/recording/histogram-aggregator';
import { eventually } from '../support/eventually';
import { digitImages, DigitsModel, registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';
import { label, postJson } from '../evaluation/evaluation-traffic';
import { serveUnits } from '../experiments/experiment-traffic';
import { accuracyOf, Answer, answersOf, golden } from './ensemble-traffic';

const MEMBERS = ['cnn-v1', 'mlp-v1', 'weak-v1'];
const LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

describe('Ensembles: three digits models voting, served and tested like any version', () => {
  let t: TestApp;
  const heldback = digitImages('heldback');
  const members = new Map<string, Answer[]>();
  const ensembleAnswers = new Map<string, Answer[]>();
  const create = (body: unknown) => postJson(t.url, '/v1/models/digits/ensembles', body);

  beforeAll(async () => {
    t = await startTestApp({ env: { EVAL_SCHEDULE_ENABLED: 'false' } });
    for (const model of ['weak', 'cnn', 'mlp'] as DigitsModel[]) {
      expect((await registerDigitsModel(t.url, model)).status).toBe(201);
    }
    // The best single model (held-back accuracy 96.0%) is the champion the ensemble must beat.
    expect((await postJson(t.url, '/v1/models/digits/versions/cnn-v1/promote', {})).status).toBe(200);
    for (const version of MEMBERS) members.set(version, await answersOf(t.url, version, heldback, LABELS));
  });
  afterAll(() => t.close());

  it('refuses bad ensembles with a 4xx that names the problem', async () => {
    const one = await create({ version: 'e1', members: ['cnn-v1'], voting: 'soft' });
    expect(one.status).toBe(400);
    expect(one.body.error.message).toMatch(/members/);
    const six = await create({ version: 'e6', members: ['a', 'b', 'c', 'd', 'e', 'f'], voting: 'soft' });
    expect(six.body.error.message).toMatch(/5/);
    const weighted = await create({ version: 'e2', members: MEMBERS, voting: 'hard', weights: [1, 1, 1] });
    expect(weighted.status).toBe(400);
    expect(weighted.body.error.message).toMatch(/soft voting only/);
    const missing = await create({ version: 'e3', members: ['cnn-v1', 'nope'], voting: 'soft' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/nope/);
    expect(
      (await registerDigitsModel(t.url, 'weak', { version: 'weak-relabelled', labels: [...LABELS].reverse() })).status,
    ).toBe(201);
    const relabelled = await create({ version: 'e4', members: ['cnn-v1', 'weak-relabelled'], voting: 'soft' });
    expect(relabelled.status).toBe(422);
    expect(relabelled.body.error.code).toBe('ensemble_labels_differ');
    expect((await postJson(t.url, '/v1/models/digits/versions/weak-relabelled/retire', {})).status).toBe(200);
  });

  it.each([
    ['hard', undefined],
    ['soft', [2, 1, 1]],
  ] as const)(
    "%s voting equals numpy on the members' own answers, for all 599 held-back digits",
    async (voting, weights) => {
      const version = `vote3-${voting}`;
      const created = await create({ version, members: MEMBERS, voting, ...(weights ? { weights } : {}) });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ model: { version, role: 'challenger' }, voting, selection: null });
      const answers = await answersOf(t.url, version, heldback, LABELS);
      ensembleAnswers.set(version, answers);
      const expected = golden(
        voting,
        [...(weights ?? [1, 1, 1])],
        MEMBERS.map((v) => members.get(v)!),
      );
      expect(answers.map((a) => a.label)).toEqual(expected.predicted.map(String));
      const diff = Math.max(
        ...answers.flatMap((a, i) => a.probabilities.map((p, c) => Math.abs(p - expected.probabilities[i][c]))),
      );
      expect(diff).toBeLessThan(1e-6);
      // ?members=true: each member's own answer, in member order.
      answers.forEach((a, i) =>
        expect(a.members).toEqual(
          MEMBERS.map((v) => ({
            version: v,
            label: members.get(v)![i].label,
            class_index: expect.any(Number),
            score: expect.any(Number),
          })),
        ),
      );
      const accuracy = Object.fromEntries([
        ...MEMBERS.map((v) => [v, accuracyOf(members.get(v)!, heldback)]),
        [version, accuracyOf(answers, heldback)],
      ]);
      console.info(`held-back accuracy (n=599): ${JSON.stringify(accuracy)}`);
    },
  );

  it("monitored: the hard ensemble's own class histogram counts exactly the classes it answered", async () => {
    const { id } = (await fetch(`${t.url}/v1/models/digits/versions/vote3-hard`).then((r) => r.json())) as {
      id: string;
    };
    const answered = LABELS.map((l) => ensembleAnswers.get('vote3-hard')!.filter((a) => a.label === l).length);
    const counted = async () => {
      await t.app.get(HistogramAggregator).flush();
      const rows: Array<{ counts: string[] }> = await t.app
        .get(DataSource)
        .query(`SELECT counts FROM histogram_counts WHERE model_version_id = $1 AND signal = 'class'`, [id]);
      return LABELS.map((_, c) => rows.reduce((sum, r) => sum + Number(r.counts[c]), 0));
    };
    // Counting runs beside the answers (a worker thread), so the last counts may land just after them.
    expect(await eventually(counted, (c) => c.reduce((a, b) => a + b, 0) >= 599)).toEqual(answered);
  });

  it('top 3 by accuracy on an evaluation set: the three live plain versions, best first', async () => {
    const form = new FormData();
    form.append('name', 'heldback');
    form.append('labels', ['file,label', ...heldback.map((i) => `${i.file.split('/')[1]},${i.label}`)].join('\n'));
    for (const image of heldback)
      form.append('images', new Blob([image.bytes], { type: 'image/png' }), image.file.split('/')[1]);
    const set = await fetch(`${t.url}/v1/models/digits/evaluation-sets`, { method: 'POST', body: form });
    expect(set.status).toBe(201);
    const setId = ((await set.json()) as { id: string }).id;
    const created = await create({ select: 'top', k: 3, set: setId, voting: 'soft' });
    expect(created.status).toBe(201);
    const ranking = created.body.selection.ranking as Array<{ version: string; accuracy: number; n: number }>;
    const measured = MEMBERS.map((v) => ({ version: v, accuracy: accuracyOf(members.get(v)!, heldback), n: 599 }));
    expect(ranking).toEqual(measured.sort((a, b) => b.accuracy - a.accuracy));
    expect(created.body.members.map((m: { version: string }) => m.version)).toEqual(ranking.map((r) => r.version));
    const four = await create({ select: 'top', k: 4, set: setId });
    expect(four.status).toBe(422);
    expect(four.body.error.message).toMatch(/3 live plain versions/);
  });

  it('A/B over HTTP: the soft ensemble against the best single model, decided from labels', async () => {
    const started = await postJson(t.url, '/v1/models/digits/experiments', {
      challengerVersion: 'vote3-soft',
      trafficShare: 50,
      minSamples: 100,
    });
    expect(started.status).toBe(201);
    const all = [...heldback, ...digitImages('reference'), ...digitImages('train' as 'heldback')];
    const served = await serveUnits(t.url, all, 'ensemble-ab');
    expect(new Set(served.map((s) => s.version))).toEqual(new Set(['cnn-v1', 'vote3-soft']));
    await label(t.url, served);
    const analysed = await postJson(t.url, `/v1/experiments/${started.body.id}/analyse`, {});
    expect(analysed.status).toBe(200);
    const arm = (version: string) => served.filter((s) => s.version === version);
    const correct = (version: string) => arm(version).filter((s) => s.predicted === s.label).length;
    expect(analysed.body.analysis.counts).toEqual({
      championN: arm('cnn-v1').length,
      championCorrect: correct('cnn-v1'),
      challengerN: arm('vote3-soft').length,
      challengerCorrect: correct('vote3-soft'),
    });
    console.info(
      `A/B ensemble vs cnn-v1: ${JSON.stringify({ status: analysed.body.status, outcome: analysed.body.outcome, counts: analysed.body.analysis.counts, difference: analysed.body.analysis.difference, lower: analysed.body.analysis.lower, upper: analysed.body.analysis.upper })}`,
    );
  });
});
