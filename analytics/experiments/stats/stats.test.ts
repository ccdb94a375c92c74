/**
 * The experiments' statistics against reference values computed with scipy
 * 1.17 / numpy (reference.py in this folder prints them: same datasets, built
 * from the same closed-form sequences), and their edge cases: zero variance,
 * a variant without data, tiny samples — insufficient with a reason, never
 * NaN or Infinity in JSON.
 */
import { describe, expect, it } from 'vitest';
import { bootstrapPercentileDiff, bootstrapPercentileDiffs, pack, percentileInc, prepareSide, sidePercentile } from './bootstrap.js';
import type { Outcome } from './estimate.js';
import { deltaRatio, twoProportions, welch, type MeanStats, type RatioStats } from './fixed.js';
import { power } from './power.js';
import { mulberry32 } from './prng.js';
import { msprtPValue, sequentialHalfWidth } from './sequential.js';
import { srm } from './srm.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const meanStats = (xs: number[]): MeanStats => ({ n: xs.length, sum: xs.reduce((a, b) => a + b, 0), sumSq: xs.reduce((a, b) => a + b * b, 0) });
function ratioStats(pairs: [number, number][]): RatioStats {
  const s = { n: pairs.length, sumX: 0, sumY: 0, sumXX: 0, sumYY: 0, sumXY: 0 };
  for (const [x, y] of pairs) {
    s.sumX += x;
    s.sumY += y;
    s.sumXX += x * x;
    s.sumYY += y * y;
    s.sumXY += x * y;
  }
  return s;
}
function est(o: Outcome) {
  if (!o.ok) throw new Error(`insufficient: ${o.reason}`);
  return o.estimate;
}
/** JSON keeps only finite numbers and nulls. */
const jsonSafe = (o: unknown) => JSON.parse(JSON.stringify(o, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? 'NOT FINITE' : v)));

describe("Welch's t-test (scipy.stats.ttest_ind, equal_var=False)", () => {
  it('matches scipy on 40 vs 55 customers', () => {
    const a = range(1, 40).map((i) => ((i * 37) % 101) / 10);
    const b = range(1, 55).map((i) => ((i * 53) % 97) / 10 + 0.8);
    const e = est(welch(meanStats(a), meanStats(b)));
    expect(e.diff).toBeCloseTo(-0.3136363636363644, 10);
    expect(e.pValue).toBeCloseTo(0.598663047316204, 9);
    expect(e.ciLow).toBeCloseTo(-1.4942953316044447, 8);
    expect(e.ciHigh).toBeCloseTo(0.867022604331716, 8);
    expect(e.diff / e.se).toBeCloseTo(-0.5283537697508801, 9);
  });
  it('matches scipy on a tiny sample (3 vs 4)', () => {
    const e = est(welch(meanStats([1, 2, 3]), meanStats([2, 4, 7, 9])));
    expect(e.pValue).toBeCloseTo(0.10650582733328334, 8);
    expect(e.ciLow).toBeCloseTo(-8.21349302939536, 7);
    expect(e.ciHigh).toBeCloseTo(1.2134930293953605, 7);
  });
  it('zero variance, one customer, no data: insufficient', () => {
    expect(welch(meanStats([2, 2, 2]), meanStats([2, 2]))).toMatchObject({ ok: false, reason: 'zero variance', value: 2, baseline: 2 });
    expect(welch(meanStats([1]), meanStats([2, 3]))).toMatchObject({ ok: false, value: 1, baseline: 2.5 });
    expect(welch(meanStats([]), meanStats([2, 3]))).toMatchObject({ ok: false, value: null, baseline: 2.5 });
  });
});

describe('two-proportion z-test', () => {
  it('150/1000 vs 120/1000: pooled z, Wald interval (scipy.stats.norm)', () => {
    const e = est(twoProportions({ n: 1000, successes: 150 }, { n: 1000, successes: 120 }));
    expect(e.diff).toBeCloseTo(0.03, 12);
    expect(e.diff / e.se).toBeCloseTo(1.963049807622355, 10);
    expect(e.pValue).toBeCloseTo(0.04964038686536878, 10);
    expect(e.ciLow).toBeCloseTo(7.602882129778554e-5, 10);
    expect(e.ciHigh).toBeCloseTo(0.05992397117870221, 10);
    expect(e.relDiff).toBeCloseTo(0.25, 12);
  });
  it('all or none succeed, tiny or empty sides: insufficient', () => {
    expect(twoProportions({ n: 50, successes: 0 }, { n: 50, successes: 0 })).toMatchObject({ ok: false, reason: 'zero variance', value: 0 });
    expect(twoProportions({ n: 50, successes: 50 }, { n: 40, successes: 40 })).toMatchObject({ ok: false, reason: 'zero variance' });
    expect(twoProportions({ n: 3, successes: 1 }, { n: 50, successes: 10 })).toMatchObject({ ok: false, value: 1 / 3, baseline: 0.2 });
    expect(twoProportions({ n: 0, successes: 0 }, { n: 50, successes: 10 })).toMatchObject({ ok: false, value: null });
  });
});

describe('delta-method ratio metric', () => {
  const side = (n: number, shift: number): [number, number][] =>
    range(0, n - 1).map((i) => {
      const y = 1 + ((i * 7) % 4);
      return [(i * 13 + shift) % (y * 5 + 1), y];
    });
  it('matches the numpy delta method (Deng et al. 2018) and the cluster bootstrap’s standard error', () => {
    const e = est(deltaRatio(ratioStats(side(300, 5)), ratioStats(side(280, 0))));
    expect(e.value).toBeCloseTo(2.6986666666666665, 12);
    expect(e.baseline).toBeCloseTo(2.474285714285714, 12);
    expect(e.se).toBeCloseTo(0.1396992990524874, 10);
    expect(e.pValue).toBeCloseTo(0.10823635977292771, 9);
    expect(e.ciLow).toBeCloseTo(-0.04942464242741346, 9);
    expect(e.ciHigh).toBeCloseTo(0.49818654718931815, 9);
    // numpy's 4000-replicate cluster bootstrap gave 0.1414
    expect(Math.abs(e.se / 0.1414288893328002 - 1)).toBeLessThan(0.05);
  });
  it('an empty denominator, zero variance, too few customers: insufficient', () => {
    expect(deltaRatio(ratioStats([[0, 0]]), ratioStats(side(50, 0)))).toMatchObject({ ok: false, value: null });
    expect(deltaRatio(ratioStats([]), ratioStats(side(50, 0)))).toMatchObject({ ok: false, value: null });
    const constant = ratioStats(range(1, 20).map(() => [2, 1]));
    expect(deltaRatio(constant, constant)).toMatchObject({ ok: false, reason: 'zero variance', value: 2, baseline: 2 });
    expect(deltaRatio(ratioStats(side(5, 0)), ratioStats(side(50, 0)))).toMatchObject({ ok: false });
  });
});

describe('sample-ratio mismatch (scipy.stats.chisquare)', () => {
  it('matches scipy and flags below p = 0.001', () => {
    const two = srm([5000, 5210], [1, 1]);
    expect(two.chiSquare).toBeCloseTo(4.319294809010774, 10);
    expect(two.pValue).toBeCloseTo(0.037682535473058755, 10);
    expect(two.mismatch).toBe(false);
    const three = srm([1000, 980, 2100], [1, 1, 2]);
    expect(three.pValue).toBeCloseTo(0.15524587973975482, 10);
    const bad = srm([5000, 5400], [1, 1]);
    expect(bad.pValue).toBeCloseTo(8.769942375590228e-5, 12);
    expect(bad.mismatch).toBe(true);
  });
  it('nothing to test yet, and customers in a zero-weight variant', () => {
    expect(srm([0, 0], [1, 1])).toEqual({ pValue: null, mismatch: false, chiSquare: null });
    expect(srm([3, 1], [1, 0]).mismatch).toBe(true);
  });
});

describe('seeded bootstrap percentile interval', () => {
  const a = range(1, 200).map((i) => [Math.exp(((i * 37) % 101) / 25)]);
  const b = range(1, 180).map((i) => [1.3 * Math.exp(((i * 53) % 97) / 25)]);
  it.each([
    [0.5, 7.38905609893065, 8.867246010077974, -4.897294040067103, 1.7516596879931612, 1.6733832977797691],
    [0.9, 36.74759467185008, 40.543045618802296, -13.655399444806136, 5.47475935194773, 4.955962564269326],
  ])('P%s: scipy.stats.bootstrap(method="percentile", 20000 resamples) within tolerance', (q, value, baseline, lo, hi, se) => {
    const e = est(bootstrapPercentileDiff(a, b, { q, replicates: 4000, seed: 1 }));
    expect(e.value).toBeCloseTo(value, 10);
    expect(e.baseline).toBeCloseTo(baseline, 10);
    const width = hi - lo;
    expect(Math.abs(e.ciLow - lo)).toBeLessThan(0.1 * width);
    expect(Math.abs(e.ciHigh - hi)).toBeLessThan(0.1 * width);
    expect(Math.abs(e.se / se - 1)).toBeLessThan(0.1);
  });
  it('is deterministic for a seed and resamples customers, not tickets', () => {
    const one = bootstrapPercentileDiff(a, b, { q: 0.5, replicates: 500, seed: 3 });
    expect(bootstrapPercentileDiff(a, b, { q: 0.5, replicates: 500, seed: 3 })).toEqual(one);
    // the same tickets held by 10× fewer customers, each holding 10 similar ones (correlated within a customer): a wider interval
    const clustered = (xs: number[][]) => {
      const sorted = xs.flat().sort((p, q) => p - q);
      return range(0, sorted.length / 10 - 1).map((c) => sorted.slice(c * 10, c * 10 + 10));
    };
    const byTicket = est(bootstrapPercentileDiff(a.slice(0, 200), b.slice(0, 180), { q: 0.5, replicates: 1000, seed: 3 }));
    const byCustomer = est(bootstrapPercentileDiff(clustered(a.slice(0, 200)), clustered(b.slice(0, 180)), { q: 0.5, replicates: 1000, seed: 3 }));
    expect(byCustomer.value).toBe(byTicket.value);
    expect(byCustomer.se).toBeGreaterThan(byTicket.se * 1.5);
  });
  it('several percentiles from the same replicates equal each computed alone', () => {
    const both = bootstrapPercentileDiffs(a, b, { qs: [0.9, 0.5], replicates: 300, seed: 9 });
    expect(both[0]).toEqual(bootstrapPercentileDiff(a, b, { q: 0.9, replicates: 300, seed: 9 }));
    expect(both[1]).toEqual(bootstrapPercentileDiff(a, b, { q: 0.5, replicates: 300, seed: 9 }));
  });
  it('PERCENTILE.INC interpolation, and the edge cases', () => {
    expect(percentileInc([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentileInc([1, 2, 3, 4, 10], 0.9)).toBeCloseTo(7.6, 12);
    expect(percentileInc([], 0.5)).toBeNull();
    const none = range(1, 20).map(() => [] as number[]);
    expect(bootstrapPercentileDiff(none, b, { q: 0.5 })).toMatchObject({ ok: false, value: null });
    const same = range(1, 20).map(() => [5]);
    expect(bootstrapPercentileDiff(same, same, { q: 0.5 })).toMatchObject({ ok: false, reason: 'zero variance', value: 5 });
    expect(bootstrapPercentileDiff(a.slice(0, 4), b, { q: 0.5 })).toMatchObject({ ok: false });
  });
});

/**
 * The scheme the bootstrap replaced, kept here as the reference: every replicate draws n customers with replacement
 * from all n exposed (those without a value included, as before) and takes PERCENTILE.INC of the drawn tickets.
 */
function multinomialBootstrap(a: number[][], b: number[][], q: number, replicates: number, seed: number) {
  const rand = mulberry32(seed);
  const draw = (side: number[][]) => {
    const got: number[] = [];
    for (let i = 0; i < side.length; i++) for (const v of side[Math.floor(rand() * side.length)]!) got.push(v);
    return percentileInc(Float64Array.from(got).sort(), q);
  };
  const diffs: number[] = [];
  for (let r = 0; r < replicates; r++) {
    const x = draw(a);
    const y = draw(b);
    if (x !== null && y !== null) diffs.push(x - y);
  }
  diffs.sort((x, y) => x - y);
  const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
  return {
    lo: percentileInc(diffs, 0.025)!,
    hi: percentileInc(diffs, 0.975)!,
    se: Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / (diffs.length - 1)),
  };
}

describe('the Poisson bootstrap over customers with values (what makes 1 M customers cheap)', () => {
  // 1,500 customers a side: 40 % without a value, the rest 1–4 tickets each whose values share the customer's level
  // (clustered), whole seconds (so many one-ticket customers share a value and are drawn as a group); 'a' is faster
  const side = (seed: number, faster: number) => {
    const r = mulberry32(seed);
    return range(1, 1500).map(() => {
      if (r() < 0.4) return [] as number[];
      const level = 60 + Math.floor(r() * 900);
      return range(1, 1 + Math.floor(r() * r() * 4)).map(() => Math.max(1, Math.round(level * (0.6 + 0.8 * r())) - faster));
    });
  };
  const a = side(11, 40);
  const b = side(12, 0);
  it.each([0.5, 0.9])('P%s: the interval and standard error of the multinomial cluster bootstrap it replaced, within tolerance', (q) => {
    const old = multinomialBootstrap(a, b, q, 2000, 5);
    const e = est(bootstrapPercentileDiff(a, b, { q, replicates: 2000, seed: 5 }));
    const width = old.hi - old.lo;
    expect(Math.abs(e.ciLow - old.lo)).toBeLessThan(0.12 * width);
    expect(Math.abs(e.ciHigh - old.hi)).toBeLessThan(0.12 * width);
    expect(Math.abs(e.se / old.se - 1)).toBeLessThan(0.12);
    // the point estimate is the exact PERCENTILE.INC of every ticket
    expect(e.value).toBe(
      percentileInc(
        a.flat().sort((x, y) => x - y),
        q,
      ),
    );
    expect(e.n).toBe(1500);
  });
  it('is deterministic by seed, whatever the input form; another seed moves the interval a little', () => {
    const one = bootstrapPercentileDiffs(a, b, { qs: [0.5, 0.9], replicates: 400, seed: 21 });
    expect(bootstrapPercentileDiffs(a, b, { qs: [0.5, 0.9], replicates: 400, seed: 21 })).toEqual(one);
    // packed (what analysis.ts reads from ClickHouse) and prepared once: the same numbers
    expect(bootstrapPercentileDiffs(pack(a), pack(b), { qs: [0.5, 0.9], replicates: 400, seed: 21 })).toEqual(one);
    const pa = prepareSide(a);
    expect(bootstrapPercentileDiffs(pa, prepareSide(pack(b)), { qs: [0.5, 0.9], replicates: 400, seed: 21 })).toEqual(one);
    expect(sidePercentile(pa, 0.9)).toBe(
      percentileInc(
        a.flat().sort((x, y) => x - y),
        0.9,
      ),
    );
    // customers without a value change nothing but the count of customers
    const fewer = bootstrapPercentileDiffs(
      a.filter((c) => c.length > 0),
      b,
      { qs: [0.5, 0.9], replicates: 400, seed: 21 },
    );
    expect(fewer.map((o) => (o.ok ? { ...o.estimate, n: 0 } : o))).toEqual(one.map((o) => (o.ok ? { ...o.estimate, n: 0 } : o)));
    const other = est(bootstrapPercentileDiffs(a, b, { qs: [0.5], replicates: 400, seed: 22 })[0]!);
    const first = est(one[0]!);
    expect(other.ciLow === first.ciLow && other.ciHigh === first.ciHigh && other.se === first.se).toBe(false);
    expect(Math.abs(other.se / first.se - 1)).toBeLessThan(0.2);
  });
  it('groups one-value customers: their values, their counts', () => {
    const s = prepareSide({ customers: 7, sizes: [1, 2, 1, 1, 3], values: [5, 1, 9, 5, 7, 2, 2, 8] });
    expect(s.withValues).toBe(5);
    expect(s.tickets).toBe(8);
    // groups: 5 (two customers), 7 (one); then the two multi-value customers
    expect([...s.mult]).toEqual([2, 1, 1, 1]);
    expect([...s.sizes]).toEqual([1, 1, 2, 3]);
    expect([...s.values]).toEqual([1, 2, 2, 5, 7, 8, 9]);
    expect(sidePercentile(s, 0.5)).toBe(percentileInc([1, 2, 2, 5, 5, 7, 8, 9], 0.5));
  });
});

describe('always-valid p-values (mSPRT, normal mixture)', () => {
  it('inverts GrowthBook’s sequential confidence interval: p = α on its boundary', () => {
    // GrowthBook docs' half-width, computed in reference.py
    expect(sequentialHalfWidth(0.01, 1000)).toBeCloseTo(0.03363887725782781, 12);
    expect(sequentialHalfWidth(0.01, 100_000)).toBeCloseTo(0.03336857533786599, 12);
    expect(msprtPValue(0.03363887725782781, 0.01, 1000)).toBeCloseTo(0.05, 10);
    expect(msprtPValue(0, 0.01, 1000)).toBe(1);
    expect(msprtPValue(1, 0, 1000)).toBeNull();
  });
  it('is larger than the fixed-horizon p-value where that is significant', () => {
    const e = est(twoProportions({ n: 1000, successes: 150 }, { n: 1000, successes: 120 }));
    expect(msprtPValue(e.diff, e.se, 2000)!).toBeGreaterThan(e.pValue);
  });
  it('keeps the type-I error under daily peeking: 30 looks, 400 A/A experiments', () => {
    const rand = mulberry32(42);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    let seqFalse = 0;
    let fixedFalse = 0;
    for (let run = 0; run < 400; run++) {
      const s = [
        { n: 0, sum: 0, sumSq: 0 },
        { n: 0, sum: 0, sumSq: 0 },
      ];
      let seqHit = false;
      let fixedHit = false;
      for (let day = 0; day < 30; day++) {
        for (let i = 0; i < 100; i++)
          for (const side of s) {
            const x = normal();
            side.n++;
            side.sum += x;
            side.sumSq += x * x;
          }
        const e = est(welch(s[0]!, s[1]!));
        if (e.pValue < 0.05) fixedHit = true;
        if (msprtPValue(e.diff, e.se, e.n + e.nBaseline)! < 0.05) seqHit = true;
      }
      seqFalse += seqHit ? 1 : 0;
      fixedFalse += fixedHit ? 1 : 0;
    }
    expect(seqFalse / 400).toBeLessThanOrEqual(0.05);
    // peeking at the fixed-horizon p-value every day finds "effects" far more often
    expect(fixedFalse / 400).toBeGreaterThan(0.15);
  });
});

describe('power', () => {
  it('MDE = (z.975 + z.8)·se and the days still needed at the exposure rate', () => {
    const p = power({ se: 0.01, baseline: 0.5, customers: 2000, days: 4, target: 0.02 });
    expect(p.mde).toBeCloseTo(2.8015852941 * 0.01, 8);
    expect(p.mdeRelative).toBeCloseTo(0.056031705882, 8);
    // N needed = 2000·(0.05603/0.02)² = 15 698; 13 698 more at 500 a day
    expect(p.daysNeeded).toBeCloseTo(27.4, 1);
    expect(power({ se: 0.001, baseline: 0.5, customers: 2000, days: 4, target: 0.02 }).daysNeeded).toBe(0);
    expect(power({ se: null, baseline: 0.5, customers: 0, days: 0, target: 0.02 })).toMatchObject({ mde: null, daysNeeded: null });
    expect(power({ se: 0.01, baseline: 0, customers: 10, days: 1, target: 0.02 })).toMatchObject({ mdeRelative: null, daysNeeded: null });
  });
});

describe('JSON', () => {
  it('never carries NaN or Infinity', () => {
    const outcomes = [
      welch(meanStats([]), meanStats([])),
      welch(meanStats([1e308, -1e308]), meanStats([1, 2])),
      twoProportions({ n: 0, successes: 0 }, { n: 0, successes: 0 }),
      deltaRatio(ratioStats([]), ratioStats([])),
      bootstrapPercentileDiff([], [], { q: 0.5 }),
      srm([0, 0], [0, 0]),
      power({ se: Number.NaN, baseline: Number.NaN, customers: 0, days: 0, target: 0.05 }),
    ];
    expect(JSON.stringify(jsonSafe(outcomes))).not.toContain('NOT FINITE');
  });
});
