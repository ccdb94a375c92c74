/**
 * How far the desk is behind Telegram's updates (issue 18, item 9): the age of
 * the oldest update it has not finished — fetched by getUpdates (or posted to
 * the webhook) and not yet handled to the end. 0 when nothing is pending.
 *
 * An update's age runs from its Telegram date (a message's `date`, an edit's
 * `edit_date`, a member change's `date`…; a button press has none and counts
 * from when it was fetched). So updates that waited at Telegram while the bot
 * was down or slow count from when they happened, not from when they were
 * fetched, and one stuck in a handler keeps ageing.
 *
 * One correction: an update can never be older than the last getUpdates that
 * came back with fewer updates than it asked for — Telegram had no more then,
 * so whatever came later happened later. A sandbox replaying history sends
 * messages dated days ago (the demo's first minutes); without this floor each
 * would read as days of lag.
 *
 * Seen from outside polling.ts, without touching its confirm logic: an API
 * transformer watches getUpdates (what was fetched, and the `offset` that
 * confirms everything before it) and a middleware, installed first, sees each
 * update start and finish.
 */
import type { Context, MiddlewareFn, Transformer } from 'grammy';
import type { Update } from 'grammy/types';
import { defineConfig, env } from '../../core/env.js';
import type { HealthCheck } from '../../core/http.js';

export const loadUpdatesLagConfig = defineConfig('bot', {
  UPDATES_LAG_DEGRADED: env.duration({
    default: '60s',
    doc: "The desk is degraded on /healthz while it is this far behind Telegram's updates (desk_updates_lag_seconds: the oldest update fetched and not yet handled, by its Telegram date). Alert DeskUpdatesLagging uses the same 60 s.",
  }),
});

/** An update's Telegram date in ms: the first field of its payload that carries one (edits by their edit_date). */
export function updateDateMs(u: Update): number | undefined {
  for (const [key, value] of Object.entries(u)) {
    if (key === 'update_id' || typeof value !== 'object' || value === null) continue;
    const o = value as { date?: unknown; edit_date?: unknown };
    const seconds = typeof o.edit_date === 'number' ? o.edit_date : typeof o.date === 'number' ? o.date : undefined;
    return seconds === undefined ? undefined : seconds * 1000;
  }
  return undefined;
}

export class UpdatesLag {
  /** Pending updates: id → the time their age counts from (ms). */
  private readonly pending = new Map<number, number>();
  /** When a getUpdates last came back short (Telegram had nothing more): no later update is older. */
  private floor: number | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds the desk is behind: the age of the oldest pending update, 0 when none. */
  seconds(): number {
    let oldest = Infinity;
    for (const t of this.pending.values()) if (t < oldest) oldest = t;
    return oldest === Infinity ? 0 : Math.max(0, this.now() - oldest) / 1000;
  }

  /** How many updates are fetched and not yet handled (tests, logs). */
  get size(): number {
    return this.pending.size;
  }

  private note(u: Update): void {
    if (this.pending.has(u.update_id)) return;
    const now = this.now();
    const dated = updateDateMs(u) ?? now;
    this.pending.set(u.update_id, Math.min(now, Math.max(dated, this.floor ?? -Infinity)));
  }

  /** For the bot's Api: `bot.api.config.use(lag.transformer())`. Sees getUpdates only; passes everything through. */
  transformer(): Transformer {
    return async (prev, method, payload, signal) => {
      if (method !== 'getUpdates') return prev(method, payload, signal);
      const p = (payload ?? {}) as { offset?: number; limit?: number };
      // Telegram forgets everything before the offset: those are processed (or were skipped as processed).
      if (typeof p.offset === 'number' && p.offset > 0) for (const id of this.pending.keys()) if (id < p.offset) this.pending.delete(id);
      const res = await prev(method, payload, signal);
      if (res.ok) {
        const updates = res.result as Update[];
        for (const u of updates) this.note(u);
        if (updates.length < (p.limit ?? 100)) this.floor = this.now();
      }
      return res;
    };
  }

  /** Installed before every other middleware: an update is pending until its handling ends (webhook updates too). */
  middleware<C extends Context>(): MiddlewareFn<C> {
    return async (ctx, next) => {
      this.note(ctx.update);
      try {
        await next();
      } finally {
        this.pending.delete(ctx.update.update_id);
      }
    };
  }
}

/** The /healthz check: degraded while the desk is more than `thresholdSeconds` behind Telegram's updates. */
export function updatesLagHealth(lag: Pick<UpdatesLag, 'seconds'>, thresholdSeconds: number): HealthCheck {
  return async () => {
    const s = lag.seconds();
    if (s <= thresholdSeconds) return undefined;
    return {
      state: 'degraded',
      reason: `behind Telegram's updates by more than ${thresholdSeconds} s (UPDATES_LAG_DEGRADED): desk_updates_lag_seconds on /metrics`,
      detail: `the oldest pending update is ${Math.round(s)} s old`,
    };
  };
}
