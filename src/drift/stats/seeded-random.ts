/** Seeded generators for the drift simulations (tests only): reproducible draws, no dependency. */
export type Random = () => number;

/** mulberry32: a 32-bit state PRNG, uniform on [0, 1); plenty for Monte Carlo checks. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal by Box-Muller (1 - u keeps the log argument in (0, 1]). */
export function normal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Index drawn with the given probabilities (they must sum to 1). */
export function categorical(random: Random, probabilities: readonly number[]): number {
  const u = random();
  let cumulative = 0;
  for (let i = 0; i < probabilities.length; i++) {
    cumulative += probabilities[i];
    if (u < cumulative) return i;
  }
  return probabilities.length - 1;
}

export function draw(random: Random, n: number, sampler: (random: Random) => number): number[] {
  const values = new Array<number>(n);
  for (let i = 0; i < n; i++) values[i] = sampler(random);
  return values;
}
