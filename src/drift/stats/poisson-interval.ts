import { chiSquareUpperQuantile } from './chi-square';

/**
 * Garwood's exact two-sided interval for a Poisson mean after `events` events:
 * [chi2_{alpha/2}(2x) / 2, chi2_{1-alpha/2}(2x + 2) / 2], the lower bound 0 when x = 0.
 * Divide by the exposure (e.g. simulated model-months) for a rate.
 */
export function poissonMeanInterval(events: number, level = 0.95): [number, number] {
  if (!Number.isInteger(events) || events < 0) throw new RangeError(`events must be a count, got ${events}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const alpha = 1 - level;
  const lower = events === 0 ? 0 : chiSquareUpperQuantile(1 - alpha / 2, 2 * events) / 2;
  return [lower, chiSquareUpperQuantile(alpha / 2, 2 * events + 2) / 2];
}
