import { loadDigits, sendLabels, serveBatches } from './demo-digits';
import type { DemoContext } from './demo-story';

interface Interval {
  lower: number;
  upper: number;
}

interface Evaluation {
  version: string;
  source: string;
  n: number;
  accuracy: number;
  accuracyInterval: Interval;
  baseline: { accuracy: number } | null;
  dropPp: number | null;
  dropInterval: Interval | null;
  retrainingRequested: boolean;
  rule: { decision: string; reason: string } | null;
}

/**
 * The weekly evaluation, triggered now over the demo's labels: cnn-v1 sets the baseline, then a
 * worse version is promoted by hand, and its evaluation asks the retraining pipeline for a model.
 */
export async function evaluationChapter(c: DemoContext): Promise<void> {
  const baseline = await evaluate(c);
  c.say(`evaluation of ${baseline.version}: ${accuracyText(baseline)}: the baseline`);

  await c.api.post(`/v1/models/${c.model}/versions/weak-v1/promote`);
  c.say('a regression ships: weak-v1 promoted by hand; it now answers all traffic');
  const served = await serveBatches(c.api, c.model, loadDigits('heldback'));
  await sendLabels(c.api, served);
  c.say(`  ${served.length} held-back images answered by ${served[0].version}, labels sent`);

  const current = await evaluate(c);
  const drop = current.dropPp === null ? '' : `, drop ${current.dropPp.toFixed(2)} pp${ci(current.dropInterval, 1)}`;
  const verdict = current.retrainingRequested ? 'retraining requested' : 'no retraining requested';
  c.say(`evaluation of ${current.version}: ${accuracyText(current)}${drop} -> ${verdict}`);
  if (current.rule) c.say(`  rule: ${current.rule.decision}: ${current.rule.reason}`);
  if (current.retrainingRequested)
    await c.receiver.waitFor((a) => a.type === 'retraining.requested', 'retraining.requested');
}

/** POST /v1/models/:name/evaluations over the demo so far (the feedback source). */
async function evaluate(c: DemoContext): Promise<Evaluation> {
  const window = {
    from: new Date(c.startedAt.getTime() - 60_000).toISOString(),
    to: new Date(Date.now() + 60_000).toISOString(),
  };
  const answer = await c.api.post<{ evaluations: Evaluation[] }>(`/v1/models/${c.model}/evaluations`, window);
  const feedback = answer.evaluations.find((e) => e.source === 'feedback');
  if (!feedback) throw new Error(`no feedback evaluation in ${JSON.stringify(answer)}`);
  return feedback;
}

const ci = (i: Interval | null, scale: number) =>
  i ? ` [${(i.lower * scale).toFixed(1)}, ${(i.upper * scale).toFixed(1)}]` : '';

const accuracyText = (e: Evaluation) =>
  `accuracy ${(e.accuracy * 100).toFixed(2)}%${ci(e.accuracyInterval, 100)} on ${e.n} labels`;
