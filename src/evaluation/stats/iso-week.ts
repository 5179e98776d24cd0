const DAY_MS = 24 * 3600 * 1000;

export interface Window {
  from: Date;
  to: Date;
}

/** ISO 8601 week of a UTC instant, e.g. "2026-W48" (weeks start on Monday; week 1 holds a Thursday). */
export function isoWeek(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  const thursday = new Date(day.getTime() + (4 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.ceil(((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday 00:00 UTC of the week holding `at`. */
export function weekStart(at: Date): Date {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const weekday = new Date(day).getUTCDay() || 7;
  return new Date(day - (weekday - 1) * DAY_MS);
}

/** The previous complete ISO week at `now`: Monday 00:00 to Monday 00:00 UTC. */
export function previousWeek(now: Date): Window & { week: string } {
  const to = weekStart(now);
  const from = new Date(to.getTime() - 7 * DAY_MS);
  return { from, to, week: isoWeek(from) };
}

/** The ISO week a window belongs to: the week of its last instant. */
export function weekOfWindow(window: Window): string {
  return isoWeek(new Date(window.to.getTime() - 1));
}
