/** One arm's failed inferences and its logged (successful) predictions. */
export interface ArmOutcomes {
  errors: number;
  predictions: number;
}

export interface ErrorRateGuardInput {
  champion: ArmOutcomes;
  challenger: ArmOutcomes;
  /** Largest allowed challenger − champion error rate (0..1). */
  maxIncrease: number;
  /** Requests the challenger must have served before the guard can hold anything. */
  minRequests: number;
}

/**
 * Error rate = errors / requests, requests = logged predictions + errors. Holds a promotion when
 * the challenger's rate exceeds the champion's by more than maxIncrease; below minRequests a few
 * early failures would decide too much, so it passes.
 */
export function errorRateGuard({ champion, challenger, maxIncrease, minRequests }: ErrorRateGuardInput) {
  const rate = (arm: ArmOutcomes) => {
    const requests = arm.predictions + arm.errors;
    return requests === 0 ? null : arm.errors / requests;
  };
  const championRate = rate(champion);
  const challengerRate = rate(challenger);
  const challengerRequests = challenger.predictions + challenger.errors;
  // A champion with no requests yet is compared as error-free: the challenger must earn its rate.
  const increase = challengerRate === null ? null : challengerRate - (championRate ?? 0);
  const enough = challengerRequests >= minRequests;
  return {
    championErrors: champion.errors,
    championRequests: champion.predictions + champion.errors,
    championRate,
    challengerErrors: challenger.errors,
    challengerRequests,
    challengerRate,
    increase,
    maxIncrease,
    minRequests,
    ok: !enough || increase === null || increase <= maxIncrease,
  };
}
