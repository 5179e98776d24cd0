import { summarise } from './confusion';

describe('summarise', () => {
  it('builds the confusion matrix and per-class precision and recall', () => {
    const pairs = [
      { label: 0, predicted: 0 },
      { label: 0, predicted: 1 },
      { label: 1, predicted: 1 },
      { label: 1, predicted: 1 },
      { label: 2, predicted: 1 },
    ];
    const summary = summarise(pairs, ['a', 'b', 'c']);
    expect(summary).toMatchObject({ n: 5, correct: 3 });
    expect(summary.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [0, 1, 0],
    ]);
    expect(summary.perClass).toEqual([
      { label: 'a', precision: 1, recall: 0.5, support: 2 },
      { label: 'b', precision: 0.5, recall: 1, support: 2 },
      { label: 'c', precision: null, recall: 0, support: 1 },
    ]);
  });

  it('rejects class indices outside the labels', () => {
    expect(() => summarise([{ label: 3, predicted: 0 }], ['a', 'b'])).toThrow(RangeError);
  });
});
