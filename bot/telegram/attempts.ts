/**
 * A relay's claim (relay_inflight, bot/store/message-pairs.ts) held only while a copy may be under way.
 *
 * The relay claims a message before copying it, so that a crash between the copy and its record does not make
 * the redelivered update copy it again. But a copy is more than one HTTP request, and most of its time can be
 * spent not sending: waiting its turn in the throttler (a support group takes 20 messages a minute), or in
 * auto-retry waiting out a 429's retry_after (or backing off after a 5xx). A claim left standing by a crash
 * during such a wait covers a message that was never copied: the next start takes it for a cut-off copy and
 * copies it again, flagged as possibly doubled — or, before the claim was given back at all, skipped it.
 *
 * So the claim is given back whenever nothing is under way, and taken again right before the attempt:
 * - after an attempt Telegram answered with an error (it copied nothing — auto-retry itself assumes so when it
 *   sends again);
 * - while the call waits its turn in the throttler for longer than `QUEUE_PATIENCE_MS` (a short wait keeps the
 *   claim: giving it back and taking it again costs two statements).
 * A claim without a pair then means an attempt was in flight (or had succeeded) when the process died: the only
 * window left is the request itself (and at most `QUEUE_PATIENCE_MS` of a queue), and such a claim is orphaned
 * at the next start and copied again, flagged (bot/telegram/relay.ts). A request that got no answer at all (a
 * network error) keeps its claim: it may have been performed.
 *
 * Two transformers, installed around the throttler: `guardQueue()` outside it (inside auto-retry, so it sees
 * each attempt) and `guardAttempts()` inside it, right before the request. The throttler runs a queued call
 * from whichever call freed its slot, so the async context does not survive it: the outer one hands the copy's
 * guard to the inner one by the payload object, which the throttler passes on unchanged (as its own
 * `bypassThrottler` relies on).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transformer } from 'grammy';

export interface AttemptGuard {
  /** Right before an attempt is sent: take the claim again if it was given back. */
  attempting(): Promise<void>;
  /** Nothing of the copy is under way (Telegram refused the attempt, or it waits its turn): give the claim back. */
  idle(): Promise<void>;
}

/** How long a call may wait in the throttler before its claim is given back for the rest of the wait. */
export const QUEUE_PATIENCE_MS = 1000;

const guards = new AsyncLocalStorage<AttemptGuard>();
/** The guard of a call on its way through the throttler, and whether its request has started. */
const inQueue = new WeakMap<object, { guard: AttemptGuard; started: boolean }>();

/** Runs `copy` (the Bot API calls of one claimed copy) with `guard` called around each attempt. */
export function withAttemptGuard<T>(guard: AttemptGuard, copy: () => Promise<T>): Promise<T> {
  return guards.run(guard, copy);
}

/**
 * Outside the throttler: hands the copy's guard to `guardAttempts`, and gives the claim back once the call has
 * waited `patienceMs` for its turn. `onError` hears a give-back that failed (the claim then stays: safe).
 */
export function guardQueue(onError: (err: unknown) => void, patienceMs = QUEUE_PATIENCE_MS): Transformer {
  return async (prev, method, payload, signal) => {
    const guard = guards.getStore();
    if (!guard || typeof payload !== 'object' || payload === null) return prev(method, payload, signal);
    // The guard belongs to this copy's calls only, not to whatever they start (none today).
    return guards.exit(async () => {
      const call = { guard, started: false };
      inQueue.set(payload, call);
      const timer = setTimeout(() => {
        if (!call.started) guard.idle().catch(onError);
      }, patienceMs);
      try {
        return await prev(method, payload, signal);
      } finally {
        clearTimeout(timer);
        inQueue.delete(payload);
      }
    });
  };
}

/** Inside the throttler, right before the request: the claim is taken again if given back, and given back if Telegram refuses. */
export function guardAttempts(): Transformer {
  return async (prev, method, payload, signal) => {
    const call = typeof payload === 'object' && payload !== null ? inQueue.get(payload) : undefined;
    if (!call) return prev(method, payload, signal);
    call.started = true;
    await call.guard.attempting();
    const res = await prev(method, payload, signal);
    if (!res.ok) await call.guard.idle();
    return res;
  };
}

/**
 * A guard over claims of `messageIds` in `chatId`: given back while nothing is under way, taken again before
 * the next attempt. Those taken over from a dead process (`orphaned`) go back orphaned, so a crash during a wait
 * still leaves them to be copied again and flagged. One change at a time, in the order asked: a give-back from
 * the queue's timer and the attempt that follows it never cross.
 */
export function claimGuard(
  claims: {
    claim(chatId: number, ids: readonly number[]): Promise<unknown>;
    release(chatId: number, ids: readonly number[], orphaned?: ReadonlySet<number>): Promise<void>;
  },
  chatId: number,
  messageIds: readonly number[],
  orphaned: ReadonlySet<number> = new Set(),
): AttemptGuard {
  let held = true;
  let last: Promise<unknown> = Promise.resolve();
  const inTurn = (change: () => Promise<void>): Promise<void> => {
    const next = last.then(change, change);
    last = next.catch(() => undefined);
    return next;
  };
  return {
    attempting: () =>
      inTurn(async () => {
        if (held) return;
        await claims.claim(chatId, messageIds);
        held = true;
      }),
    idle: () =>
      inTurn(async () => {
        if (!held) return;
        await claims.release(chatId, messageIds, orphaned);
        held = false;
      }),
  };
}
