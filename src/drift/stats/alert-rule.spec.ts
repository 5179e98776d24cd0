import { nextAlertState, type AlertState } from './alert-rule';
import type { DriftState } from './drift-decision';

/** The alert states after each check, from no report, and the transitions they make. */
function run(states: DriftState[], alertAfterChecks: number): string {
  let previous: AlertState | null = null;
  return states
    .map((state) => {
      const next = nextAlertState(previous, state, alertAfterChecks);
      const event = next.alerting && !previous?.alerting ? 'D' : !next.alerting && previous?.alerting ? 'R' : '.';
      previous = next;
      return event;
    })
    .join('');
}

describe('nextAlertState', () => {
  it.each([
    // detected on the first drifting check, no repeat while it holds, resolved on the way back to ok
    [['ok', 'drift', 'drift', 'drift', 'ok', 'ok'], 1, '.D..R.'],
    // insufficient_data neither resolves nor detects
    [['drift', 'insufficient_data', 'drift', 'insufficient_data', 'ok'], 1, 'D...R'],
    // N consecutive drifting checks; a break (ok or insufficient_data) starts the count again
    [['drift', 'drift', 'ok', 'drift', 'insufficient_data', 'drift', 'drift', 'drift'], 3, '.......D'],
  ] as Array<[DriftState[], number, string]>)('%j after %i check(s): %s', (states, after, events) => {
    expect(run(states, after)).toBe(events);
  });

  it('counts the streak of drifting checks', () => {
    const first = nextAlertState(null, 'drift', 12);
    expect(first).toEqual({ driftStreak: 1, alerting: false });
    expect(nextAlertState({ driftStreak: 11, alerting: false }, 'drift', 12)).toEqual({
      driftStreak: 12,
      alerting: true,
    });
  });
});
