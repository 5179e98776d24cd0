import { isoWeek, previousWeek, weekOfWindow } from './iso-week';

describe('iso weeks', () => {
  it.each([
    ['2026-11-23T10:00:00Z', '2026-W48'],
    ['2021-01-03T23:59:59Z', '2020-W53'],
    ['2024-12-30T00:00:00Z', '2025-W01'],
    ['2026-01-01T00:00:00Z', '2026-W01'],
    ['2027-01-01T00:00:00Z', '2026-W53'],
  ])('%s is in %s', (at, week) => expect(isoWeek(new Date(at))).toBe(week));

  it('the previous complete week runs Monday to Monday UTC', () => {
    const window = previousWeek(new Date('2026-11-30T02:00:00Z'));
    expect(window).toEqual({
      from: new Date('2026-11-23T00:00:00Z'),
      to: new Date('2026-11-30T00:00:00Z'),
      week: '2026-W48',
    });
    expect(weekOfWindow(window)).toBe('2026-W48');
  });
});
