/**
 * The bot's update queue with Telegram's getUpdates semantics: ids grow by
 * one, `offset` confirms (forgets) everything before it, a negative offset
 * keeps only the last updates, `allowed_updates` is remembered and applies to
 * updates created after the call, and a single long poll waits at a time — a
 * newer getUpdates terminates the waiting one with 409, as Telegram does.
 */
import { type BotApiError, TelegramErrors } from './errors.js';

export type UpdateKind =
  | 'message'
  | 'edited_message'
  | 'callback_query'
  | 'my_chat_member'
  | 'chat_member'
  | 'chat_join_request'
  | 'message_reaction'
  | 'message_reaction_count';

export interface Update {
  update_id: number;
  [kind: string]: unknown;
}

/** Telegram's default when allowed_updates was never given: everything but these. */
const NOT_DELIVERED_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

export interface SavedUpdates {
  nextUpdateId: number;
  pending: Update[];
  allowedUpdates?: string[];
}

interface Waiter {
  resolve(updates: Update[]): void;
  reject(err: BotApiError): void;
  timer: NodeJS.Timeout;
  limit: number;
}

export class UpdateQueue {
  private queue: Update[] = [];
  private head = 0;
  private nextId: number;
  private allowed: Set<string> | undefined;
  private waiter: Waiter | undefined;
  private listeners = new Set<() => void>();
  queuedTotal = 0;

  constructor(firstUpdateId = 100_000_001) {
    this.nextId = firstUpdateId;
  }

  /** Queues an update unless the bot's allowed_updates exclude its kind. Returns it (or undefined when filtered). */
  push(kind: UpdateKind, payload: unknown): Update | undefined {
    if (this.allowed ? !this.allowed.has(kind) : NOT_DELIVERED_BY_DEFAULT.has(kind)) return undefined;
    const update: Update = { update_id: this.nextId++, [kind]: payload };
    this.queue.push(update);
    this.queuedTotal++;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      clearTimeout(w.timer);
      // Let updates produced in the same tick join the batch, as Telegram batches them.
      setImmediate(() => w.resolve(this.peek(w.limit)));
    }
    for (const l of this.listeners) l();
    return update;
  }

  get pendingCount(): number {
    return this.queue.length - this.head;
  }

  /** Called when updates are waiting (webhook delivery). */
  onPush(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setAllowedUpdates(list: string[] | undefined): void {
    if (list === undefined) return;
    this.allowed = list.length ? new Set(list) : undefined;
  }

  get allowedUpdates(): string[] | undefined {
    return this.allowed ? [...this.allowed] : undefined;
  }

  /** Forgets updates with id < offset; a negative offset keeps the last -offset updates. */
  confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    if (offset < 0) {
      this.head = Math.max(this.head, this.queue.length + offset);
    } else {
      while (this.head < this.queue.length && this.queue[this.head]!.update_id < offset) this.head++;
    }
    this.compact();
  }

  peek(limit: number): Update[] {
    return this.queue.slice(this.head, this.head + limit);
  }

  first(): Update | undefined {
    return this.queue[this.head];
  }

  /** Drops every pending update (deleteWebhook/setWebhook with drop_pending_updates). */
  dropPending(): void {
    this.head = this.queue.length;
    this.compact();
  }

  /** Long poll: resolves at once when updates are pending, else when one arrives or `timeoutSec` elapses. */
  poll(opts: { offset?: number; limit: number; timeoutSec: number; onCancel: (cancel: () => void) => void }): Promise<Update[]> {
    if (this.waiter) {
      const old = this.waiter;
      this.waiter = undefined;
      clearTimeout(old.timer);
      old.reject(TelegramErrors.pollingConflict());
    }
    this.confirm(opts.offset);
    if (this.pendingCount > 0 || opts.timeoutSec <= 0) return Promise.resolve(this.peek(opts.limit));
    return new Promise<Update[]>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        limit: opts.limit,
        timer: setTimeout(() => {
          if (this.waiter === waiter) this.waiter = undefined;
          resolve(this.peek(opts.limit));
        }, opts.timeoutSec * 1000),
      };
      this.waiter = waiter;
      opts.onCancel(() => {
        if (this.waiter !== waiter) return;
        this.waiter = undefined;
        clearTimeout(waiter.timer);
        resolve([]);
      });
    });
  }

  /** Ends a waiting long poll (reset, webhook set, shutdown) with an empty result. */
  releaseWaiter(err?: BotApiError): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    clearTimeout(w.timer);
    if (err) w.reject(err);
    else w.resolve([]);
  }

  /** What a restart keeps (persistence.ts): the next id, the last `maxPending` unconfirmed updates, allowed_updates. */
  saved(maxPending: number): SavedUpdates {
    const pending = this.queue.slice(Math.max(this.head, this.queue.length - maxPending));
    return { nextUpdateId: this.nextId, pending, ...(this.allowed ? { allowedUpdates: [...this.allowed] } : {}) };
  }

  /** Continues from a saved queue: ids go on from where they stopped (never back), its pending updates wait again. */
  restore(s: SavedUpdates): void {
    this.queue = s.pending.slice();
    this.head = 0;
    this.nextId = Math.max(this.nextId, s.nextUpdateId);
    this.allowed = s.allowedUpdates ? new Set(s.allowedUpdates) : undefined;
  }

  reset(): void {
    this.releaseWaiter();
    this.queue = [];
    this.head = 0;
    this.allowed = undefined;
    this.queuedTotal = 0;
  }

  private compact(): void {
    // Amortised O(1): slice off the confirmed prefix once it dominates the array.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
