/**
 * The updates lag end to end (issue 18, item 9): the desk, polling the
 * sandbox, finds at start-up customer messages that waited at Telegram for
 * five minutes while it was down. While they are being handled
 * desk_updates_lag_seconds says how far behind it is and /healthz is
 * degraded; once handled both are back to normal. A message dated in the past
 * that arrives while the desk is caught up (the demo's replayed history) is
 * not lag.
 */
import { Composer } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext } from '../../bot/context.js';
import { updatesLagHealth } from '../../bot/telegram/updates-lag.js';
import { createHttpServer } from '../../core/http.js';
import { registry } from '../../core/metrics.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
/** Messages saying "hold" wait in their handler until released. */
let release: () => void = () => undefined;
let held = new Promise<void>((r) => (release = r));
const hold = () => {
  held = new Promise<void>((r) => (release = r));
};

beforeAll(async () => {
  h = await startHarness({
    composers: () => {
      const c = new Composer<BotContext>();
      c.on('message:text', async (ctx, next) => {
        if (ctx.message.text === 'hold') await held;
        return next();
      });
      return [c];
    },
  });
}, 60_000);
afterAll(async () => h?.close());

const gauge = async () => {
  const line = (await registry.getSingleMetricAsString('desk_updates_lag_seconds')).split('\n').find((l) => l.startsWith('desk_updates_lag_seconds '));
  return Number(line?.split(' ')[1]);
};

describe('updates lag', () => {
  it('a backlog found at start-up shows as lag and on /healthz until it is handled', async () => {
    await h.desk.stop();
    // Written while the desk is down, five minutes ago by Telegram's clock.
    const { now } = await h.client.getClock();
    await h.client.setClock({ unix: now - 300 });
    hold();
    await h.client.sendCustomerMessage(9101, 'hold');
    await h.client.sendCustomerMessage(9102, 'hello');
    await h.client.setClock({ unix: now });
    await h.restart();

    await expect.poll(() => h.desk.updatesLag.size, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(h.desk.updatesLag.seconds()).toBeGreaterThanOrEqual(299);
    expect(await gauge()).toBeGreaterThanOrEqual(299);
    const http = await createHttpServer({ host: '127.0.0.1', token: undefined, healthChecks: { updates: updatesLagHealth(h.desk.updatesLag, 60) } });
    try {
      const res = await http.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        ok: true,
        status: 'degraded',
        checks: {
          updates: { state: 'degraded', reason: "behind Telegram's updates by more than 60 s (UPDATES_LAG_DEGRADED): desk_updates_lag_seconds on /metrics" },
        },
      });
      release();
      await h.settle();
      await expect.poll(() => h.desk.updatesLag.size, { timeout: 10_000 }).toBe(0);
      expect(await gauge()).toBe(0);
      expect((await http.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ ok: true, status: 'ok', checks: { updates: { state: 'ok' } } });
    } finally {
      release();
      await http.close();
    }
  }, 60_000);

  it('a past-dated message arriving while the desk is caught up (a replay) is not lag', async () => {
    await h.settle();
    const { now } = await h.client.getClock();
    await h.client.setClock({ unix: now - 7 * 86_400 });
    hold();
    try {
      await h.client.sendCustomerMessage(9103, 'hold');
      await expect.poll(() => h.desk.updatesLag.size, { timeout: 10_000 }).toBe(1);
      // It counts from the last getUpdates that came back short (the desk was caught up), not from last week.
      expect(h.desk.updatesLag.seconds()).toBeLessThan(60);
    } finally {
      release();
      await h.client.setClock({ unix: now });
    }
    await h.settle();
  }, 60_000);
});
