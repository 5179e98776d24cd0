import { LeaderboardEntry, percentile, rankVersions, recommend, speedOf, VersionFacts } from './leaderboard-ranking';

const facts = (version: string, role = 'challenger'): VersionFacts => ({
  id: version,
  version,
  role,
  kind: 'plain',
  variantOf: null,
  members: null,
  labels: 10,
  fileBytes: 1,
  parameters: 1,
  provider: 'cpu',
});
/** n items: the first `right` answered right (rank 0), the rest with the true label at rank 3. */
const outcomes = (n: number, right: number) => Array.from({ length: n }, (_, i) => ({ labelRank: i < right ? 0 : 3 }));
const speed = (p99: number) => speedOf([p99 / 2, p99], [10]);

describe('percentile (nearest rank)', () => {
  it.each<[number[], number, number]>([
    [[5, 1, 3, 2, 4], 0.5, 3],
    [[5, 1, 3, 2, 4], 0.99, 5],
    [Array.from({ length: 200 }, (_, i) => i + 1), 0.99, 198],
    [[7], 0.99, 7],
  ])('case %# (q = %d)', (times, q, expected) => expect(percentile(times, q)).toBe(expected));
});

describe('rankVersions and recommend', () => {
  // Champion right on 80 of 200; "better" right on the same 80 plus 40 more (p far below 0.05);
  // "slightly" right on the same 80 plus 2 (not significant); "slow" as good as "better" but slower.
  const entries: LeaderboardEntry[] = rankVersions([
    { facts: facts('champ', 'champion'), outcomes: outcomes(200, 80), speed: speed(1) },
    { facts: facts('slightly'), outcomes: outcomes(200, 82), speed: speed(1) },
    { facts: facts('better'), outcomes: outcomes(200, 120), speed: speed(2) },
    { facts: facts('slow'), outcomes: outcomes(200, 120), speed: speed(9) },
  ]);

  it('ranks by top-1 accuracy, then p99; pairs each with the champion', () => {
    expect(entries.map((e) => [e.rank, e.version])).toEqual([
      [1, 'better'],
      [2, 'slow'],
      [3, 'slightly'],
      [4, 'champ'],
    ]);
    expect(entries[0].vsChampion).toMatchObject({ championOnly: 0, challengerOnly: 40 });
    expect(entries[3].vsChampion).toBeNull();
    expect(entries[0].top5).toMatchObject({ correct: 200, accuracy: 1 });
  });

  it('recommends the most accurate significant version within the budget, else the champion', () => {
    expect(recommend(entries, null).version).toBe('better');
    expect(recommend(entries, 1.5)).toMatchObject({ version: 'champ', champion: true });
    expect(recommend(entries, 1.5).reason).toMatch(/none of the 1 other versions within the budget/);
    expect(recommend(entries, 0.5).reason).toMatch(/no other version .* champion itself is over the budget/);
  });

  it('has no top-5 below 5 labels', () => {
    const [entry] = rankVersions([
      { facts: { ...facts('a', 'champion'), labels: 4 }, outcomes: outcomes(3, 1), speed: speed(1) },
    ]);
    expect(entry.top5).toBeNull();
  });
});
