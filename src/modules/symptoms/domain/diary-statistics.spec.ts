import { averageOf, differenceOf, percentChange, roundHalfAway, shareOf } from './diary-statistics';

describe('diary statistics arithmetic', () => {
  it('rounds half away from zero, never to -0', () => {
    expect(roundHalfAway(37.5)).toBe(38);
    expect(roundHalfAway(-37.5)).toBe(-38);
    expect(roundHalfAway(1.15, 1)).toBe(1.2);
    expect(roundHalfAway(-1.15, 1)).toBe(-1.2);
    expect(Object.is(roundHalfAway(-0.01, 1), 0)).toBe(true);
  });

  it('averages to one decimal, half up, and has no average of nothing', () => {
    expect(averageOf(25, 4)).toBe(6.3); // 6.25
    expect(averageOf(27, 4)).toBe(6.8); // 6.75
    expect(averageOf(20, 3)).toBe(6.7);
    expect(averageOf(7, 1)).toBe(7);
    expect(averageOf(0, 0)).toBeNull();
  });

  it('shares to two decimals', () => {
    expect(shareOf(1, 3)).toBe(0.33);
    expect(shareOf(2, 3)).toBe(0.67);
    expect(shareOf(4, 4)).toBe(1);
    expect(shareOf(0, 0)).toBeNull();
  });

  it('differences averages to one decimal, only when both exist', () => {
    expect(differenceOf(5.1, 6.3)).toBe(1.2);
    expect(differenceOf(6.3, 5.1)).toBe(-1.2);
    expect(differenceOf(4, 4)).toBe(0);
    expect(Object.is(differenceOf(4.1, 4.1), -0)).toBe(false);
    expect(differenceOf(null, 4)).toBeNull();
  });

  it('gives a change in whole percent of the first figure', () => {
    expect(percentChange(8, 5)).toBe(-38);
    expect(percentChange(4, 6)).toBe(50);
    expect(percentChange(3, 3)).toBe(0);
    expect(percentChange(0, 3)).toBeNull();
  });
});
