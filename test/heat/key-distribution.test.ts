import { KeyDistribution, TimeBucket } from '../../src';

describe('KeyDistribution', () => {
  test('uniform: each of 4 values takes 1/4', () => {
    const d = KeyDistribution.uniform(4);
    expect(d.hottestValueShare).toBe(0.25);
    expect([1, 2, 3, 4, 5].map((r) => d.shareOfRank(r))).toEqual([0.25, 0.25, 0.25, 0.25, 0]);
    expect(d.values).toBe(4);
  });

  test('hottest share: the top value takes 50%, the other two split the rest, 25% each', () => {
    const d = KeyDistribution.hottestShare(0.5, 3);
    expect([1, 2, 3, 4].map((r) => d.shareOfRank(r))).toEqual([0.5, 0.25, 0.25, 0]);
  });

  test('hottest share without a count: only the top value is known', () => {
    const d = KeyDistribution.hottestShare(0.3);
    expect(d.hottestValueShare).toBe(0.3);
    expect(d.shareOfRank(2)).toBe(0);
    expect(d.values).toBeUndefined();
  });

  test('Zipf over 4 values, s = 1: H = 1 + 1/2 + 1/3 + 1/4 = 25/12, so the top value takes 12/25 = 48%', () => {
    const d = KeyDistribution.zipf(4, 1);
    // Rank k takes (1/k) / (25/12) = 12 / (25k).
    expect(d.shareOfRank(1)).toBeCloseTo(12 / 25, 12);
    expect(d.shareOfRank(2)).toBeCloseTo(6 / 25, 12);
    expect(d.shareOfRank(3)).toBeCloseTo(4 / 25, 12);
    expect(d.shareOfRank(4)).toBeCloseTo(3 / 25, 12);
    expect(d.shareOfRank(5)).toBe(0);
  });

  test('Zipf over 3 values, s = 2: H = 1 + 1/4 + 1/9 = 49/36, so the top value takes 36/49', () => {
    expect(KeyDistribution.zipf(3, 2).hottestValueShare).toBeCloseTo(36 / 49, 12);
  });

  test('Zipf over 2 million values, s = 1: H is about ln(2e6) + 0.5772 (Euler-Mascheroni) = 15.0859', () => {
    // Beyond a million terms the tail is integrated; ln(2,000,000) = 14.50866, plus gamma 0.57722.
    expect(KeyDistribution.zipf(2_000_000, 1).hottestValueShare).toBeCloseTo(1 / 15.08588, 6);
  });

  test('Zipf with s = 0 is uniform', () => {
    expect(KeyDistribution.zipf(8, 0).hottestValueShare).toBeCloseTo(1 / 8, 12);
  });

  test('a time bucket puts every request on the current value, however many buckets exist', () => {
    for (const bucket of [TimeBucket.HOUR, TimeBucket.DAY, TimeBucket.MONTH]) {
      const d = KeyDistribution.timeBucket(bucket);
      expect(d.hottestValueShare).toBe(1);
      expect(d.shareOfRank(2)).toBe(0);
      expect(d.bucket).toBe(bucket);
    }
    expect(KeyDistribution.timeBucket(TimeBucket.DAY).description).toContain('current day');
  });

  test.each([
    ['a share above 1', () => KeyDistribution.hottestShare(1.5, 10), /`KeyDistribution.hottestShare\(\)` `share` is 1.5: a share is a fraction above 0 and at most 1/],
    ['a share of 0', () => KeyDistribution.hottestShare(0), /`share` is 0: a share is a fraction above 0/],
    ['a share below the even share', () => KeyDistribution.hottestShare(0.2, 4), /`share` is 0.2 over 4 values, less than the even share 1\/4 = 0.25/],
    ['a share below 1 over one value', () => KeyDistribution.hottestShare(0.5, 1), /less than the even share|a single value takes every request/],
    ['N of 0 (uniform)', () => KeyDistribution.uniform(0), /`KeyDistribution.uniform\(\)` `values` is 0: the number of distinct partition-key values is a whole number from 1/],
    ['N of 0 (Zipf)', () => KeyDistribution.zipf(0, 1), /`KeyDistribution.zipf\(\)` `values` is 0/],
    ['a fractional N', () => KeyDistribution.uniform(2.5), /`values` is 2.5/],
    ['a negative exponent', () => KeyDistribution.zipf(10, -1), /`exponent` is -1: the Zipf exponent s is a number from 0/],
    ['an unknown bucket', () => KeyDistribution.timeBucket('WEEK' as TimeBucket), /`bucket` is "WEEK": it must be TimeBucket.HOUR, TimeBucket.DAY or TimeBucket.MONTH/],
    ['rank 0', () => KeyDistribution.uniform(3).shareOfRank(0), /`rank` is 0/],
  ])('fails on %s', (_why, make, message) => {
    expect(make).toThrow(message);
  });
});
