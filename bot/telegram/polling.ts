/**
 * Long polling that cannot lose or double-handle an update across a crash.
 *
 * @grammyjs/runner's own fetcher moves `offset` past a batch as soon as it is
 * fetched, and the next getUpdates (issued while the batch is still being
 * handled) confirms it to Telegram: a hard crash then loses every update in
 * flight. Here the runner's source, concurrent sink and runner are kept, with
 * our own supplier:
 *
 * - getUpdates' `offset` is the watermark + 1: the watermark is the highest
 *   update id handled to the end together with every update before it, so
 *   Telegram forgets an update only once it is processed — a crash redelivers
 *   what was in flight;
 * - the watermark is persisted (update_cursor, migration 170) after updates
 *   finish (one write at a time, coalesced); on start updates up to it are
 *   skipped, so one processed but not yet confirmed is not handled twice;
 * - updates fetched again while still in flight are not dispatched again; when
 *   a fetch brings only those, the next waits until the oldest is done (so a
 *   slow update holds back fetching once 100 after it are in flight);
 * - a fetch while updates are in flight first waits briefly for the oldest to
 *   finish: Telegram would hand it straight back, unconfirmed — at a steady
 *   pace that was a second getUpdates for every update;
 * - a cursor not written for a week is ignored (Telegram may then restart the
 *   ids at random), and the first fetch confirms nothing;
 * - work a handler leaves running past its update (an album part: the relay
 *   gathers the parts and copies them together moments later) is tied to the
 *   update with `holdUpdateUntil`: the update counts as processed — and the
 *   cursor passes it — only once that work is done, so a crash meanwhile
 *   redelivers the album's parts instead of losing them.
 *
 * Per-chat order is the bot's `sequentialize` middleware, as before.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createConcurrentSink, createRunner, createSource, type UpdateSupplier } from '@grammyjs/runner';
import type { Bot, Context } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../../core/log.js';
import type { Queryable } from '../../core/postgres.js';
import { InFlight } from './in-flight.js';

/** The update being handled (polling only): work to wait for before it counts as processed. */
const handling = new AsyncLocalStorage<Promise<unknown>[]>();

/**
 * Ties `work` to the update being handled: under long polling the update is confirmed (and the persisted
 * cursor passes it) only once `work` settles, however soon its handler returns. Outside polling (webhook,
 * tests calling handleUpdate) it does nothing.
 */
export function holdUpdateUntil(work: Promise<unknown>): void {
  handling.getStore()?.push(work);
}

/** Telegram restarts update ids at random after a week without updates: an older cursor means nothing. */
export const CURSOR_MAX_AGE_DAYS = 7;

/** A fetch that brought only updates in flight: the next one waits for the watermark to move, this long at most (doubling to MAX_IDLE_WAIT_MS). */
const IDLE_WAIT_MS = 20;
const MAX_IDLE_WAIT_MS = 500;

/** The persisted watermark of processed updates, per bot. */
export class UpdateCursor {
  constructor(
    private readonly db: Queryable,
    private readonly botId: number,
  ) {}

  /** The last processed update id, unless none or older than a week. */
  async load(): Promise<number | undefined> {
    const r = await this.db.query<{ last_update_id: number }>(
      `SELECT last_update_id FROM update_cursor WHERE bot_id = $1 AND updated_at > now() - make_interval(days => ${CURSOR_MAX_AGE_DAYS})`,
      [this.botId],
    );
    const v = r.rows[0]?.last_update_id;
    return v === undefined ? undefined : Number(v);
  }

  async save(lastUpdateId: number): Promise<void> {
    await this.db.query(
      `INSERT INTO update_cursor (bot_id, last_update_id) VALUES ($1, $2)
       ON CONFLICT (bot_id) DO UPDATE SET last_update_id = GREATEST(update_cursor.last_update_id, EXCLUDED.last_update_id), updated_at = now()`,
      [this.botId, lastUpdateId],
    );
  }
}

export interface PollingOptions {
  db: Queryable;
  allowedUpdates: readonly string[];
  log: Logger;
  /** Updates handled at once (the runner's sink); default 500. */
  concurrency?: number;
}

export interface Polling {
  isRunning(): boolean;
  /** Stops fetching, waits for the updates in flight, persists and confirms the watermark. */
  stop(): Promise<void>;
  /** The highest update id processed with all before it (tests). */
  watermark(): number | undefined;
}

export async function startPolling<C extends Context>(bot: Bot<C>, o: PollingOptions): Promise<Polling> {
  const cursor = new UpdateCursor(o.db, bot.botInfo.id);
  const processed = await cursor.load();
  const flight = new InFlight(processed);
  let persisted = processed;
  let saving: Promise<void> | undefined;
  let dirty = false;

  const persist = (): Promise<void> => {
    if (saving) {
      dirty = true;
      return saving;
    }
    saving = (async () => {
      // Updates finishing in this turn of the event loop (a group commit's callers: bot/store/group-commit.ts) share one write.
      await new Promise((r) => setImmediate(r));
      do {
        dirty = false;
        const w = flight.watermark();
        if (w === undefined || (persisted !== undefined && w <= persisted)) continue;
        try {
          await cursor.save(w);
          persisted = w;
        } catch (err) {
          // Not fatal: the next update writes it again; a crash meanwhile only redelivers (and re-skips) a few.
          o.log.warn({ err }, 'could not persist the update cursor');
        }
      } while (dirty);
    })().finally(() => {
      saving = undefined;
    });
    return saving;
  };

  let idleWaitMs = IDLE_WAIT_MS;
  const supplier: UpdateSupplier<Update> = {
    async supply(batchSize, abort): Promise<Update[]> {
      const signal = abort as unknown as AbortSignal;
      let retryIn = 100;
      // Unconfirmed updates come straight back: give the oldest in flight a moment to finish first (briefly, so
      // a slow one does not hold back other customers' new updates; the loop below handles a slow one).
      if (flight.size > 0) await flight.advance(flight.watermark(), signal, IDLE_WAIT_MS);
      if (signal.aborted) return [];
      for (;;) {
        const w = flight.watermark();
        let updates: Update[];
        try {
          updates = await bot.api.getUpdates(
            {
              timeout: 30,
              allowed_updates: [...o.allowedUpdates] as never,
              // Nothing known (first start, or a stale cursor): confirm nothing.
              offset: w === undefined ? 0 : w + 1,
              limit: Math.max(1, Math.min(batchSize, 100)),
            },
            signal as never,
          );
        } catch (err) {
          if (signal.aborted) throw err;
          const code = (err as { error_code?: number }).error_code;
          if (code === 401 || code === 409) throw err;
          await new Promise((r) => setTimeout(r, retryIn));
          retryIn = Math.min(retryIn * 2, 30_000);
          continue;
        }
        const fresh = flight.fresh(updates);
        if (fresh.length || updates.length === 0) {
          idleWaitMs = IDLE_WAIT_MS;
          return fresh;
        }
        // Only updates in flight came back (unconfirmed): ask again once the watermark moves (the oldest is done)
        // — or after a short wait, so one slow update (a flood wait, a held album) does not keep other
        // customers' new updates from being fetched; the wait grows while nothing new comes.
        await flight.advance(w, signal, idleWaitMs);
        idleWaitMs = Math.min(idleWaitMs * 2, MAX_IDLE_WAIT_MS);
        if (signal.aborted) return [];
      }
    },
  };
  const source = createSource(supplier);
  const sink = createConcurrentSink<Update>(
    {
      consume: async (update) => {
        const held: Promise<unknown>[] = [];
        try {
          await handling.run(held, () => bot.handleUpdate(update));
        } finally {
          // What the handler left running for this update (an album's gathered copy) finishes first.
          while (held.length) await Promise.allSettled(held.splice(0));
          flight.done(update.update_id);
          void persist();
        }
      },
    },
    async (error) => {
      await Promise.resolve(bot.errorHandler(error as never)).catch((err: unknown) => o.log.error({ err }, 'update error handler failed'));
    },
    { concurrency: o.concurrency ?? 500 },
  );
  const runner = createRunner(source, sink);
  runner.start();
  o.log.debug({ processed }, 'polling from the persisted cursor');

  return {
    isRunning: () => runner.isRunning(),
    watermark: () => flight.watermark(),
    async stop() {
      await runner.stop();
      const never = new AbortController().signal;
      await flight.advance(Number.MAX_SAFE_INTEGER, never);
      await persist();
      const w = flight.watermark();
      // Confirm what was processed, as grammY's own stop does (best effort: the cursor covers it anyway).
      if (w !== undefined) await bot.api.getUpdates({ offset: w + 1, limit: 1, timeout: 0 }).catch(() => undefined);
    },
  };
}
