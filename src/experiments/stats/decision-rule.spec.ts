import { decide } from './decision-rule';
import { mixtureConfidenceSequence } from './confidence-sequence';

/** mulberry32: a small seeded PRNG, so the simulation is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One experiment: labels alternate between arms, the rule is checked after every 100 labels. */
function simulate(pChampion: number, pChallenger: number, random: () => number, maxLabels = 20_000) {
  const champion = { correct: 0, n: 0 };
  const challenger = { correct: 0, n: 0 };
  for (let label = 1; label <= maxLabels; label++) {
    const arm = label % 2 === 0 ? champion : challenger;
    arm.n++;
    if (random() < (arm === champion ? pChampion : pChallenger)) arm.correct++;
    if (label % 100 !== 0) continue;
    const outcome = decide({ champion, challenger, level: 0.95, minSamples: 100, margin: 0 });
    if (outcome.verdict !== 'continue') return outcome.verdict;
  }
  return 'continue';
}

function rates(pChampion: number, pChallenger: number, runs: number, seed: number) {
  const random = prng(seed);
  const counts = { challenger_better: 0, champion_holds: 0, continue: 0 };
  for (let run = 0; run < runs; run++) counts[simulate(pChampion, pChallenger, random)]++;
  return { promoted: counts.challenger_better / runs, held: counts.champion_holds / runs };
}

describe('decide', () => {
  it('waits for the minimum samples in both arms', () => {
    const outcome = decide({
      champion: { correct: 10, n: 99 },
      challenger: { correct: 99, n: 100 },
      level: 0.95,
      minSamples: 100,
      margin: 0,
    });
    expect(outcome).toEqual({ verdict: 'continue', reason: 'min_samples', interval: null });
  });

  it('promotes only above the margin, stops below zero', () => {
    const base = { level: 0.95, minSamples: 10, margin: 0 };
    const better = decide({ ...base, champion: { correct: 800, n: 1000 }, challenger: { correct: 950, n: 1000 } });
    expect(better.verdict).toBe('challenger_better');
    const strict = { ...base, margin: 0.2 };
    expect(
      decide({ ...strict, champion: { correct: 800, n: 1000 }, challenger: { correct: 950, n: 1000 } }).verdict,
    ).toBe('continue');
    const worse = decide({ ...base, champion: { correct: 950, n: 1000 }, challenger: { correct: 800, n: 1000 } });
    expect(worse.verdict).toBe('champion_holds');
  });

  it('the always-valid interval is wider than the fixed-n interval and shrinks with n', () => {
    const small = mixtureConfidenceSequence({ correct: 90, n: 100 }, { correct: 95, n: 100 }, 0.95);
    const large = mixtureConfidenceSequence({ correct: 9000, n: 10000 }, { correct: 9500, n: 10000 }, 0.95);
    expect(small.difference).toBeCloseTo(0.05, 12);
    expect(small.upper - small.lower).toBeGreaterThan(large.upper - large.lower);
    // Fixed-n Wald half-width at n=10000 is 1.96·sqrt(V) ≈ 0.0073; the sequence pays for peeking.
    expect((large.upper - large.lower) / 2).toBeGreaterThan(0.0073);
  });

  it('A/A, checked every 100 labels up to 20,000: false switches in at most 5% of runs', () => {
    const { promoted } = rates(0.9599, 0.9599, 300, 7);
    process.stdout.write(`A/A false switch rate ${promoted}\n`);
    expect(promoted).toBeLessThanOrEqual(0.05);
  });

  it('digits cnn (95.99%) vs weak (86.64%): the better model wins in at least 95% of runs', () => {
    const better = rates(0.8664, 0.9599, 300, 11);
    const worse = rates(0.9599, 0.8664, 300, 13);
    process.stdout.write(`power: promoted ${better.promoted}, held ${worse.held}\n`);
    expect(better.promoted).toBeGreaterThanOrEqual(0.95);
    expect(worse.held).toBeGreaterThanOrEqual(0.95);
  });
});
