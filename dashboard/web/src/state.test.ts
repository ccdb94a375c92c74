/**
 * The dashboard's filters as pure functions of the URL and an injected clock.
 * Instants are built from local fields (new Date(y, m, d, h, min)) so the
 * assertions hold in any time zone the tests run in.
 */
import { describe, expect, it } from 'vitest';
import { Labels } from './labels.js';
import { apiRange, bucketInterval, dayRange, filtersSearch, isPreset, parseFilters, presetPeriod, rangeLabel, withDate, type Filters } from './state.js';

const HOUR = 3_600_000;
const AFTER_MIDNIGHT = new Date(2026, 2, 2, 0, 30); // 2 Mar 2026, 00:30 local
const PRESETS = ['24h', '7d', '30d', '90d'];
const filters = (search: string, now = AFTER_MIDNIGHT): Filters => parseFilters(search, now);
const pressed = (f: Filters, now = AFTER_MIDNIGHT) => PRESETS.filter((p) => isPreset(f, p, now));

describe('the "24 h" preset', () => {
  it('is the last 24 hours, also at 00:30', () => {
    const f = { ...filters(''), period: presetPeriod('24h', AFTER_MIDNIGHT) };
    const r = apiRange(f, AFTER_MIDNIGHT);
    expect(Date.parse(r.to)).toBe(AFTER_MIDNIGHT.getTime());
    expect(Date.parse(r.from)).toBe(AFTER_MIDNIGHT.getTime() - 24 * HOUR);
  });

  it('rolls forward with the clock', () => {
    const f = filters('range=24h');
    const later = new Date(AFTER_MIDNIGHT.getTime() + 5 * HOUR + 123);
    expect(apiRange(f, later)).toEqual({ from: new Date(later.getTime() - 24 * HOUR).toISOString(), to: later.toISOString() });
  });

  it('is shareable as ?range=24h, and comes back from it', () => {
    const f: Filters = { period: presetPeriod('24h', AFTER_MIDNIGHT), queue: 'L2', category: 'payment' };
    expect(filtersSearch(f)).toBe('range=24h&queue=L2&category=payment');
    expect(filters(filtersSearch(f))).toEqual(f);
  });

  it('presses only its own button, and buckets by the hour', () => {
    const f = filters('range=24h');
    expect(pressed(f)).toEqual(['24h']);
    expect(pressed(f, new Date(2026, 5, 1, 23, 59))).toEqual(['24h']); // any time later: still the last 24 hours
    expect(bucketInterval(f, 2)).toBe('hour');
    expect(bucketInterval(f, 14)).toBe('hour');
  });

  it('shows yesterday and today in the date inputs and says what it is in the label', () => {
    const f = filters('range=24h&queue=payments&category=payment');
    expect(dayRange(f, AFTER_MIDNIGHT)).toEqual({ from: '2026-03-01', to: '2026-03-02' });
    const labels = new Labels();
    labels.configure({ categories: [{ key: 'payment', label: 'Payment', queue: 'payments' }], queues: [{ key: 'payments', label: 'Payments' }] });
    expect(rangeLabel(f, AFTER_MIDNIGHT, 'Europe/Berlin', labels)).toBe('Last 24 hours (since 1 Mar, 00:30) · Europe/Berlin · queue Payments · Payment');
  });
});

describe('calendar-day ranges', () => {
  it('7 d / 30 d / 90 d are whole local days ending today, in the URL as dates', () => {
    expect(presetPeriod('7d', AFTER_MIDNIGHT)).toEqual({ kind: 'days', from: '2026-02-24', to: '2026-03-02' });
    expect(presetPeriod('30d', AFTER_MIDNIGHT)).toEqual({ kind: 'days', from: '2026-02-01', to: '2026-03-02' });
    expect(presetPeriod('90d', AFTER_MIDNIGHT)).toEqual({ kind: 'days', from: '2025-12-03', to: '2026-03-02' });
    const f = { ...filters(''), period: presetPeriod('30d', AFTER_MIDNIGHT) };
    expect(filtersSearch(f)).toBe('from=2026-02-01&to=2026-03-02');
    expect(apiRange(f, AFTER_MIDNIGHT)).toEqual({ from: new Date(2026, 1, 1).toISOString(), to: new Date(2026, 2, 3).toISOString() });
    expect(pressed(f)).toEqual(['30d']);
    expect(pressed(f, new Date(2026, 2, 3, 9))).toEqual([]); // the next day it is a fixed range, not "30 d" any more
  });

  it('defaults to the last 7 days; ignores bad values; a reversed range becomes one day', () => {
    expect(filters('').period).toEqual(presetPeriod('7d', AFTER_MIDNIGHT));
    expect(filters('range=25h&from=2026-02-30x&to=2026-03-01').period).toEqual(presetPeriod('7d', AFTER_MIDNIGHT));
    expect(filters('from=2026-02-10&to=2026-02-01').period).toEqual({ kind: 'days', from: '2026-02-10', to: '2026-02-10' });
  });

  it('hourly buckets for short ranges, daily for long ones', () => {
    const f = filters('from=2026-02-01&to=2026-02-14');
    expect(bucketInterval(f, 14)).toBe('hour');
    expect(bucketInterval(f, 2)).toBe('day');
    expect(bucketInterval(filters('from=2026-02-01&to=2026-02-15'), 14)).toBe('day');
  });

  it('a date input turns the rolling window into the days it showed, then edits them', () => {
    const rolling = filters('range=24h&queue=L1');
    expect(withDate(rolling, 'from', '2026-02-20', AFTER_MIDNIGHT)).toEqual({
      period: { kind: 'days', from: '2026-02-20', to: '2026-03-02' },
      queue: 'L1',
      category: '',
    });
    expect(withDate(rolling, 'to', '2026-02-20', AFTER_MIDNIGHT).period).toEqual({ kind: 'days', from: '2026-02-20', to: '2026-02-20' });
    expect(withDate(rolling, 'from', '', AFTER_MIDNIGHT)).toBe(rolling); // a cleared input changes nothing
    expect(rangeLabel(filters('from=2026-02-20&to=2026-03-02'), AFTER_MIDNIGHT, 'UTC', new Labels())).toBe('20 Feb 2026 – 2 Mar 2026 · UTC');
  });
});

describe('labels', () => {
  it('configured labels, humanised unknown keys, options by name', () => {
    const labels = new Labels();
    expect(labels.category('billing_issue')).toBe('Billing issue');
    labels.configure({
      categories: [
        { key: 'payment', label: 'Payment', queue: 'payments' },
        { key: 'account', label: 'Account', queue: 'L1' },
      ],
      queues: [
        { key: 'payments', label: 'Payments' },
        { key: 'L1', label: 'L1' },
      ],
    });
    labels.see('category', ['payment', 'old_complaints', '']);
    expect(labels.options('category', 'gone')).toEqual([
      ['account', 'Account'],
      ['gone', 'Gone'],
      ['old_complaints', 'Old complaints'],
      ['payment', 'Payment'],
    ]);
    expect(labels.category('')).toBe('uncategorised');
    expect(labels.queue('')).toBe('none');
    expect(labels.queue('VIP')).toBe('VIP');
  });
});
