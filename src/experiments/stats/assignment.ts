import { createHash } from 'node:crypto';

/**
 * Bucket 0..9999 of a unit in an experiment: sha256(key ':' unit), first 4 bytes mod 10000.
 * Deterministic and sticky across replicas and restarts; the key salts it so units do not land
 * in the same arm in every experiment.
 */
export function bucketOf(experimentKey: string, unitId: string): number {
  const digest = createHash('sha256').update(`${experimentKey}:${unitId}`).digest();
  return digest.readUInt32BE(0) % 10_000;
}

/** True when the unit falls in the challenger's share (percent, 0 < share < 100). */
export function inChallengerShare(experimentKey: string, unitId: string, sharePercent: number): boolean {
  return bucketOf(experimentKey, unitId) < Math.round(sharePercent * 100);
}
