/**
 * A durable job scheduler on the bot's database: follow-ups, auto-close and
 * deferred broadcasts are rows in `feature_jobs` with a `due_at`, so they
 * survive restarts. Due rows are claimed in one UPDATE … RETURNING (status
 * 'running' plus a lease), so two processes never run the same job; a job
 * whose process died is picked up again when its lease ends. Handlers that
 * send messages mark their own work done before sending (see followups.ts), so
 * a retried job never sends twice.
 *
 * Time comes from an injectable clock; tests call `runDue()` directly with a
 * fake clock instead of waiting for the poll.
 */
import type { Db, Queryable } from '../../core/postgres.js';
import { logger } from '../../core/log.js';

const log = logger('scheduler');

export interface Job<P = Record<string, unknown>> {
  id: number;
  kind: string;
  dedup_key: string;
  ticket_id: number | null;
  payload: P;
  due_at: Date;
  attempts: number;
}

/** What a handler asks for: nothing (done), or to run again later (quiet hours, a retry). */
export type JobResult = void | { retryAt: Date };
export type JobHandler = (job: Job, now: Date) => Promise<JobResult>;
/** A periodic check run on every tick (e.g. auto-close sweeps). */
export type Sweep = (now: Date) => Promise<void>;

export interface ScheduleInput {
  kind: string;
  dedupKey: string;
  dueAt: Date;
  ticketId?: number | null;
  payload?: Record<string, unknown>;
}

export interface SchedulerOptions {
  pollMs: number;
  clock?: () => Date;
  /** A claimed job not finished within this long is run again (its process is presumed dead). */
  leaseMs?: number;
  maxAttempts?: number;
  batch?: number;
}

export class Scheduler {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly sweeps: Array<{ name: string; fn: Sweep }> = [];
  private timer: NodeJS.Timeout | undefined;
  private tickInFlight: Promise<void> | undefined;
  private readonly running = new Map<number, Promise<void>>();
  private stopped = true;
  readonly clock: () => Date;

  constructor(
    private readonly db: Db,
    private readonly o: SchedulerOptions,
  ) {
    this.clock = o.clock ?? (() => new Date());
  }

  handle(kind: string, handler: JobHandler): this {
    this.handlers.set(kind, handler);
    return this;
  }

  sweep(name: string, fn: Sweep): this {
    this.sweeps.push({ name, fn });
    return this;
  }

  /** Adds a job unless one with the same dedup key exists. Pass `tx` to schedule with a state change. */
  async schedule(input: ScheduleInput, q: Queryable = this.db): Promise<boolean> {
    const r = await q.query(
      `INSERT INTO feature_jobs (kind, dedup_key, ticket_id, payload, due_at) VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT (dedup_key) DO NOTHING`,
      [input.kind, input.dedupKey, input.ticketId ?? null, JSON.stringify(input.payload ?? {}), input.dueAt],
    );
    return r.rowCount > 0;
  }

  /** Cancels pending jobs of a kind for a ticket (e.g. a follow-up once the ticket reopened). */
  async cancel(kind: string, ticketId: number, q: Queryable = this.db): Promise<number> {
    const r = await q.query(`UPDATE feature_jobs SET status = 'cancelled', finished_at = now() WHERE kind = $1 AND ticket_id = $2 AND status = 'pending'`, [
      kind,
      ticketId,
    ]);
    return r.rowCount;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.tickInFlight = this.tick()
        .catch((e: unknown) => log.error({ err: e }, 'scheduler tick failed'))
        .finally(() => {
          this.tickInFlight = undefined;
          if (!this.stopped) this.timer = setTimeout(loop, this.o.pollMs);
        });
    };
    loop();
  }

  /** Stops polling and waits for the jobs in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.tickInFlight;
    await Promise.allSettled([...this.running.values()]);
  }

  /** One poll: sweeps, then due jobs. Jobs run concurrently and are not awaited here (a long broadcast must not hold up follow-ups). */
  async tick(now: Date = this.clock()): Promise<void> {
    for (const s of this.sweeps) {
      try {
        await s.fn(now);
      } catch (e) {
        log.error({ err: e, sweep: s.name }, 'sweep failed');
      }
    }
    for (const job of await this.claim(now)) {
      const p = this.execute(job, now).finally(() => this.running.delete(job.id));
      this.running.set(job.id, p);
    }
  }

  /** Runs sweeps and every due job to completion: what tests and shutdown paths call. */
  async runDue(now: Date = this.clock()): Promise<number> {
    let n = 0;
    for (;;) {
      await this.tick(now);
      const inFlight = [...this.running.values()];
      if (inFlight.length === 0) return n;
      n += inFlight.length;
      await Promise.allSettled(inFlight);
    }
  }

  private async claim(now: Date): Promise<Job[]> {
    const lease = new Date(now.getTime() + (this.o.leaseMs ?? 10 * 60_000));
    const exclude = [...this.running.keys()];
    const r = await this.db.query<Job>(
      `UPDATE feature_jobs SET status = 'running', locked_until = $2, attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM feature_jobs
         WHERE due_at <= $1 AND (status = 'pending' OR (status = 'running' AND locked_until < $1))
           AND NOT (id = ANY($4::bigint[]))
           -- only kinds this process can run (another version may have added kinds)
           AND kind = ANY($5::text[])
         ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, kind, dedup_key, ticket_id, payload, due_at, attempts`,
      [now, lease, this.o.batch ?? 50, exclude, [...this.handlers.keys()]],
    );
    return r.rows;
  }

  private async execute(job: Job, now: Date): Promise<void> {
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
      const result = await handler(job, now);
      if (result && 'retryAt' in result) {
        await this.db.query(`UPDATE feature_jobs SET status = 'pending', due_at = $2, locked_until = NULL, attempts = 0 WHERE id = $1`, [
          job.id,
          result.retryAt,
        ]);
      } else {
        await this.db.query(`UPDATE feature_jobs SET status = 'done', finished_at = $2, locked_until = NULL WHERE id = $1`, [job.id, now]);
      }
    } catch (e) {
      const max = this.o.maxAttempts ?? 5;
      const failed = job.attempts >= max;
      // Back off 30 s, 1 min, 2 min, … so a Telegram outage does not burn the attempts.
      const retryAt = new Date(now.getTime() + 30_000 * 2 ** (job.attempts - 1));
      log.error({ err: e, job: job.id, kind: job.kind, attempts: job.attempts, failed }, 'job failed');
      await this.db.query(
        `UPDATE feature_jobs SET status = $2::text, due_at = $3, last_error = $4, locked_until = NULL, finished_at = CASE WHEN $2::text = 'failed' THEN $5::timestamptz ELSE NULL END WHERE id = $1`,
        [job.id, failed ? 'failed' : 'pending', retryAt, String((e as Error).message ?? e).slice(0, 2000), now],
      );
    }
  }
}
