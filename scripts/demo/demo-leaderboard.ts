import { basename } from 'node:path';
import { imagesForm, loadDigits } from './demo-digits';
import type { DemoContext } from './demo-story';

interface Entry {
  rank: number;
  version: string;
  top1: { accuracy: number };
  vsChampion: { pValue: number } | null;
  speed: { batch1: { p99Ms: number }; batch32: { imagesPerSecond: number } };
}

interface Leaderboard {
  id: string;
  measuredAt: string;
  entries: Entry[];
  recommend: { version: string | null; reason: string };
}

/** The held-back images as an evaluation set, and the leaderboard of every live version on it (a job). */
export async function leaderboardChapter(c: DemoContext): Promise<{ setId: string; leaderboardId: string }> {
  const images = loadDigits('heldback');
  const form = imagesForm(images);
  form.append('name', 'heldback');
  form.append('labels', ['file,label', ...images.map((i) => `${basename(i.file)},${i.label}`)].join('\n'));
  const set = await c.api.form<{ id: string }>(`/v1/models/${c.model}/evaluation-sets`, form);
  const job = await c.api.post<{ id: string }>(`/v1/models/${c.model}/leaderboard`, { set: set.id });
  const deadline = Date.now() + 120_000;
  for (let status = 'queued'; status !== 'completed';) {
    ({ status } = await c.api.get<{ status: string }>(`/v1/models/${c.model}/leaderboards/${job.id}`));
    if (status === 'failed' || Date.now() > deadline) throw new Error(`leaderboard ${job.id}: ${status}`);
    if (status !== 'completed') await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const board = await c.api.get<Leaderboard>(`/v1/models/${c.model}/leaderboard?set=${set.id}&latency_budget_ms=5`);
  c.say(`leaderboard on the ${images.length} held-back images (measured ${board.measuredAt}):`);
  for (const e of board.entries) {
    const p = e.vsChampion ? `McNemar p vs champion ${e.vsChampion.pValue.toPrecision(2)}` : 'champion';
    const speed = `p99 ${e.speed.batch1.p99Ms.toFixed(2)} ms, ${Math.round(e.speed.batch32.imagesPerSecond)} img/s at 32`;
    c.say(`  ${e.rank}. ${e.version}: top-1 ${(e.top1.accuracy * 100).toFixed(1)}%, ${p}, ${speed}`);
  }
  c.say(`  recommend within 5 ms: ${board.recommend.version} (${board.recommend.reason})`);
  return { setId: set.id, leaderboardId: board.id };
}
