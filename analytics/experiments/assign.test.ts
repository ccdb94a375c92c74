import { describe, expect, it } from 'vitest';
import { assignVariant, bucketRanges, chooseVariation, gbHashV2 } from './assign.js';
import type { ExperimentDefinition } from './definition.js';

/**
 * GrowthBook's published vectors: packages/sdk-js/test/cases.json of
 * github.com/growthbook/growthbook (commit 8f1db4456915a8e7b7faf23d5632ca7219d2f469),
 * "hash" cases with version 2, and the "getBucketRange" / "chooseVariation" cases.
 */
const HASH_V2: [string, string, number][] = [
  ['seed', 'a', 0.0505],
  ['seed', 'b', 0.2696],
  ['foo', 'ab', 0.2575],
  ['foo', 'def', 0.2019],
  ['89123klj', '8952klfjas09ujkasdf', 0.124],
  ['90850943850283058242805', '123', 0.7516],
  ['()**(%$##$%#$#', '___)((*":&', 0.0128],
];
const BUCKET_RANGES: [string, [number, number, number[] | null], [number, number][]][] = [
  [
    'normal 50/50',
    [2, 1, null],
    [
      [0, 0.5],
      [0.5, 1],
    ],
  ],
  [
    'reduced coverage',
    [2, 0.5, null],
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
  ],
  [
    'zero coverage',
    [2, 0, null],
    [
      [0, 0],
      [0.5, 0.5],
    ],
  ],
  [
    '4 variations',
    [4, 1, null],
    [
      [0, 0.25],
      [0.25, 0.5],
      [0.5, 0.75],
      [0.75, 1],
    ],
  ],
  [
    'uneven weights',
    [2, 1, [0.4, 0.6]],
    [
      [0, 0.4],
      [0.4, 1],
    ],
  ],
  [
    'uneven weights, 3 variations',
    [3, 1, [0.2, 0.3, 0.5]],
    [
      [0, 0.2],
      [0.2, 0.5],
      [0.5, 1],
    ],
  ],
];
const CHOOSE: [string, number, [number, number][], number][] = [
  [
    'even range, 0.2',
    0.2,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    0,
  ],
  [
    'even range, 0.4',
    0.4,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    0,
  ],
  [
    'even range, 0.6',
    0.6,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    1,
  ],
  [
    'even range, 0.8',
    0.8,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    1,
  ],
  [
    'even range, 0',
    0,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    0,
  ],
  [
    'even range, 0.5',
    0.5,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    1,
  ],
  [
    'reduced range, 0.2',
    0.2,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    0,
  ],
  [
    'reduced range, 0.4',
    0.4,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    -1,
  ],
  [
    'reduced range, 0.6',
    0.6,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    1,
  ],
  [
    'reduced range, 0.8',
    0.8,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    -1,
  ],
  [
    'reduced range, 0.25',
    0.25,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    -1,
  ],
  [
    'reduced range, 0.5',
    0.5,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    1,
  ],
];

const def = (over: Partial<ExperimentDefinition> = {}): ExperimentDefinition => ({
  key: 'receipt-style',
  surface: 'receipt',
  variants: [
    { name: 'control', weight: 1 },
    { name: 'steps', weight: 1 },
  ],
  metrics: ['csat_avg'],
  status: 'running',
  file: 'receipt-style.yaml',
  ...over,
});

describe('GrowthBook compatibility', () => {
  it.each(HASH_V2)('hash v2 (%j, %j) = %d', (seed, value, expected) => {
    expect(gbHashV2(seed, value)).toBe(expected);
  });
  it.each(BUCKET_RANGES)('getBucketRanges: %s', (_name, [n, coverage, weights], expected) => {
    const ranges = bucketRanges(weights ?? Array.from({ length: n }, () => 1 / n), coverage);
    expect(ranges.map(([a, b]) => [Number(a.toFixed(6)), Number(b.toFixed(6))])).toEqual(expected);
  });
  it.each(CHOOSE)('chooseVariation: %s', (_name, n, ranges, expected) => {
    expect(chooseVariation(n, ranges)).toBe(expected);
  });
  it('relative weights are normalised (1:3 is 0.25/0.75)', () => {
    expect(bucketRanges([1, 3], 1)).toEqual([
      [0, 0.25],
      [0.25, 1],
    ]);
  });
});

describe('assignVariant', () => {
  it('splits 10,000 synthetic customers within ±2 % of the weights', () => {
    for (const weights of [
      [1, 1],
      [1, 3],
      [2, 1, 1],
    ]) {
      const d = def({ variants: weights.map((weight, i) => ({ name: `v${i}`, weight })) });
      const counts = weights.map(() => 0);
      for (let id = 100_000_000; id < 100_010_000; id++) counts[assignVariant(d, id)!.index]!++;
      const total = weights.reduce((s, w) => s + w, 0);
      counts.forEach((c, i) => {
        expect(Math.abs(c / 10_000 - weights[i]! / total)).toBeLessThanOrEqual(0.02);
      });
    }
  });

  it('keeps a holdout share out (null) and splits the rest by weight', () => {
    const d = def({ holdout: 0.2 });
    let out = 0;
    const counts = [0, 0];
    for (let id = 5_000_000; id < 5_010_000; id++) {
      const a = assignVariant(d, id);
      if (a === null) out++;
      else counts[a.index]!++;
    }
    expect(Math.abs(out / 10_000 - 0.2)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(counts[0]! / 10_000 - 0.4)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(counts[1]! / 10_000 - 0.4)).toBeLessThanOrEqual(0.02);
  });

  it('is a pure function of key and user id: same customer, same variant; a number and its string agree', () => {
    const d = def();
    for (let id = 1; id < 500; id++) {
      const a = assignVariant(d, id * 7919);
      expect(assignVariant(structuredClone(d), String(id * 7919))).toEqual(a);
    }
    // Pinned: changing the hash would move customers between variants mid-experiment.
    expect([123456789, 987654321, 42].map((id) => assignVariant(d, id)?.variant)).toMatchInlineSnapshot(`
      [
        "control",
        "steps",
        "steps",
      ]
    `);
  });

  it('another key reshuffles customers (independent experiments)', () => {
    const a = def();
    const b = def({ key: 'other-test' });
    let same = 0;
    for (let id = 1; id <= 2000; id++) if (assignVariant(a, id)!.index === assignVariant(b, id)!.index) same++;
    expect(same / 2000).toBeGreaterThan(0.45);
    expect(same / 2000).toBeLessThan(0.55);
  });
});
