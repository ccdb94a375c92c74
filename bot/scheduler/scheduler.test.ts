import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../core/postgres.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { migrateBot } from '../store/migrate.js';
import { Scheduler, type Job } from './scheduler.js';

const tmp = tmpDataDir('scheduler-');
let db: Db;
const open = () => openDatabase({ DATA_DIR: tmp.dir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 });

beforeAll(async () => {
  db = await open();
  await migrateBot(db);
});
afterAll(async () => {
  await db.close();
  tmp.cleanup();
});

const t0 = new Date('2026-05-01T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('Scheduler', () => {
  it('runs a job once when it is due, never before, and ignores a second schedule of the same key', async () => {
    const ran: Job[] = [];
    const s = new Scheduler(db, { pollMs: 10 }).handle('hello', async (job) => void ran.push(job));
    expect(await s.schedule({ kind: 'hello', dedupKey: 'hello:1', dueAt: at(10), ticketId: null, payload: { n: 1 } })).toBe(true);
    expect(await s.schedule({ kind: 'hello', dedupKey: 'hello:1', dueAt: at(5) })).toBe(false);

    expect(await s.runDue(at(9))).toBe(0);
    expect(await s.runDue(at(10))).toBe(1);
    expect(await s.runDue(at(60))).toBe(0);
    expect(ran.map((j) => j.payload)).toEqual([{ n: 1 }]);
  });

  it('keeps jobs across a restart of the process (a new connection and scheduler)', async () => {
    const first = new Scheduler(db, { pollMs: 10 });
    await first.schedule({ kind: 'later', dedupKey: 'later:1', dueAt: at(100), payload: { who: 'x' } });
    await db.close();
    db = await open();
    const seen: unknown[] = [];
    const second = new Scheduler(db, { pollMs: 10 }).handle('later', async (j) => void seen.push(j.payload));
    expect(await second.runDue(at(101))).toBe(1);
    expect(seen).toEqual([{ who: 'x' }]);
  });

  it('re-runs a job at the time its handler asks for (quiet hours)', async () => {
    let calls = 0;
    const s = new Scheduler(db, { pollMs: 10 }).handle('quiet', async () => (++calls === 1 ? { retryAt: at(300) } : undefined));
    await s.schedule({ kind: 'quiet', dedupKey: 'quiet:1', dueAt: at(200) });
    await s.runDue(at(200));
    await s.runDue(at(299));
    expect(calls).toBe(1);
    await s.runDue(at(300));
    expect(calls).toBe(2);
  });

  it('retries a failing job with back-off and gives up after maxAttempts', async () => {
    let calls = 0;
    const s = new Scheduler(db, { pollMs: 10, maxAttempts: 2 }).handle('flaky', async () => {
      calls++;
      throw new Error('telegram is down');
    });
    await s.schedule({ kind: 'flaky', dedupKey: 'flaky:1', dueAt: at(400) });
    await s.runDue(at(400));
    await s.runDue(at(400)); // backing off: not yet
    expect(calls).toBe(1);
    await s.runDue(at(401));
    expect(calls).toBe(2);
    await s.runDue(at(1000));
    expect(calls).toBe(2);
    const row = (await db.query<{ status: string; last_error: string }>(`SELECT status, last_error FROM feature_jobs WHERE dedup_key = 'flaky:1'`)).rows[0];
    expect(row).toEqual({ status: 'failed', last_error: 'telegram is down' });
  });

  it('takes over a job whose process died mid-run once the lease ends, and cancels pending ones', async () => {
    const s = new Scheduler(db, { pollMs: 10, leaseMs: 60_000 });
    await s.schedule({ kind: 'orphan', dedupKey: 'orphan:1', dueAt: at(500) });
    // A process claims it and dies (we claim through SQL as that process would).
    await db.query(`UPDATE feature_jobs SET status = 'running', locked_until = $1 WHERE dedup_key = 'orphan:1'`, [at(501)]);
    let runs = 0;
    s.handle('orphan', async () => void runs++);
    await s.runDue(at(500.5));
    expect(runs).toBe(0);
    await s.runDue(at(502));
    expect(runs).toBe(1);

    await s.schedule({ kind: 'orphan', dedupKey: 'orphan:2', dueAt: at(600), ticketId: 77 });
    expect(await s.cancel('orphan', 77)).toBe(1);
    await s.runDue(at(700));
    expect(runs).toBe(1);
  });

  it('runs sweeps on every tick and polls by itself once started', async () => {
    const sweeps: Date[] = [];
    let clock = at(800);
    const s = new Scheduler(db, { pollMs: 5, clock: () => clock }).sweep('count', async (now) => void sweeps.push(now));
    let ran!: () => void;
    const done = new Promise<void>((r) => (ran = r));
    s.handle('polled', async () => ran());
    await s.schedule({ kind: 'polled', dedupKey: 'polled:1', dueAt: at(801) });
    s.start();
    clock = at(802);
    await done;
    await s.stop();
    expect(sweeps.length).toBeGreaterThan(0);
  });
});
