/**
 * A relay's claim (relay_inflight, bot/store/message-pairs.ts) held only while a copy may be under way.
 *
 * The relay claims a message before copying it, so that a crash between the copy and its record does not make
 * the redelivered update copy it again. But a copy is more than one HTTP request: auto-retry waits out a 429's
 * retry_after (and backs off after a 5xx) and tries again, and a crash during such a wait left the claim
 * standing over a message that was never copied — the redelivery then skipped it, and the message was lost.
 *
 * `withAttemptGuard` runs a copy with hooks that this transformer calls around each attempt: after an attempt
 * Telegram answered with an error (it copied nothing — auto-retry itself assumes so when it sends again) the
 * claim is given back, and it is taken again right before the next attempt. So a claim without a pair means an
 * attempt was in flight (or had succeeded) when the process died: the only window left is the request itself,
 * and such a claim is orphaned at the next start and copied again, flagged (bot/telegram/relay.ts).
 * A request that got no answer at all (a network error) keeps its claim: it may have been performed.
 *
 * Install it inside auto-retry (before it), so it sees each attempt: `api.config.use(guardAttempts())`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transformer } from 'grammy';

export interface AttemptGuard {
  /** Before an attempt that follows a failed one: take the claim again. */
  retrying(): Promise<void>;
  /** Telegram answered the attempt with an error: nothing was copied, give the claim back. */
  failed(): Promise<void>;
}

const guards = new AsyncLocalStorage<AttemptGuard>();

/** Runs `copy` (the Bot API calls of one claimed copy) with `guard` called around each attempt. */
export function withAttemptGuard<T>(guard: AttemptGuard, copy: () => Promise<T>): Promise<T> {
  return guards.run(guard, copy);
}

export function guardAttempts(): Transformer {
  return async (prev, method, payload, signal) => {
    const g = guards.getStore();
    if (!g) return prev(method, payload, signal);
    // The guard belongs to this copy's calls only, not to whatever they start (none today).
    return guards.exit(async () => {
      await g.retrying();
      const res = await prev(method, payload, signal);
      if (!res.ok) await g.failed();
      return res;
    });
  };
}

/**
 * A guard over claims of `messageIds` in `chatId`: released on a failed attempt, claimed again before the next.
 * Those taken over from a dead process (`orphaned`) go back orphaned, so a crash during the wait still leaves
 * them to be copied again and flagged.
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
  let released = false;
  return {
    async retrying() {
      if (!released) return;
      await claims.claim(chatId, messageIds);
      released = false;
    },
    async failed() {
      if (released) return;
      await claims.release(chatId, messageIds, orphaned);
      released = true;
    },
  };
}
