/**
 * The idempotency keys of relayed messages (relay_event_keys, migration 185) are needed only while Telegram
 * could still deliver the update that carried the message again: a day at most. They are kept a day longer
 * than the update cursor's week, then pruned — at the desk's start and every hour after, in long polling and
 * in webhook mode alike. (The pruning used to ride on the polling cursor's writes, so a desk on a webhook kept
 * every key forever.)
 */
import type { Logger } from '../../core/log.js';
import type { Queryable } from '../../core/postgres.js';
import { CURSOR_MAX_AGE_DAYS } from './polling.js';

/** Keys older than this are pruned. */
export const RELAY_KEY_MAX_AGE_DAYS = CURSOR_MAX_AGE_DAYS + 1;

/** Deletes the keys older than RELAY_KEY_MAX_AGE_DAYS; how many went. */
export async function pruneRelayKeys(db: Queryable): Promise<number> {
  const r = await db.query(`DELETE FROM relay_event_keys WHERE recorded_at < now() - make_interval(days => ${RELAY_KEY_MAX_AGE_DAYS})`);
  return r.rowCount;
}

/** Prunes now and every `everyMs` (default an hour) until stopped; a failure is logged and tried again next time. */
export function startRelayKeyRetention(db: Queryable, log: Logger, everyMs = 3_600_000): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    running = pruneRelayKeys(db)
      .then((n) => {
        if (n > 0) log.debug({ pruned: n }, 'old relay keys pruned');
      })
      .catch((err: unknown) => log.warn({ err }, 'could not prune old relay keys; trying again later'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(run, everyMs).unref();
      });
  };
  run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
