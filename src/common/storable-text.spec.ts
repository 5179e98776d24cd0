import { assertStorableText, unstorableReason } from './storable-text';

describe('issue 14.3: text Postgres cannot store', () => {
  it.each([
    ['plain', undefined],
    ['emoji \ud83d\ude00 pair', undefined],
    ['', undefined],
    ['a\u0000b', 'a NUL character (\\u0000)'],
    ['\ud800', 'an unpaired UTF-16 surrogate (\\ud800) at character 0'],
    ['ab\udc00', 'an unpaired UTF-16 surrogate (\\udc00) at character 2'],
    ['\ude00\ud83d', 'an unpaired UTF-16 surrogate (\\ude00) at character 0'],
    ['\ud83d\ud83d\ude00', 'an unpaired UTF-16 surrogate (\\ud83d) at character 0'],
  ])('%j: %s', (text, reason) => {
    expect(unstorableReason(text)).toBe(reason);
  });

  it('names the field, the array index and keys, as parseInput does', () => {
    const check = (value: unknown) => () => assertStorableText(value, 'body');
    expect(check({ labels: ['a', 'b', 'c\ud800'] })).toThrow(/^labels\.2: contains an unpaired/);
    expect(check({ nested: { ['k\u0000']: 1 } })).toThrow('nested.k\u0000 (a key): contains a NUL');
    expect(check('\udfff')).toThrow(/^body: contains an unpaired/);
    expect(check({ labels: ['a', 'b'], n: 3, ok: null, bytes: Buffer.from([0]) })).not.toThrow();
  });
});
