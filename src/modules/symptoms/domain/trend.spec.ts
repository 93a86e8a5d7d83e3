import {
  assessSeries,
  bucketCount,
  bucketFrames,
  chooseBucketUnit,
  leastSquares,
  overallDirection,
  SeriesRules,
  SeriesTrend,
  TREND_RULES,
} from './trend';

const counts: SeriesRules = {
  threshold: TREND_RULES.countChangeThreshold,
  minBuckets: TREND_RULES.minBuckets,
  minTotal: TREND_RULES.minEntries,
};
const series = (...ys: number[]) => ys.map((y, x) => ({ x, y }));
const sum = (ys: number[]) => ys.reduce((s, y) => s + y, 0);
const naive = (text: string) => Date.parse(`${text}Z`);

describe('leastSquares', () => {
  it('fits a line exactly through collinear points', () => {
    expect(leastSquares(series(1, 3, 5, 7))).toEqual({ slope: 2, intercept: 1 });
  });

  it('fits the best line through scattered points', () => {
    const fit = leastSquares([
      { x: 0, y: 2 },
      { x: 1, y: 1 },
      { x: 2, y: 4 },
      { x: 3, y: 3 },
    ]);
    expect(fit?.slope).toBeCloseTo(0.6);
    expect(fit?.intercept).toBeCloseTo(1.6);
  });

  it('has no line through fewer than two distinct x', () => {
    expect(leastSquares([])).toBeNull();
    expect(leastSquares([{ x: 1, y: 4 }])).toBeNull();
    expect(
      leastSquares([
        { x: 2, y: 1 },
        { x: 2, y: 5 },
      ]),
    ).toBeNull();
  });
});

describe('assessSeries', () => {
  it('reads fewer entries over time as improving, with the figures a reply needs', () => {
    const ys = [8, 6, 6, 4, 2, 2];
    const trend = assessSeries(series(...ys), sum(ys), counts);
    // slope -22/17.5 per bucket, mean 28/6: -0.269 per bucket, -1.347 over the 5 steps.
    expect(trend).toEqual({
      direction: 'improving',
      buckets: 6,
      mean: 4.67,
      slopePerBucket: -1.257,
      relativeSlope: -0.269,
      relativeChange: -1.347,
      firstHalfMean: 6.67,
      secondHalfMean: 2.67,
    });
  });

  it('reads more entries over time as worsening', () => {
    const ys = [1, 2, 2, 3, 5, 6];
    expect(assessSeries(series(...ys), sum(ys), counts).direction).toBe('worsening');
  });

  it('calls small changes stable, on either side of the 25 % threshold', () => {
    // mean 5, slope 0.2 over 5 steps: +20 % → stable.
    expect(assessSeries(series(4.5, 4.7, 4.9, 5.1, 5.3, 5.5), 30, counts).direction).toBe('stable');
    // mean 4, slope 0.25 over 4 steps: exactly +25 % → worsening.
    expect(assessSeries(series(3.5, 3.75, 4, 4.25, 4.5), 20, counts).direction).toBe('worsening');
    expect(assessSeries(series(4.5, 4.25, 4, 3.75, 3.5), 20, counts).direction).toBe('improving');
    expect(assessSeries(series(3, 3, 3, 3), 12, counts)).toMatchObject({
      direction: 'stable',
      slopePerBucket: 0,
      relativeChange: 0,
    });
  });

  it('needs 3 buckets and 5 entries', () => {
    expect(assessSeries(series(9, 1), 10, counts).direction).toBe('not_enough_data');
    expect(assessSeries(series(2, 1, 1), 4, counts).direction).toBe('not_enough_data');
    expect(assessSeries(series(3, 1, 1), 5, counts).direction).toBe('improving');
    expect(assessSeries([], 0, counts)).toEqual({
      direction: 'not_enough_data',
      buckets: 0,
      mean: null,
      slopePerBucket: null,
      relativeSlope: null,
      relativeChange: null,
      firstHalfMean: null,
      secondHalfMean: null,
    });
  });

  it('measures the change over the buckets spanned, gaps included', () => {
    const trend = assessSeries(
      [
        { x: 0, y: 6 },
        { x: 4, y: 4 },
        { x: 8, y: 2 },
      ],
      12,
      counts,
    );
    expect(trend).toMatchObject({ slopePerBucket: -0.5, relativeChange: -1, mean: 4 });
    // The middle point is left out of the halves when their number is odd.
    expect(trend).toMatchObject({ firstHalfMean: 6, secondHalfMean: 2 });
  });

  it('is stable, not a division by zero, when the mean is zero', () => {
    expect(assessSeries(series(0, 0, 0), 5, counts)).toMatchObject({
      direction: 'stable',
      relativeSlope: null,
      relativeChange: null,
    });
  });
});

describe('overallDirection', () => {
  const of = (direction: SeriesTrend['direction']) => ({ direction }) as SeriesTrend;

  it('follows the counts, and the severity only when the counts are stable', () => {
    expect(overallDirection(of('improving'), of('worsening'))).toBe('improving');
    expect(overallDirection(of('worsening'), of('stable'))).toBe('worsening');
    expect(overallDirection(of('stable'), of('worsening'))).toBe('worsening');
    expect(overallDirection(of('stable'), of('improving'))).toBe('improving');
    expect(overallDirection(of('stable'), of('not_enough_data'))).toBe('stable');
    expect(overallDirection(of('not_enough_data'), of('worsening'))).toBe('not_enough_data');
  });
});

describe('chooseBucketUnit', () => {
  it('uses weeks up to 12 weeks and months beyond', () => {
    expect(chooseBucketUnit(7)).toBe('week');
    expect(chooseBucketUnit(84)).toBe('week');
    expect(chooseBucketUnit(84.5)).toBe('month');
    expect(chooseBucketUnit(183)).toBe('month');
  });
});

describe('bucketFrames', () => {
  it('starts weeks on Monday and gives partial weeks their coverage', () => {
    // Wed 4 Feb 12:00 to Thu 19 Feb 00:00 2026.
    const frames = bucketFrames(naive('2026-02-04T12:00:00'), naive('2026-02-19T00:00:00'), 'week');
    expect(frames).toEqual([
      { start: '2026-02-02', end: '2026-02-09', coverage: 0.643 }, // 4.5 of 7 days
      { start: '2026-02-09', end: '2026-02-16', coverage: 1 },
      { start: '2026-02-16', end: '2026-02-23', coverage: 0.429 }, // 3 of 7 days
    ]);
  });

  it('keeps the DST week a calendar week (Monday to Monday, wall clock)', () => {
    const frames = bucketFrames(naive('2026-03-23T00:00:00'), naive('2026-04-06T00:00:00'), 'week');
    expect(frames.map((f) => [f.start, f.end, f.coverage])).toEqual([
      ['2026-03-23', '2026-03-30', 1],
      ['2026-03-30', '2026-04-06', 1],
    ]);
  });

  it('cuts months on the 1st, across a year end, with partial months', () => {
    const frames = bucketFrames(
      naive('2025-11-16T00:00:00'),
      naive('2026-02-15T00:00:00'),
      'month',
    );
    expect(frames).toEqual([
      { start: '2025-11-01', end: '2025-12-01', coverage: 0.5 },
      { start: '2025-12-01', end: '2026-01-01', coverage: 1 },
      { start: '2026-01-01', end: '2026-02-01', coverage: 1 },
      { start: '2026-02-01', end: '2026-03-01', coverage: 0.5 },
    ]);
  });

  it('counts buckets without building them', () => {
    const cases: [string, string, 'week' | 'month'][] = [
      ['2026-02-04T12:00:00', '2026-02-19T00:00:00', 'week'],
      ['2026-02-02T00:00:00', '2026-02-09T00:00:00', 'week'],
      ['2025-11-16T00:00:00', '2026-02-15T00:00:00', 'month'],
      ['2026-01-01T00:00:00', '2026-02-01T00:00:00', 'month'],
      ['2016-01-01T00:00:00', '2026-02-01T00:00:00', 'week'],
    ];
    for (const [from, to, unit] of cases) {
      expect(bucketCount(naive(from), naive(to), unit)).toBe(
        bucketFrames(naive(from), naive(to), unit).length,
      );
    }
  });
});
