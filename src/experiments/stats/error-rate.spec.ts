import { errorRateGuard } from './error-rate';

const arm = (errors: number, predictions: number) => ({ errors, predictions });

describe('errorRateGuard', () => {
  it.each([
    // [champion, challenger, maxIncrease, minRequests, ok, increase]
    ['equal rates', arm(10, 990), arm(10, 990), 0.01, 100, true, 0],
    ['challenger worse by 5 points', arm(10, 990), arm(60, 940), 0.01, 100, false, 0.05],
    ['challenger worse by 0.5 point, within 1', arm(0, 1000), arm(5, 995), 0.01, 100, true, 0.005],
    ['challenger exactly at the limit', arm(0, 1000), arm(1, 99), 0.01, 100, true, 0.01],
    ['challenger better (champion fails more)', arm(60, 940), arm(0, 1000), 0.01, 100, true, -0.06],
    ['below the minimum requests: passes', arm(0, 1000), arm(30, 40), 0.01, 100, true, 30 / 70],
    ['at the minimum requests: holds', arm(0, 1000), arm(30, 70), 0.01, 100, false, 0.3],
    ['champion with no requests counts as error-free', arm(0, 0), arm(20, 180), 0.01, 100, false, 0.1],
    ['challenger with no requests', arm(5, 95), arm(0, 0), 0.01, 0, true, null],
  ])('%s', (_, champion, challenger, maxIncrease, minRequests, ok, increase) => {
    const guard = errorRateGuard({ champion, challenger, maxIncrease, minRequests });
    expect(guard.ok).toBe(ok);
    if (increase === null) expect(guard.increase).toBeNull();
    else expect(guard.increase).toBeCloseTo(increase, 12);
  });

  it('reports the counts and rates it decided on', () => {
    const guard = errorRateGuard({
      champion: arm(2, 98),
      challenger: arm(30, 170),
      maxIncrease: 0.01,
      minRequests: 100,
    });
    expect(guard).toEqual({
      championErrors: 2,
      championRequests: 100,
      championRate: 0.02,
      challengerErrors: 30,
      challengerRequests: 200,
      challengerRate: 0.15,
      increase: expect.closeTo(0.13, 12),
      maxIncrease: 0.01,
      minRequests: 100,
      ok: false,
    });
  });
});
