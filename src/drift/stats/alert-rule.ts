import type { DriftState } from './drift-decision';

/** What a stored drift report carries forward for the next check. */
export interface AlertState {
  /** Consecutive `drift` checks, this one included. */
  driftStreak: number;
  alerting: boolean;
}

/**
 * The DESIGN's alert rule: alerting starts on the way into `drift` after `alertAfterChecks`
 * consecutive drifting checks (`drift.detected`) and ends on the way back to `ok`
 * (`drift.resolved`); nothing repeats while the state holds, and `insufficient_data` keeps
 * whatever was outstanding. Shared by the drift check and the alert simulation.
 */
export function nextAlertState(previous: AlertState | null, state: DriftState, alertAfterChecks: number): AlertState {
  const driftStreak = state === 'drift' ? (previous?.driftStreak ?? 0) + 1 : 0;
  const wasAlerting = previous?.alerting ?? false;
  const alerting =
    state === 'drift' ? wasAlerting || driftStreak >= alertAfterChecks : state === 'ok' ? false : wasAlerting;
  return { driftStreak, alerting };
}
