/**
 * The updates-lag bookkeeping (updates-lag.ts) on a scripted getUpdates and a
 * fixed clock: what counts as pending, from when, and when it stops counting.
 * The desk end to end (a backlog found at start-up, /healthz, the gauge) is
 * test/bot/updates-lag.test.ts.
 */
import type { ApiCallFn, Transformer } from 'grammy';
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { UpdatesLag, updateDateMs, updatesLagHealth } from './updates-lag.js';

const T0 = 1_800_000_000_000;
const msg = (id: number, date: number): Update =>
  ({ update_id: id, message: { message_id: id, date, chat: { id: 1, type: 'private', first_name: 'A' } } }) as Update;

function fixture() {
  let now = T0;
  const lag = new UpdatesLag(() => now);
  let next: Update[] = [];
  const prev = (async () => ({ ok: true, result: next })) as unknown as ApiCallFn;
  const t: Transformer = lag.transformer();
  const fetch = async (updates: Update[], payload: { offset?: number; limit?: number } = {}) => {
    next = updates;
    await t(prev, 'getUpdates', { limit: 100, ...payload } as never);
  };
  const handle = async (u: Update, work: () => Promise<void> = async () => undefined) => lag.middleware()({ update: u } as never, work);
  return { lag, fetch, handle, at: (ms: number) => (now = T0 + ms) };
}

describe('UpdatesLag', () => {
  it('counts a backlog found at start-up from the Telegram dates, until each update is handled', async () => {
    const f = fixture();
    // Waited at Telegram while the desk was down: 5 and 2 minutes old when fetched.
    await f.fetch([msg(10, T0 / 1000 - 300), msg(11, T0 / 1000 - 120)], { limit: 2 });
    expect(f.lag.seconds()).toBe(300);
    f.at(10_000);
    expect(f.lag.seconds()).toBe(310);
    await f.handle(msg(10, 0));
    expect(f.lag.seconds()).toBe(130);
    await f.handle(msg(11, 0));
    expect(f.lag.seconds()).toBe(0);
  });

  it('an update stuck in a handler keeps ageing; the offset of the next getUpdates forgets confirmed ones', async () => {
    const f = fixture();
    await f.fetch([]);
    f.at(1000);
    await f.fetch([msg(20, T0 / 1000 + 1), msg(21, T0 / 1000 + 1)]);
    let release!: () => void;
    const stuck = f.handle(msg(20, 0), () => new Promise<void>((r) => (release = r)));
    f.at(91_000);
    expect(f.lag.seconds()).toBe(90);
    release();
    await stuck;
    // 21 was skipped by polling as already processed (a persisted cursor): confirmed by the next offset.
    expect(f.lag.size).toBe(1);
    await f.fetch([], { offset: 22 });
    expect(f.lag.seconds()).toBe(0);
    expect(f.lag.size).toBe(0);
  });

  it('an update is never older than the last getUpdates that came back short (a replay of past-dated history)', async () => {
    const f = fixture();
    f.at(5000);
    await f.fetch([]); // caught up at T0+5 s
    f.at(6000);
    // A sandbox replaying last week sends a message dated 7 days ago.
    await f.fetch([msg(30, T0 / 1000 - 7 * 86_400)]);
    expect(f.lag.seconds()).toBe(1);
    // A full batch (limit reached) says nothing about what is still waiting: the floor stays.
    f.at(8000);
    await f.fetch(
      Array.from({ length: 3 }, (_, i) => msg(31 + i, T0 / 1000 - 86_400)),
      { limit: 3 },
    );
    f.at(9000);
    await f.fetch([msg(34, T0 / 1000 - 86_400)], { limit: 3 });
    expect(f.lag.seconds()).toBe(4); // 31–33 count from T0+5 s (the last short fetch before them)
  });

  it('dates: an edit by its edit_date, a member change by its date, a button press from when it was fetched', async () => {
    expect(updateDateMs({ update_id: 1, edited_message: { date: 100, edit_date: 160 } } as never)).toBe(160_000);
    expect(updateDateMs({ update_id: 1, my_chat_member: { date: 200 } } as never)).toBe(200_000);
    expect(updateDateMs({ update_id: 1, callback_query: { id: 'x', message: { date: 1 } } } as never)).toBeUndefined();
    const f = fixture();
    await f.fetch([{ update_id: 40, callback_query: { id: 'x', data: 'y' } } as never]);
    f.at(3000);
    expect(f.lag.seconds()).toBe(3);
  });

  it('/healthz is degraded over the threshold and says why', async () => {
    const check = updatesLagHealth({ seconds: () => 75 }, 60);
    expect(await check()).toEqual({
      state: 'degraded',
      reason: "behind Telegram's updates by more than 60 s (UPDATES_LAG_DEGRADED): desk_updates_lag_seconds on /metrics",
      detail: 'the oldest pending update is 75 s old',
    });
    expect(await updatesLagHealth({ seconds: () => 60 }, 60)()).toBeUndefined();
  });
});
