/**
 * The spike detector over synthetic histories: weekday seasonality, a short history, the customers minimum,
 * and the cluster keys of first messages.
 */
import { describe, expect, it } from 'vitest';
import { keywordStems, clusterKey } from './cluster.js';
import { assess, countHistory, DEFAULT_DETECTOR, plan, type HistoryTicket } from './detector.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const cfg = DEFAULT_DETECTOR;

/** `n` tickets spread over the `minutes` before `end`, from `customers` different customers (round robin). */
function burst(end: number, n: number, minutes = 20, customers = n, firstCustomer = 1): HistoryTicket[] {
  return Array.from({ length: n }, (_, i) => ({ at: new Date(end - ((i + 1) * minutes * MIN) / (n + 1)), customer: firstCustomer + (i % customers) }));
}

/** `perWindow` tickets in every INCIDENT_WINDOW from `start` to `end`. */
function steady(start: number, end: number, perWindow: number): HistoryTicket[] {
  const out: HistoryTicket[] = [];
  const step = (cfg.windowSeconds * 1000) / perWindow;
  let c = 1000;
  for (let t = start; t < end; t += step) out.push({ at: new Date(t), customer: c++ });
  return out;
}

const judge = (history: HistoryTicket[], now: number, start: number) => assess(countHistory(history, plan(new Date(now), cfg), new Date(start)), cfg);

// A Monday 09:25 UTC, five weeks into the desk's history.
const MONDAY = Date.parse('2026-03-30T09:25:00Z');
const START = MONDAY - 5 * WEEK;

describe('spike detector', () => {
  it('flags a burst over a quiet weekday hour and reports count, baseline and the first ticket', () => {
    const history = [...steady(START, MONDAY - 30 * MIN, 0.2), ...burst(MONDAY, 8, 10)];
    const a = judge(history, MONDAY, START);
    expect(a).toMatchObject({ spike: true, tickets: 8, customers: 8, basis: 'weekly' });
    expect(a.baseline).toBeLessThan(1);
    expect(a.firstAt!.getTime()).toBeGreaterThanOrEqual(MONDAY - 10 * MIN);
  });

  it('honours weekday seasonality: a Monday-morning peak seen every week is no spike; the same count on a quiet Tuesday is', () => {
    // Every Monday 09:00–10:00 brings 12 tickets per window; the rest of the week 1 per window.
    const history: HistoryTicket[] = steady(START, MONDAY + WEEK, 1);
    for (let w = 0; w <= 5; w++) {
      const monday9 = MONDAY - 25 * MIN - w * WEEK;
      history.push(...steady(monday9, monday9 + HOUR, 11));
    }
    const sorted = history.filter((t) => t.at.getTime() <= MONDAY);
    const monday = judge(sorted, MONDAY, START);
    expect(monday.tickets).toBeGreaterThanOrEqual(10);
    expect(monday).toMatchObject({ spike: false, basis: 'weekly' });
    expect(monday.baseline).toBeGreaterThanOrEqual(9);
    // The recent average alone (a quiet night before) would have flagged it.
    expect(monday.tickets).toBeGreaterThanOrEqual(3 * ((1 * 24 * 2) / 48));

    // Tuesday, same hour, the same number of tickets: its weeks were quiet.
    const tuesday = MONDAY + DAY;
    const tue = [...steady(START, tuesday - 30 * MIN, 1), ...burst(tuesday, 12, 25)];
    for (let w = 0; w <= 5; w++) {
      const monday9 = MONDAY - 25 * MIN - w * WEEK;
      tue.push(...steady(monday9, monday9 + HOUR, 11));
    }
    expect(judge(tue, tuesday, START)).toMatchObject({ spike: true, basis: 'weekly' });
  });

  it('falls back to the recent average when the history is younger than a week', () => {
    const start = MONDAY - 2 * DAY;
    // A steady high-volume category: 10 tickets every window for two days, and the same now → no spike.
    const busy = steady(start, MONDAY, 10);
    const a = judge(busy, MONDAY, start);
    expect(a.basis).toBe('recent');
    expect(a.baseline).toBeCloseTo(10, 0);
    expect(a.spike).toBe(false);
    // Three times that in the last window is.
    const spike = [...steady(start, MONDAY - 30 * MIN, 10), ...burst(MONDAY, 31, 29)];
    expect(judge(spike, MONDAY, start)).toMatchObject({ spike: true, basis: 'recent' });
  });

  it('with no history at all, the minimum tickets and customers decide', () => {
    expect(judge(burst(MONDAY, 4, 10), MONDAY, MONDAY - 10 * MIN)).toMatchObject({ spike: false, basis: 'none' });
    expect(judge(burst(MONDAY, 5, 10), MONDAY, MONDAY - 10 * MIN)).toMatchObject({ spike: true, basis: 'none' });
  });

  it('needs at least three different customers: one customer writing again and again is no incident', () => {
    const two = burst(MONDAY, 9, 10, 2);
    expect(judge(two, MONDAY, START)).toMatchObject({ spike: false, tickets: 9, customers: 2 });
    expect(judge(burst(MONDAY, 9, 10, 3), MONDAY, START)).toMatchObject({ spike: true, customers: 3 });
  });

  it('forgets what is older than the window', () => {
    const old = burst(MONDAY - 40 * MIN, 8, 5);
    expect(judge(old, MONDAY, START)).toMatchObject({ spike: false, tickets: 0 });
  });
});

describe('cluster keys', () => {
  it('takes the article the KB would answer with', () => {
    expect(clusterKey('my card payment failed', () => 'card-declined')).toBe('kb:card-declined');
  });

  it('else groups first messages by their two longest stems, in either wording', () => {
    const a = clusterKey('The app crashes at startup', () => undefined);
    const b = clusterKey('app keeps crashing on startup!!', () => undefined);
    expect(a).toBe('kw:crash+startup');
    expect(b).toBe(a);
    expect(keywordStems('Приложение падает при запуске', 'ru')).toEqual(['запуск', 'приложен']);
    expect(clusterKey('hi', () => undefined)).toBeUndefined();
  });
});
