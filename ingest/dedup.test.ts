import { describe, expect, it } from 'vitest';
import { dedupToken, type Origin } from './dedup.js';

const o = (partition: number, first: string, last: string, topic = 'support.events'): Origin => ({ source: 'kafka', topic, partition, first, last });

describe('dedupToken', () => {
  it('names the ranges a block holds, readably when short', () => {
    expect(dedupToken([o(3, '100', '199')])).toBe('ingest:kafka:support.events/3:100-199');
  });

  it('is the same for the same ranges in any order, and differs when any range differs', () => {
    const a = dedupToken([o(0, '0', '9'), o(1, '5', '7'), o(2, '10', '20')]);
    expect(dedupToken([o(2, '10', '20'), o(0, '0', '9'), o(1, '5', '7')])).toBe(a);
    expect(dedupToken([o(0, '0', '9'), o(1, '5', '8'), o(2, '10', '20')])).not.toBe(a);
    expect(dedupToken([o(0, '0', '9'), o(1, '5', '7'), o(2, '10', '20', 'other')])).not.toBe(a);
  });

  it('orders offsets numerically (9 before 10) and hashes long tokens', () => {
    const many = Array.from({ length: 12 }, (_, p) => o(p, '9000000000', '9000009999'));
    const t = dedupToken(many);
    expect(t).toMatch(/^ingest:sha256:[0-9a-f]{64}$/);
    expect(dedupToken([...many].reverse())).toBe(t);
    expect(dedupToken([o(0, '10', '11'), o(0, '9', '9')])).toBe('ingest:kafka:support.events/0:9-9,kafka:support.events/0:10-11');
  });

  it('refuses an empty block', () => {
    expect(() => dedupToken([])).toThrow();
  });
});
