/**
 * Group commit for the relay's hot path: the writes (and the one read) of the same kind that concurrent
 * updates — different customers' messages handled at the same moment — make are run as one statement.
 *
 * PGlite runs one statement at a time (on its own thread, core/pglite-thread.mjs) and commits each one (a WAL
 * write and its flush): ~0.3–0.45 ms of CPU even for a one-row insert, while a 20-row insert costs ~20 µs a row. So the relay's
 * statements per message (claim, pair, history, ticket counters with message_in, the customer read) become
 * one statement per kind per tick instead of one per message (BENCHMARKS.md "Bot").
 *
 * Nothing is weaker than one statement per message:
 * - each caller's promise settles only after the statement that holds its rows has committed, so whatever
 *   the caller does next (a copy to Telegram after its claim, the next relay after its record) comes after
 *   the commit, as before; a crash before the commit loses the whole statement, as it would have lost each;
 * - a batch that fails is run again item by item: a bad row fails only its own caller, the others are
 *   recorded once (each statement is atomic: a failed one wrote nothing);
 * - items that must not share a statement (`keys`: the same ticket, the same source message) go to the next
 *   batch, in arrival order — so a redelivered message and its first delivery never race inside one
 *   statement, and a ticket's updates keep their order;
 * - at low load a batch is one item and waits for nothing but the current turn of the event loop
 *   (setImmediate): no timer, no added latency. While a statement of the kind is under way, later items queue
 *   and go together when it is done (the batch grows with the load).
 *
 * Used only with the database itself (`Db`), never inside a transaction: a caller's transaction keeps its own
 * statements (`batchingFor`).
 */
import type { Db, Queryable } from '../../core/postgres.js';

export interface GroupCommitOptions<I> {
  /** Keys an item holds: two items sharing one never go in the same batch (the later waits for the next). */
  keys?: (item: I) => readonly string[];
  /** Items per statement at most (default 500: PostgreSQL takes at most 65,535 parameters a statement). */
  maxBatch?: number;
  /** Statements of this kind under way at once (PGlite runs one at a time anyway: 1). */
  maxInFlight?: number;
}

interface Waiter<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

export class GroupCommit<I, O> {
  private pending: Waiter<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;
  /** Statements run and items they carried (tests, the bench). */
  readonly stats = { statements: 0, items: 0 };

  /** `run(items)` writes all of `items` in one statement and returns one result per item, in order. */
  constructor(
    private readonly runBatch: (items: readonly I[]) => Promise<O[]>,
    private readonly o: GroupCommitOptions<I> = {},
  ) {}

  /** Resolves with the item's result once the statement holding it has committed. */
  run(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.pending.length === 0 || this.inFlight >= (this.o.maxInFlight ?? 1)) return;
    this.scheduled = true;
    // Everything that becomes ready in this turn of the event loop joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private take(): Waiter<I, O>[] {
    const max = this.o.maxBatch ?? 500;
    if (!this.o.keys) return this.pending.splice(0, max);
    const taken = new Set<string>();
    const batch: Waiter<I, O>[] = [];
    const rest: Waiter<I, O>[] = [];
    for (const w of this.pending) {
      const keys = this.o.keys(w.item);
      // Once a key waits, every later item holding it waits too (arrival order per key).
      if (batch.length >= max || keys.some((k) => taken.has(k))) {
        rest.push(w);
        for (const k of keys) taken.add(`wait:${k}`);
        continue;
      }
      if (keys.some((k) => taken.has(`wait:${k}`))) {
        rest.push(w);
        continue;
      }
      for (const k of keys) taken.add(k);
      batch.push(w);
    }
    this.pending = rest;
    return batch;
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0 || this.inFlight >= (this.o.maxInFlight ?? 1)) return;
    const batch = this.take();
    this.inFlight++;
    try {
      await this.execute(batch);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }

  private async execute(batch: Waiter<I, O>[]): Promise<void> {
    let out: O[];
    try {
      this.stats.statements++;
      this.stats.items += batch.length;
      out = await this.runBatch(batch.map((w) => w.item));
    } catch (e) {
      if (batch.length === 1) return batch[0]!.reject(e);
      // The statement wrote nothing: each item again on its own, so one bad item fails only its caller.
      for (const w of batch) {
        this.stats.statements++;
        this.stats.items++;
        await this.runBatch([w.item]).then(([o]) => w.resolve(o as O), w.reject);
      }
      return;
    }
    batch.forEach((w, i) => w.resolve(out[i] as O));
  }
}

/**
 * Whether writes through `db` may be grouped, and how many statements of a kind may run at once: only the
 * database itself (a transaction's handle has no `transaction`), one at a time on PGlite (a single
 * connection), a few on PostgreSQL's pool.
 */
export function batchingFor(db: Queryable): { maxInFlight: number } | undefined {
  const d = db as Partial<Db>;
  if (typeof d.transaction !== 'function') return undefined;
  return { maxInFlight: d.mode === 'postgres' ? 4 : 1 };
}
