/** One line per outbox event for dashboards and logs, from the stored body; never throws. */

type Data = Record<string, unknown>;
type Summariser = (data: Data) => string;

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const fixed = (value: unknown, digits: number) => num(value)?.toFixed(digits) ?? '?';
const percent = (value: unknown) => (num(value) === null ? '?' : `${(num(value)! * 100).toFixed(1)}%`);

function modelOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '?';
  const { name, version } = value as { name?: unknown; version?: unknown };
  return `${String(name ?? '?')} ${String(version ?? '?')}`;
}

function interval(value: unknown, scale = 1): string {
  if (typeof value !== 'object' || value === null) return '';
  const { lower, upper } = value as { lower?: unknown; upper?: unknown };
  if (num(lower) === null || num(upper) === null) return '';
  return ` [${(num(lower)! * scale).toFixed(1)}, ${(num(upper)! * scale).toFixed(1)}]`;
}

const summarisers: Record<string, Summariser> = {
  'drift.detected': (d) => `${modelOf(d.model)}: ${String(d.signal)} KL ${fixed(d.kl, 3)} > ${fixed(d.threshold, 2)}`,
  'drift.resolved': (d) =>
    `${modelOf(d.model)}: ${String(d.signal)} back to ok, KL ${fixed(d.kl, 3)} ≤ ${fixed(d.threshold, 2)}`,
  'evaluation.completed': (d) =>
    `${modelOf(d.model)}: accuracy ${percent(d.accuracy)} on ${String(d.labelled ?? '?')} labels` +
    (num(d.baselineAccuracy) === null ? '' : ` (baseline ${percent(d.baselineAccuracy)})`),
  'retraining.requested': (d) =>
    `${modelOf(d.model)}: accuracy fell ${fixed(d.dropPp, 2)} pp${interval(d.dropInterval)} ` +
    `> ${fixed(d.thresholdPp, 1)} pp, ${percent(d.baselineAccuracy)} → ${percent(d.accuracy)}`,
  'experiment.concluded': (d) =>
    `${String(d.modelName)}: ${String(d.decision)}, challenger ${modelOf(d.challenger)} vs champion ` +
    `${modelOf(d.champion)}, difference ${fixed(num(d.difference) === null ? null : num(d.difference)! * 100, 1)} pp` +
    interval(d.interval, 100),
  'model.promoted': (d) =>
    `${modelOf(d.model)} promoted (${String(d.reason)})` +
    (d.previousChampion ? `, replacing ${modelOf(d.previousChampion)}` : ''),
  'webhook.test': (d) => `test event for endpoint ${String(d.endpointId)}`,
};

export function summariseEvent(type: string, body: string): string {
  try {
    const data = (JSON.parse(body) as { data?: unknown }).data;
    const summarise = summarisers[type];
    if (!summarise || typeof data !== 'object' || data === null) return type;
    return summarise(data as Data);
  } catch {
    return type;
  }
}
