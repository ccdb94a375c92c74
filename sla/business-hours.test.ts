import { describe, expect, it } from 'vitest';
import { addBusinessSeconds, businessSecondsBetween, isOpen, parseBusinessHours, parseCalendar } from './business-hours.js';

const berlin = parseCalendar('Mon-Fri 09:00-18:00 Europe/Berlin');
const at = (iso: string) => new Date(iso);
const H = 3600;

describe('parseCalendar / parseBusinessHours', () => {
  it('reads day ranges, lists, several windows and the zone', () => {
    const c = parseCalendar('Mon-Fri 09:00-18:00, Sat 10:00-14:00 UTC');
    expect(c.zone).toBe('UTC');
    expect(c.windows.filter((w) => w.weekday <= 5)).toHaveLength(5);
    expect(c.windows.find((w) => w.weekday === 6)).toEqual({ weekday: 6, openMinute: 600, closeMinute: 840 });
    expect(parseCalendar('Mon, Wed 09:00-12:00 UTC').windows.map((w) => w.weekday)).toEqual([1, 3]);
    expect(parseCalendar('Fri-Mon 10:00-12:00 UTC').windows.map((w) => w.weekday)).toEqual([5, 6, 7, 1]);
  });

  it('reads one calendar per queue', () => {
    const m = parseBusinessHours('L1=Mon-Fri 09:00-18:00 Europe/Berlin; L2 = Mon-Sat 08:00-20:00 UTC');
    expect([...m.keys()]).toEqual(['L1', 'L2']);
    expect(m.get('L2')!.windows).toHaveLength(6);
    expect(parseBusinessHours('').size).toBe(0);
  });

  it('rejects what it cannot read, naming the problem', () => {
    expect(() => parseCalendar('Mon-Fri 09:00-18:00')).toThrow(/IANA time zone/);
    expect(() => parseCalendar('Mon-Fri 9-18 UTC')).toThrow(/bad hours|bad time/);
    expect(() => parseCalendar('Mox-Fri 09:00-18:00 UTC')).toThrow(/unknown weekday/);
    expect(() => parseCalendar('Mon-Fri 25:00-26:00 UTC')).toThrow(/bad time/);
    expect(() => parseBusinessHours('Mon-Fri 09:00-18:00 UTC')).toThrow(/QUEUE=/);
    expect(() => parseBusinessHours('L1=Mon 09:00-10:00 UTC;L1=Tue 09:00-10:00 UTC')).toThrow(/two calendars/);
  });
});

describe('addBusinessSeconds', () => {
  it('is plain addition without a calendar (24/7 queues)', () => {
    expect(addBusinessSeconds(undefined, at('2026-03-06T17:00:00Z'), 900).toISOString()).toBe('2026-03-06T17:15:00.000Z');
  });

  it('adds inside one working day', () => {
    // Wed 2026-03-04 10:00 Berlin (CET, UTC+1) + 15 min
    expect(addBusinessSeconds(berlin, at('2026-03-04T09:00:00Z'), 900).toISOString()).toBe('2026-03-04T09:15:00.000Z');
  });

  it('carries over the night to the next opening', () => {
    // Wed 17:50 Berlin + 20 min → Thu 09:10 Berlin
    expect(addBusinessSeconds(berlin, at('2026-03-04T16:50:00Z'), 1200).toISOString()).toBe('2026-03-05T08:10:00.000Z');
  });

  it('starts counting at the opening when asked before it', () => {
    // Thu 06:00 Berlin + 15 min → Thu 09:15 Berlin
    expect(addBusinessSeconds(berlin, at('2026-03-05T05:00:00Z'), 900).toISOString()).toBe('2026-03-05T08:15:00.000Z');
  });

  it('skips the weekend', () => {
    // Fri 17:00 Berlin + 4 h → 1 h Friday + 3 h Monday → Mon 12:00 Berlin
    expect(addBusinessSeconds(berlin, at('2026-03-06T16:00:00Z'), 4 * H).toISOString()).toBe('2026-03-09T11:00:00.000Z');
    // Saturday noon + 15 min → Mon 09:15
    expect(addBusinessSeconds(berlin, at('2026-03-07T11:00:00Z'), 900).toISOString()).toBe('2026-03-09T08:15:00.000Z');
  });

  it('spans several days for long targets', () => {
    // 24 business hours from Mon 09:00 = Mon, Tue 9 h each + 6 h Wed → Wed 15:00 Berlin
    expect(addBusinessSeconds(berlin, at('2026-03-09T08:00:00Z'), 24 * H).toISOString()).toBe('2026-03-11T14:00:00.000Z');
  });

  it('follows the wall clock across DST changes', () => {
    // Europe/Berlin switches to CEST on Sun 2026-03-29. Fri 17:00 CET (16:00Z) + 2 h → Mon 10:00 CEST = 08:00Z.
    expect(addBusinessSeconds(berlin, at('2026-03-27T16:00:00Z'), 2 * H).toISOString()).toBe('2026-03-30T08:00:00.000Z');
    // And back on Sun 2026-10-25: Fri 17:00 CEST (15:00Z) + 2 h → Mon 10:00 CET = 09:00Z.
    expect(addBusinessSeconds(berlin, at('2026-10-23T15:00:00Z'), 2 * H).toISOString()).toBe('2026-10-26T09:00:00.000Z');
  });

  it('handles a window that crosses midnight', () => {
    const night = parseCalendar('Mon-Fri 22:00-06:00 UTC');
    // Mon 23:00 + 3 h → Tue 02:00 (same overnight window)
    expect(addBusinessSeconds(night, at('2026-03-09T23:00:00Z'), 3 * H).toISOString()).toBe('2026-03-10T02:00:00.000Z');
    // Tue 05:00 (inside Monday's window) + 2 h → 1 h until 06:00, then Tue 22:00 + 1 h
    expect(addBusinessSeconds(night, at('2026-03-10T05:00:00Z'), 2 * H).toISOString()).toBe('2026-03-10T23:00:00.000Z');
  });

  it('a zero target is the instant itself', () => {
    expect(addBusinessSeconds(berlin, at('2026-03-07T11:00:00Z'), 0).toISOString()).toBe('2026-03-07T11:00:00.000Z');
  });
});

describe('businessSecondsBetween', () => {
  it('counts only open time', () => {
    expect(businessSecondsBetween(berlin, at('2026-03-04T16:50:00Z'), at('2026-03-05T08:10:00Z'))).toBe(1200);
    expect(businessSecondsBetween(berlin, at('2026-03-06T16:00:00Z'), at('2026-03-09T11:00:00Z'))).toBe(4 * H);
    expect(businessSecondsBetween(berlin, at('2026-03-07T10:00:00Z'), at('2026-03-08T10:00:00Z'))).toBe(0); // weekend
  });

  it('is calendar time without a calendar, and 0 for reversed ranges', () => {
    expect(businessSecondsBetween(undefined, at('2026-03-07T10:00:00Z'), at('2026-03-08T10:00:00Z'))).toBe(24 * H);
    expect(businessSecondsBetween(berlin, at('2026-03-05T10:00:00Z'), at('2026-03-04T10:00:00Z'))).toBe(0);
  });

  it('is the inverse of addBusinessSeconds (weekends, nights, DST)', () => {
    const starts = ['2026-03-04T16:50:00Z', '2026-03-06T16:00:00Z', '2026-03-27T16:00:00Z', '2026-10-23T15:00:00Z', '2026-03-07T11:00:00Z'];
    for (const s of starts)
      for (const secs of [60, 900, 4 * H, 9 * H, 24 * H, 100 * H]) {
        const due = addBusinessSeconds(berlin, at(s), secs);
        expect(businessSecondsBetween(berlin, at(s), due)).toBe(secs);
      }
  });

  it('keeps a 9-hour day on DST days (wall clock hours)', () => {
    // Mon 2026-03-30 (after the switch): 09:00–18:00 CEST = 07:00–16:00Z
    expect(businessSecondsBetween(berlin, at('2026-03-30T00:00:00Z'), at('2026-03-31T00:00:00Z'))).toBe(9 * H);
  });
});

describe('isOpen', () => {
  it('tells open from closed', () => {
    expect(isOpen(berlin, at('2026-03-04T09:00:00Z'))).toBe(true);
    expect(isOpen(berlin, at('2026-03-04T18:00:00Z'))).toBe(false);
    expect(isOpen(berlin, at('2026-03-07T12:00:00Z'))).toBe(false);
    expect(isOpen(undefined, at('2026-03-07T12:00:00Z'))).toBe(true);
  });
});
