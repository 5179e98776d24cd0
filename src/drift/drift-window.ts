import type { DriftWindow } from './drift-check.service';

const MINUTE_MS = 60_000;

/**
 * Histogram counts are stored per UTC minute (the minute a prediction was made in), and a window
 * [from, to) sums the minutes that start in it. An on-demand range is widened to whole minutes,
 * `from` down and `to` up, so that every prediction made in the range is counted (a range inside
 * one minute counts that minute instead of nothing); the answer echoes the window used.
 */
export function wholeMinutes(window: DriftWindow): DriftWindow {
  return {
    from: new Date(Math.floor(window.from.getTime() / MINUTE_MS) * MINUTE_MS),
    to: new Date(Math.ceil(window.to.getTime() / MINUTE_MS) * MINUTE_MS),
  };
}
