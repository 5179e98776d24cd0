import { argmax, combineVotes } from './voting';

const rows = (...values: number[][]) => values.map((v) => Float32Array.from(v));

describe('combineVotes', () => {
  it('soft: the weighted mean of the member probabilities', () => {
    const out = combineVotes(rows([0.6, 0.4], [0.2, 0.8], [0.5, 0.5]), 'soft', [2, 1, 1]);
    // Inputs are float32: 0.6 and 0.2 are not exact, hence 6 digits.
    expect(out[0]).toBeCloseTo((1.2 + 0.2 + 0.5) / 4, 6);
    expect(out[1]).toBeCloseTo((0.8 + 0.8 + 0.5) / 4, 6);
  });

  it('hard: the majority wins even against a more confident minority', () => {
    // Mean probability favours class 2 (0.98 + ...), but two members pick class 0.
    const out = combineVotes(rows([0.5, 0.1, 0.4], [0.46, 0.1, 0.44], [0.01, 0.01, 0.98]), 'hard', [1, 1, 1]);
    expect(argmax(out)).toBe(0);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('hard: a tie goes to the highest mean probability, not the lowest index', () => {
    // Votes: class 0 and class 1 one each (2 members); mean of class 1 is higher.
    const out = combineVotes(rows([0.55, 0.45], [0.1, 0.9]), 'hard', [1, 1]);
    expect(argmax(out)).toBe(1);
    expect(out[1]).toBeCloseTo((1 + 0.675) / 3, 6);
  });

  it('hard: five members split 2-2-1, the tie broken by mean probability', () => {
    const out = combineVotes(
      rows([0.5, 0.3, 0.2], [0.5, 0.2, 0.3], [0.2, 0.6, 0.2], [0.1, 0.7, 0.2], [0.3, 0.3, 0.4]),
      'hard',
      [1, 1, 1, 1, 1],
    );
    // Class means 0.32, 0.42, 0.26: class 1 wins the 2-2 tie with class 0.
    expect(argmax(out)).toBe(1);
    expect(out[1]).toBeCloseTo((2 + 0.42) / 6, 6);
    expect(out[2]).toBeCloseTo((1 + 0.26) / 6, 6);
  });
});
