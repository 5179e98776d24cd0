import { loadDigits, sendLabels, serveBatches, serveBrightened, accuracyOf } from './demo-digits';
import type { DemoContext } from './demo-story';

interface StatusRow {
  model: string;
  version: string;
  state: string;
  checkedAt: string | null;
  signals: Record<string, string>;
}

interface SignalReport {
  signal: string;
  state: string;
  kl: number;
  threshold: number;
  nCurrent: number;
}

export const BRIGHTNESS_SHIFT = 90;

/** Normal traffic (ok), then the same images brightened (drift), watched through the polled status. */
export async function driftChapter(c: DemoContext): Promise<void> {
  const heldback = loadDigits('heldback');
  c.say(`normal traffic: ${heldback.length} held-back images to ${c.model} (the champion answers), with their labels`);
  const served = await serveBatches(c.api, c.model, heldback);
  await sendLabels(c.api, served);
  c.say(`  answered by ${served[0].version}, ${(accuracyOf(served) * 100).toFixed(1)}% correct`);
  const normal = await waitForState(c, 'cnn-v1', new Date(), (state) => state !== 'insufficient_data');
  c.say(`drift state of cnn-v1: ${normal.state}  ${await klLine(c, 'cnn-v1')}`);

  c.say(`shifted traffic: the same ${heldback.length} images brightened by +${BRIGHTNESS_SHIFT}/255 (exposure change)`);
  await serveBrightened(c.api, c.model, heldback, BRIGHTNESS_SHIFT);
  const drifted = await waitForState(c, 'cnn-v1', new Date(), (state) => state === 'drift');
  c.say(`drift state of cnn-v1: ${normal.state} -> ${drifted.state}  ${await klLine(c, 'cnn-v1')}`);
  await c.receiver.waitFor((a) => a.type === 'drift.detected', 'drift.detected');
}

/**
 * Polls GET /v1/drift/status as a dashboard does (If-None-Match, 304 when nothing changed) until
 * a check newer than `after` reports an accepted state for the version.
 */
async function waitForState(c: DemoContext, version: string, after: Date, accept: (state: string) => boolean) {
  let etag: string | undefined;
  let rows: StatusRow[] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await c.api.poll<{ models: StatusRow[] }>('/v1/drift/status', etag);
    if (!answer.notModified) [etag, rows] = [answer.etag, answer.body!.models];
    const row = rows.find((r) => r.model === c.model && r.version === version);
    if (row?.checkedAt && Date.parse(row.checkedAt) > after.getTime() && accept(row.state)) return row;
    if (Date.now() > deadline) throw new Error(`drift status of ${version} stayed ${row?.state ?? 'absent'} for 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The latest stored report's KL per signal, drifting ones first. */
async function klLine(c: DemoContext, version: string): Promise<string> {
  const detail = await c.api.get<{ signals: SignalReport[] }>(`/v1/models/${c.model}/drift?version=${version}`);
  const signals = [...detail.signals].sort((a, b) => b.kl - a.kl);
  const parts = signals.map((s) => `${s.signal} ${s.kl.toFixed(3)}${s.state === 'drift' ? '!' : ''}`);
  return `KL (threshold ${signals[0]?.threshold ?? '?'}, n=${signals[0]?.nCurrent ?? 0}): ${parts.join(', ')}`;
}
