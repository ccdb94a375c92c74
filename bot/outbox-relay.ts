/**
 * Publishes the outbox to the bus, in id order, at least once.
 *
 * A batch is read, sent (key = ticket id, so a ticket's events stay in one
 * partition, in order) and only then marked published; a crash in between
 * sends the batch again, which consumers absorb (events are idempotent by
 * event_id). Nothing is lost: a row leaves the backlog only after the bus
 * accepted it. While the bus is down the relay backs off exponentially.
 *
 * On PostgreSQL the batch is claimed with FOR UPDATE SKIP LOCKED inside a
 * transaction that also holds an advisory lock, so several bot processes can
 * run a relay and exactly one publishes at a time (keeping key order). PGlite
 * is single-process: relays on it take turns through an in-process lock, and
 * no transaction is held across the bus call (it would block every query).
 *
 * Published rows are kept for OUTBOX_RETENTION (a replay or an investigation
 * can still read them), then pruned: every pruneEveryMs the loop deletes
 * published rows older than the retention, in batches of pruneBatch — never
 * an unpublished row, and never more than a few batches per pass so a large
 * first prune cannot stall publishing.
 */
import type { Bus, BusProducer } from '../core/bus/types.js';
import { defineConfig, env } from '../core/env.js';
import type { Logger } from '../core/log.js';
import type { Db, Queryable } from '../core/postgres.js';
import { outboxBacklog } from './store/outbox.js';

export const loadOutboxConfig = defineConfig('bot', {
  OUTBOX_RETENTION: env.duration({
    default: '7d',
    doc: 'How long published outbox rows are kept before the relay prunes them (in batches, once a minute); unpublished rows are never pruned.',
  }),
});

const PUBLISHER_LOCK = 7_000_000_002;
const COALESCE_MS = 100;

/** PGlite: relays sharing one database in this process publish one at a time (the in-process advisory lock). */
const localPublishers = new WeakMap<Db, Promise<unknown>>();
function exclusive<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const prev = localPublishers.get(db) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  localPublishers.set(
    db,
    next.catch(() => undefined),
  );
  return next;
}

export interface OutboxRelayOptions {
  db: Db;
  bus: Bus;
  batchSize: number;
  log: Logger;
  /** Topics to create before the first send (idempotent). */
  topics?: { name: string; partitions: number }[];
  /** Idle poll interval; kick() publishes sooner. */
  pollMs?: number;
  maxBackoffMs?: number;
  /** Published rows older than this are deleted; undefined: OUTBOX_RETENTION (default 7 days); null: kept forever. */
  retentionMs?: number | null;
  /** How often the loop prunes (default 60 s). */
  pruneEveryMs?: number;
  /** Rows deleted per statement (default 1000). */
  pruneBatch?: number;
}

/** Batches one prune pass deletes at most; the rest waits for the next pass. */
const PRUNE_BATCHES_PER_PASS = 10;

interface Row {
  id: number;
  topic: string;
  key: string | null;
  payload: unknown;
}

export class OutboxRelay {
  private producer: BusProducer | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private failures = 0;
  /** Rows published by this relay since start (for logs and tests). */
  published = 0;
  /** Published rows this relay deleted since start (for logs and tests). */
  pruned = 0;
  private nextPruneAt = 0;

  private readonly retentionMs: number | null;

  constructor(private readonly o: OutboxRelayOptions) {
    this.retentionMs = o.retentionMs === undefined ? loadOutboxConfig().OUTBOX_RETENTION * 1000 : o.retentionMs;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the batch in flight, publishes what is left if the bus is up, and stops. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    // Publish what the last updates wrote, if the bus takes it; whatever is left waits for the next start.
    if (this.failures === 0)
      await this.drain().catch((err: unknown) => this.o.log.warn({ err }, 'outbox left unpublished at stop; the next start publishes it'));
    await this.producer?.close().catch(() => undefined);
    this.producer = undefined;
  }

  /** New rows were written: publish without waiting for the poll interval. */
  kick(): void {
    this.wake?.();
  }

  backlog(): Promise<number> {
    return outboxBacklog(this.o.db);
  }

  /** Publishes until the backlog is empty (tests, shutdown). Throws if the bus fails. */
  async drain(): Promise<void> {
    while ((await this.publishBatch()) > 0);
  }

  private async run(): Promise<void> {
    const poll = this.o.pollMs ?? 200;
    const maxBackoff = this.o.maxBackoffMs ?? 10_000;
    while (this.running) {
      let sent = 0;
      try {
        sent = await this.publishBatch();
        if (this.failures > 0) this.o.log.info({ after: this.failures }, 'bus is back; outbox publishing resumed');
        this.failures = 0;
      } catch (err) {
        this.failures++;
        await this.producer?.close().catch(() => undefined);
        this.producer = undefined;
        const wait = Math.min(maxBackoff, 100 * 2 ** Math.min(this.failures, 10));
        if (this.failures === 1 || this.failures % 10 === 0)
          this.o.log.warn({ err, failures: this.failures, retryInMs: wait }, 'outbox publish failed; backing off');
        await this.sleep(wait, false);
        continue;
      }
      await this.maybePrune();
      if (sent === 0) await this.sleep(poll, true);
      // A partial batch means we are caught up: let a few more events gather instead of one query per event.
      else if (sent < this.o.batchSize) await this.sleep(COALESCE_MS, false);
    }
  }

  private async maybePrune(): Promise<void> {
    if (this.retentionMs === null || Date.now() < this.nextPruneAt) return;
    this.nextPruneAt = Date.now() + (this.o.pruneEveryMs ?? 60_000);
    try {
      const n = await this.prune();
      if (n > 0) this.o.log.debug({ rows: n }, 'outbox: pruned published rows past retention');
    } catch (err) {
      this.o.log.warn({ err }, 'outbox prune failed; retrying at the next pass');
    }
  }

  /**
   * Deletes published rows older than the retention, pruneBatch rows per statement and at most
   * PRUNE_BATCHES_PER_PASS statements; returns how many it deleted. Unpublished rows are never touched.
   */
  async prune(retentionMs = this.retentionMs): Promise<number> {
    if (retentionMs === null) return 0;
    const batch = this.o.pruneBatch ?? 1000;
    let total = 0;
    for (let i = 0; i < PRUNE_BATCHES_PER_PASS; i++) {
      const r = await this.o.db.query(
        `DELETE FROM outbox WHERE id IN (
           SELECT id FROM outbox
            WHERE published_at IS NOT NULL AND published_at < now() - $1::double precision * interval '1 millisecond'
            ORDER BY published_at LIMIT $2)`,
        [retentionMs, batch],
      );
      const n = r.rowCount ?? 0;
      total += n;
      if (n < batch) break;
    }
    this.pruned += total;
    return total;
  }

  /** Waits `ms`; kick() cuts an idle wait short, but not a back-off (new events must not hammer a bus that is down). */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        if (this.wake === onWake) this.wake = undefined;
        resolve();
      };
      const onWake = () => {
        if (wakeable || !this.running) finish();
      };
      const timer = setTimeout(finish, ms);
      this.wake = onWake;
    });
  }

  /** Publishes one batch; returns how many rows it published. */
  private async publishBatch(): Promise<number> {
    if (this.o.db.mode === 'postgres') {
      return this.o.db.transaction(async (tx) => {
        const lock = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [PUBLISHER_LOCK]);
        if (!lock.rows[0]?.ok) return 0;
        const rows = await this.select(tx, 'FOR UPDATE SKIP LOCKED');
        await this.send(rows);
        await this.markPublished(tx, rows);
        return rows.length;
      });
    }
    return exclusive(this.o.db, async () => {
      const rows = await this.select(this.o.db, '');
      await this.send(rows);
      await this.markPublished(this.o.db, rows);
      return rows.length;
    });
  }

  private async select(q: Queryable, lock: string): Promise<Row[]> {
    return (await q.query<Row>(`SELECT id, topic, key, payload FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 ${lock}`, [this.o.batchSize])).rows;
  }

  private async send(rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    if (!this.producer) {
      if (this.o.topics?.length) await this.o.bus.ensureTopics(this.o.topics);
      this.producer = await this.o.bus.producer();
    }
    // One send per topic, rows in id order within it.
    const byTopic = new Map<string, Row[]>();
    for (const r of rows) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
    for (const [topic, list] of byTopic) {
      await this.producer.send(
        topic,
        list.map((r) => ({ key: r.key, value: typeof r.payload === 'string' ? r.payload : JSON.stringify(r.payload) })),
      );
    }
  }

  private async markPublished(q: Queryable, rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    await q.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
    this.published += rows.length;
  }
}
