/** The RowBinary encoder's pieces; ingest/rowbinary.test.ts proves the whole against chDB. */
import { describe, expect, it } from 'vitest';
import { isoMillis, rowBinaryEncoder, Unencodable } from './rowbinary.js';

describe('isoMillis', () => {
  it('reads toISOString() output as Date.parse does, over four centuries', () => {
    for (let i = 0; i < 2_000; i++) {
      const ms = Math.floor(Date.UTC(1900, 0, 1) + ((i * 7_919_999_977) % (400 * 365 * 86_400_000)));
      const s = new Date(ms).toISOString();
      expect(isoMillis(s)).toBe(ms);
    }
  });

  it('reads offsets and truncates fractions to the millisecond', () => {
    expect(isoMillis('2026-03-01T15:30:00.987654+05:30')).toBe(Date.parse('2026-03-01T10:00:00.987Z'));
    expect(isoMillis('2026-03-01T10:00:00Z')).toBe(Date.parse('2026-03-01T10:00:00.000Z'));
    expect(isoMillis('2024-02-29T23:59:59.5-08:00')).toBe(Date.parse('2024-03-01T07:59:59.500Z'));
  });

  it('is NaN for what is not a time', () => {
    for (const s of ['2026-02-30T00:00:00.000Z', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01 00:00:00', '2026-01-01T24:00:00Z', 'x'])
      expect(isoMillis(s)).toBeNaN();
  });
});

describe('rowBinaryEncoder', () => {
  const enc = rowBinaryEncoder([
    { name: 'id', type: 'UUID', default_kind: '' },
    { name: 'n', type: 'Nullable(UInt32)', default_kind: '' },
    { name: 's', type: 'LowCardinality(String)', default_kind: 'DEFAULT' },
    { name: 'at', type: "DateTime64(3, 'UTC')", default_kind: 'DEFAULT' },
    { name: 'i', type: 'Int64', default_kind: '' },
    { name: 'm', type: 'String', default_kind: 'MATERIALIZED' },
  ])!;

  it('writes the insertable columns: a default flag, a null flag, then the value', () => {
    expect(enc.columns).toEqual(['id', 'n', 's', 'at', 'i']);
    const body = enc.encode([{ id: '01234567-89ab-cdef-0123-456789abcdef', n: null, s: 'é', i: -2, extra: 1 }]);
    expect(body.toString('hex')).toBe(['00', 'efcdab8967452301', 'efcdab8967452301', '00', '01', '00', '02c3a9', '01', '00', 'feffffffffffffff'].join(''));
  });

  it('refuses what it cannot write exactly, and types it does not know', () => {
    expect(() => enc.encode([{ n: 2 ** 32 }])).toThrow(Unencodable);
    expect(() => enc.encode([{ i: 2 ** 53 }])).toThrow(Unencodable);
    expect(() => enc.encode([{ n: '5' }])).toThrow(Unencodable);
    expect(() => enc.encode([{ at: '1850-01-01T00:00:00Z' }])).toThrow(Unencodable);
    expect(() => enc.encode([{ id: 'not-a-uuid' }])).toThrow(Unencodable);
    expect(rowBinaryEncoder([{ name: 'a', type: 'Array(String)', default_kind: '' }])).toBeUndefined();
  });
});
