/**
 * The throttler's limits against Telegram's, as the sandbox models them
 * (sandbox/flood.ts): every call the throttler lets through is checked by
 * the sandbox's own flood control at the moment it leaves. Fake timers make
 * the moment exact, so a burst can start anywhere in bottleneck's beat.
 */
import { apiThrottler } from '@grammyjs/transformer-throttler';
import type { ApiCallFn } from 'grammy';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FloodControl, TELEGRAM_FLOOD_LIMITS } from '../../sandbox/flood.js';
import { throttlerOptions } from './api.js';

const LIMITS = { enabled: true, globalPerSecond: 30, groupPerMinute: 20, chatPerSecond: 1 };
const GROUP = -1002000000001;

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * Through a new throttler: one call to the first of `chats` (its limiters start then), and `startAfterMs` later one call to
 * each of the others, all at once. How many calls Telegram would have taken and refused.
 */
async function burst(chats: number[], startAfterMs: number): Promise<{ sent: number; refused: number }> {
  const flood = new FloodControl(TELEGRAM_FLOOD_LIMITS, () => Date.now());
  let sent = 0;
  let refused = 0;
  const prev = (async (_method: string, payload: { chat_id: number }) => {
    if (flood.check(payload.chat_id, payload.chat_id < 0)) refused++;
    else sent++;
    return { ok: true, result: true };
  }) as unknown as ApiCallFn;
  const throttle = apiThrottler(throttlerOptions(LIMITS));
  const call = (chat_id: number) => throttle(prev, 'sendMessage', { chat_id, text: 'x' } as never);
  const first = call(chats[0]!);
  await vi.advanceTimersByTimeAsync(startAfterMs);
  const calls = Promise.all([first, ...chats.slice(1).map(call)]);
  while (sent + refused < chats.length) await vi.advanceTimersByTimeAsync(50);
  await calls;
  return { sent, refused };
}

describe('throttler', () => {
  // bottleneck's reservoir refresh (the plugin's default) reset the budget every second from the limiter's
  // first call: 30 calls at 900 ms and 30 more at 1000 ms — twice the limit within 0.1 s, answered with 429s.
  it.each([0, 250, 600, 900, 990])('keeps a call and, %i ms later, a burst to 75 other private chats within 30 a second', async (startAfterMs) => {
    const chats = Array.from({ length: 76 }, (_, i) => 9000 + i);
    expect(await burst(chats, startAfterMs)).toEqual({ sent: 76, refused: 0 });
  });

  // Likewise a per-minute budget reset every minute: 20 at the end of one and 20 at the start of the next.
  it.each([0, 30_000, 45_000, 59_000])('keeps a call and, %i ms later, 50 more into the same group within 20 a minute', async (startAfterMs) => {
    expect(
      await burst(
        Array.from({ length: 51 }, () => GROUP),
        startAfterMs,
      ),
    ).toEqual({ sent: 51, refused: 0 });
  });
});
