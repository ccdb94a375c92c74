/**
 * The traffic simulator: many customers and a team of agents playing the
 * desk through the sandbox's control API.
 *
 * - live: customers arrive as a Poisson process (`ratePerMinute` on an
 *   average hour, shaped by the hour-of-day and weekday curves), each ticket
 *   plays out in real time (`speed` > 1 compresses the waits).
 * - replay: plays the past `historyDays` days, one ticket after another, with
 *   every message dated in the past (the sandbox clock follows), so the
 *   dashboards have a week of history. With `dataDir`, the replay runs once
 *   per data directory (a marker file remembers it).
 * Follow-up questions the desk sends later are answered by a sweep.
 *
 * Speed: unthrottled, a ticket takes ~0.6 s to replay; with the desk's
 * throttler on (THROTTLE=1), the support group's ~20 calls a minute bound the
 * desk to about one new ticket a minute, replay included — against the
 * sandbox without flood limits run the desk with THROTTLE=0.
 *
 * Callback-driven events (ratings, KB and follow-up answers) are stamped by
 * the desk when it processes the press, so in a replay they land at the real
 * time of the replay; their ticket_created_at still places them in the
 * replayed cohort.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logger } from '../../core/log.js';
import { SandboxClient } from '../../sandbox/client.js';
import { answerFollowups, playTicket, type SimCustomer, type TicketOutcome } from './journey.js';
import { LANG_WEIGHTS, P, customerName, loadFactor, type Lang } from './model.js';
import { Rng } from './random.js';
import { Aborted, liveTimeline, replayTimeline } from './timeline.js';

const log = logger('simulator');

export interface SimulatorOptions {
  sandboxUrl: string;
  /** Replay this many past days first (0: none). */
  historyDays?: number;
  /** New tickets per day in the replay, on an average weekday (default 24). */
  historyPerDay?: number;
  /** Keep playing live after the replay (default true). */
  live?: boolean;
  /** Live arrivals per minute on an average hour. */
  ratePerMinute?: number;
  /** Live: how much faster than real time people wait (1 = real time). */
  speed?: number;
  /** Remembers in DATA_DIR that the history was replayed, so a restart doesn't replay it again. */
  dataDir?: string;
  seed?: number;
  /** Most tickets played at once in live mode. */
  maxConcurrent?: number;
  /** How long to wait for the bot's reaction before giving up on a ticket. */
  waitMs?: number;
}

export interface SimulatorStats {
  started: number;
  outcomes: Record<TicketOutcome, number>;
  failed: number;
  /** Follow-up questions seen (answered or, like real customers often do, ignored). */
  followupsAnswered: number;
  /** Why the last ticket that did not play out stopped (for the operator's log). */
  lastError?: string;
}

export interface Simulator {
  stats: SimulatorStats;
  /** Resolves when the replay is done (immediately without one). */
  replayed: Promise<void>;
  stop(): Promise<void>;
}

const LANGS = Object.keys(LANG_WEIGHTS) as Lang[];
const DAY = 86_400_000;
/** How long (real time) to keep looking for a resolved customer's follow-up question: FOLLOWUP_DELAY (24 h) and some. */
const FOLLOWUP_WATCH_MS = 30 * 3600_000;

export function startSimulator(o: SimulatorOptions): Simulator {
  const client = new SandboxClient(o.sandboxUrl);
  const rng = new Rng(o.seed ?? Date.now());
  const abort = new AbortController();
  const stats: SimulatorStats = { started: 0, outcomes: { spam: 0, kb: 0, resolved: 0, waiting: 0, lost: 0 }, failed: 0, followupsAnswered: 0 };
  const customers: SimCustomer[] = [];
  /** Customers whose resolved ticket will get a "Did it help?", with when (real time) they were resolved. */
  const awaitingFollowup = new Map<number, { customer: SimCustomer; since: number }>();
  const answered = new Set<string>();
  const running = new Set<Promise<void>>();
  /** Customers in the middle of a ticket (live mode plays several at once). */
  const busy = new Set<number>();
  const lastPlayed = new Map<number, number>();
  const waitMs = o.waitMs ?? 120_000;
  // Ids far from real Telegram users' and different per run, so a restarted simulator meets no half-finished tickets.
  let nextId = 7_000_000_000 + (Math.floor(Date.now() / 1000) % 1_000_000) * 1000;

  const customerFor = (): SimCustomer => {
    // Replay compresses days into seconds: a customer who wrote a moment ago (in real time) would hit the
    // desk's per-customer rate limit, so only customers quiet for a minute come back.
    const returning = customers.slice(-200).filter((c) => c.seen && !c.open && !busy.has(c.id) && Date.now() - (lastPlayed.get(c.id) ?? 0) > 60_000);
    if (returning.length > 0 && rng.chance(P.repeat)) return rng.pick(returning);
    const lang = LANGS[rng.weighted(LANGS.map((l) => LANG_WEIGHTS[l]))]!;
    const c = { id: nextId++, name: customerName(rng, lang), lang, seen: false };
    customers.push(c);
    return c;
  };

  const play = async (tl: Parameters<typeof playTicket>[0]['tl'], c: SimCustomer) => {
    stats.started++;
    busy.add(c.id);
    try {
      const outcome = await playTicket({ client, rng, tl, waitMs }, c);
      stats.outcomes[outcome]++;
      if (outcome === 'resolved') awaitingFollowup.set(c.id, { customer: c, since: Date.now() });
      if (outcome === 'waiting') c.open = true;
    } catch (e) {
      c.open = true; // in an unknown state: don't bring them back
      if (e instanceof Aborted || abort.signal.aborted) return;
      stats.failed++;
      stats.outcomes.lost++;
      stats.lastError = String((e as Error).message ?? e).slice(0, 500);
      log.debug({ err: e, customer: c.id }, 'a simulated ticket did not play out');
    } finally {
      busy.delete(c.id);
      lastPlayed.set(c.id, Date.now());
    }
  };

  const marker = o.dataDir ? join(o.dataDir, 'simulator', 'history.json') : undefined;

  async function replay(): Promise<void> {
    const days = o.historyDays ?? 0;
    if (days <= 0) return;
    if (marker && existsSync(marker)) {
      log.info({ since: JSON.parse(readFileSync(marker, 'utf8')).replayedAt }, 'history already replayed for this data directory');
      return;
    }
    const perDay = o.historyPerDay ?? 24;
    const end = Date.now() - 2 * 3600_000; // leave the last hours to live traffic
    const start = end - days * DAY;
    const arrivals: number[] = [];
    // Thinning: candidate arrivals at the peak rate, kept in proportion to the load at their time.
    const peak = Math.max(...Array.from({ length: 7 * 24 }, (_, h) => loadFactor(new Date(start + h * 3600_000))));
    const meanGapMin = 1440 / perDay / peak;
    for (let t = start + rng.exponential(meanGapMin) * 60_000; t < end; t += rng.exponential(meanGapMin) * 60_000)
      if (rng.chance(loadFactor(new Date(t)) / peak)) arrivals.push(t);
    log.info({ days, tickets: arrivals.length }, 'replaying history');
    const tl = replayTimeline(client, new Date(start), abort.signal);
    for (const [i, t] of arrivals.entries()) {
      if (abort.signal.aborted) return;
      tl.set(new Date(t));
      await play(tl, customerFor());
      if ((i + 1) % 25 === 0) log.info({ played: i + 1, of: arrivals.length }, 'replay progress');
    }
    await client.setClock({ unix: Math.floor(Date.now() / 1000) }).catch(() => undefined);
    if (marker) {
      mkdirSync(join(o.dataDir!, 'simulator'), { recursive: true });
      writeFileSync(marker, JSON.stringify({ replayedAt: new Date().toISOString(), days, tickets: arrivals.length }));
    }
    log.info({ tickets: arrivals.length, outcomes: stats.outcomes }, 'history replayed');
  }

  async function live(): Promise<void> {
    const tl = liveTimeline(abort.signal, o.speed ?? 1);
    const rate = o.ratePerMinute ?? 2;
    const max = o.maxConcurrent ?? 60;
    while (!abort.signal.aborted) {
      // Poisson arrivals whose rate follows the time of day.
      await tl.sleep(rng.exponential(1 / (rate * loadFactor(new Date()))));
      if (running.size >= max) continue;
      const p = play(tl, customerFor()).finally(() => running.delete(p));
      running.add(p);
    }
  }

  // "Did it help?" arrives FOLLOWUP_DELAY after a resolution: look for it now and then.
  // Bounded: a customer leaves the list once their question was seen, or after FOLLOWUP_WATCH without one.
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    for (const [id, w] of awaitingFollowup) if (Date.now() - w.since > FOLLOWUP_WATCH_MS) awaitingFollowup.delete(id);
    void answerFollowups(client, rng, [...awaitingFollowup.values()].map((w) => w.customer), answered)
      .then((seen) => {
        stats.followupsAnswered += seen.length;
        for (const c of seen) awaitingFollowup.delete(c.id);
      })
      .catch(() => undefined)
      .finally(() => (sweeping = false));
  }, 20_000);

  const replayed = replay();
  const main = replayed
    .then(() => (o.live === false ? undefined : live()))
    .catch((e: unknown) => {
      if (!(e instanceof Aborted)) log.error({ err: e }, 'simulator stopped on an error');
    });

  return {
    stats,
    replayed: replayed.catch(() => undefined),
    async stop() {
      abort.abort();
      clearInterval(sweep);
      await main;
      await Promise.allSettled([...running]);
      log.info({ stats }, 'simulator stopped');
    },
  };
}
