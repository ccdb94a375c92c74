import { describe, expect, it } from 'vitest';
import { bucketOf, incidentMarks } from './incident-marks.js';

const H = 3_600_000;
const T0 = Date.parse('2026-04-06T00:00:00Z');
const hours = Array.from({ length: 24 }, (_, i) => new Date(T0 + i * H).toISOString());
const at = (h: number) => new Date(T0 + h * H).toISOString();

describe('incident marks on the volume chart', () => {
  it('finds the bucket of a time', () => {
    const starts = hours.map((t) => Date.parse(t));
    expect(bucketOf(starts, T0, T0 + 24 * H)).toBe(0);
    expect(bucketOf(starts, T0 + 5.5 * H, T0 + 24 * H)).toBe(5);
    expect(bucketOf(starts, T0 + 24 * H, T0 + 24 * H)).toBeUndefined();
    expect(bucketOf(starts, T0 - 1, T0 + 24 * H)).toBeUndefined();
  });

  it('an area from opening to resolution, a flag where the spike was detected; an open one runs to the end; one outside is left out', () => {
    const marks = incidentMarks(hours, H, [
      { incident_id: 1, category: 'payment', suspected_at: at(9.8), opened_at: at(10.2), resolved_at: at(13.5), tickets: 9 },
      { incident_id: 2, category: '', suspected_at: null, opened_at: at(20), resolved_at: null, tickets: 0 },
      { incident_id: 3, category: 'account', suspected_at: at(-5), opened_at: at(-4), resolved_at: at(-2), tickets: 3 },
      { incident_id: 4, category: 'account', suspected_at: at(-3), opened_at: at(-2), resolved_at: at(1), tickets: 3 },
    ]);
    expect(marks.areas).toEqual([
      [{ name: '#1 payment', xAxis: 10 }, { xAxis: 13 }],
      [{ name: '#2', xAxis: 20 }, { xAxis: 23 }],
      [{ name: '#4 account', xAxis: 0 }, { xAxis: 1 }],
    ]);
    expect(marks.flags).toEqual([{ name: '⚑ #1 payment', xAxis: 9 }]);
    expect(incidentMarks([], H, [])).toEqual({ areas: [], flags: [] });
  });
});
