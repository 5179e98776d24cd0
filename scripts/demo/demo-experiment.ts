import { Digit, loadDigits, sendLabels, serveUnits } from './demo-digits';
import type { DemoContext } from './demo-story';

interface Decision {
  verdict: string;
  counts: Record<string, number>;
  difference: number | null;
  interval: { lower: number; upper: number } | null;
  decided_at: string;
}

interface ExperimentStatus {
  id: string;
  status: string;
  outcome: string | null;
  decisions: Decision[];
}

/**
 * weak-v1 is champion; cnn-v1 challenges it on half of the units. Labelled traffic arrives in
 * rounds and the scheduled analysis decides; the service promotes the challenger by itself.
 */
export async function experimentChapter(c: DemoContext) {
  const body = { challengerVersion: 'cnn-v1', trafficShare: 50, mode: 'split', minSamples: 100 };
  const experiment = await c.api.post<{ id: string }>(`/v1/models/${c.model}/experiments`, body);
  c.say(
    'A/B test: champion weak-v1 vs challenger cnn-v1 on 50% of units (mSPRT confidence sequence, ≥ 100 labels per arm)',
  );
  const rounds: Array<[string, Digit[]]> = [
    ['held-back', loadDigits('heldback')],
    ['reference', loadDigits('reference')],
    ['train', loadDigits('train')],
  ];
  let status: ExperimentStatus | undefined;
  for (const [index, [split, images]] of rounds.entries()) {
    const served = await serveUnits(c.api, c.model, images, `${c.model}-round${index + 1}`);
    await sendLabels(c.api, served);
    const cnn = served.filter((s) => s.version === 'cnn-v1').length;
    c.say(
      `  round ${index + 1}: ${served.length} ${split} images, one unit each: ${cnn} to cnn-v1, ${served.length - cnn} to weak-v1, labelled`,
    );
    status = await waitForAnalysis(c, experiment.id, new Date());
    c.say(`  scheduled analysis: ${decisionText(status)}`);
    if (status.status !== 'running') break;
  }
  if (status?.outcome === 'challenger_better') {
    await c.receiver.waitFor((a) => a.type === 'experiment.concluded', 'experiment.concluded');
    await c.receiver.waitFor((a) => a.type === 'model.promoted' && a.data.reason === 'experiment', 'model.promoted');
    c.say('models switched: cnn-v1 is champion again, promoted by the experiment');
  } else c.say(`the experiment did not switch models (${status?.outcome ?? status?.status})`);
  return { experimentId: experiment.id, experimentOutcome: status?.outcome ?? null };
}

/** Polls the experiment until an analysis newer than `after` is stored (the schedule runs it). */
async function waitForAnalysis(c: DemoContext, id: string, after: Date): Promise<ExperimentStatus> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await c.api.get<ExperimentStatus>(`/v1/experiments/${id}?limit=1`);
    const latest = status.decisions[0];
    if (status.status !== 'running' || (latest && Date.parse(latest.decided_at) > after.getTime())) return status;
    if (Date.now() > deadline) throw new Error(`no analysis of experiment ${id} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function decisionText(status: ExperimentStatus): string {
  const d = status.decisions[0];
  if (!d) return status.status;
  const arm = (n: number, correct: number) => `${correct}/${n}`;
  const counts = `weak-v1 ${arm(d.counts.championN, d.counts.championCorrect)}, cnn-v1 ${arm(d.counts.challengerN, d.counts.challengerCorrect)} correct`;
  const interval = d.interval
    ? `, difference ${((d.difference ?? 0) * 100).toFixed(1)} pp [${(d.interval.lower * 100).toFixed(1)}, ${(d.interval.upper * 100).toFixed(1)}]`
    : '';
  return `${counts}${interval} -> ${d.verdict} (experiment ${status.status}${status.outcome ? `: ${status.outcome}` : ''})`;
}
