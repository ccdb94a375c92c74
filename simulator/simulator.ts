/**
 * The traffic simulator: many customers and a team of agents playing the
 * desk through the sandbox's control API.
 *
 * One arrival model (arrivals.ts: `perDay` tickets on an average weekday,
 * shaped by the hour-of-day and weekday curves) drives both parts:
 * - replay: plays the past `historyDays` days, one ticket after another, every
 *   message and press dated in the past. The sandbox clock stays in the
 *   present, so a person writing during the replay is dated now. With
 *   `dataDir`, the replay runs once per data directory (a marker file).
 * - live: plays from the start, alongside the replay, in real time (`speed`
 *   > 1 compresses the waits); each ticket plays out as people would.
 * Follow-up questions the desk sends later are answered by a sweep; a ticket
 * reopened by "Didn't help" is answered and resolved again on the live
 * timeline. Every ticket the simulator opens is played to its end (resolved
 * by an agent or the knowledge base, or resolved as spam) unless it is left
 * waiting on the customer on purpose (it auto-closes later).
 *
 * Speed: unthrottled, a ticket takes ~0.5 s to replay; with the desk's
 * throttler on (THROTTLE=1), the support group's ~20 calls a minute bound the
 * desk to about one new ticket a minute, replay included — against the
 * sandbox without flood limits run the desk with THROTTLE=0.
 *
 * Dates in a replay: messages and edits carry their Telegram date, and the
 * sandbox dates the bot's messages in a replayed conversation in its past, so
 * what the desk stamps from them (receipts, KB suggestions, an article an
 * agent sends, surveys) lands in the replayed day. A button press has no date
 * in Telegram: a knowledge-base "Solved" is stamped with the date of the desk's
 * answer to it (the replayed day too); what the desk stamps from its own clock
 * on a press (category, ratings) lands at the real time of the replay; its
 * ticket_created_at still places it in the replayed cohort.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logger } from '../core/log.js';
import { SandboxClient } from '../sandbox/client.js';
import { arrivalsBetween, nextArrival } from './arrivals.js';
import { answerFollowups, type ExperimentEffect, playReopened, playTicket, type SimCustomer, type TicketNotes, type TicketOutcome } from './journey.js';
import { visitApp, type AppVisitOutcome } from './app-visits.js';
import { LANG_WEIGHTS, P, TICKETS_PER_DAY, customerName, type Lang, type Probabilities } from './model.js';
import { Rng } from './random.js';
import { Aborted, liveTimeline, replayTimeline, simulatorAbort, type Timeline } from './timeline.js';

const log = logger('simulator');

export interface SimulatorOptions {
  sandboxUrl: string;
  /** Replay this many past days first (0: none). */
  historyDays?: number;
  /** New tickets on an average weekday, in the replay and live alike (default TICKETS_PER_DAY). */
  perDay?: number;
  /** Play live traffic (default true); it starts with the replay. */
  live?: boolean;
  /** Live: how much faster than real time people wait (1 = real time). */
  speed?: number;
  /** Remembers in DATA_DIR that the history was replayed, so a restart doesn't replay it again. */
  dataDir?: string;
  seed?: number;
  /** Most tickets played at once in live mode. */
  maxConcurrent?: number;
  /** Live: the chance that an arrival is a Mini App visit instead of a message (default 0.2; 0: none). */
  appVisitShare?: number;
  /** How long to wait for the bot's reaction before giving up on a ticket. */
  waitMs?: number;
  /** The model's probabilities overridden (a test forces spam or "Didn't help" on). */
  p?: Partial<Probabilities>;
  /** How often to look for follow-up questions (default 20 s). */
  followupSweepMs?: number;
  /**
   * The running demo experiment's real effect on whichever surface it tests (journey.ts ExperimentEffect: receipt or
   * notifications): the chance that a customer who met its variant and would have rated below 5 rates 5 instead.
   * The demo's: experiments/receipt-style.yaml, steps, SIMULATE_EXPERIMENT_EFFECT. Default none.
   */
  experimentEffect?: ExperimentEffect;
}

export interface SimulatorStats {
  /** Tickets the simulator opened (each a ticket in the desk, spam included). */
  started: number;
  /** How they ended: spam is a ticket resolved as spam by an agent; waiting ones auto-close later. */
  outcomes: Record<TicketOutcome, number>;
  failed: number;
  /** Tickets whose first message anti-spam held (a newcomer's photo or link), and of those the agents released. */
  held: number;
  released: number;
  /** Follow-up questions seen (answered or, like real customers often do, ignored). */
  followupsAnswered: number;
  /** Tickets reopened by "Didn't help", and of those answered and resolved again. */
  reopened: number;
  reopenedResolved: number;
  /** Mini App visits (live only), by what the customer did there (bot/miniapp/; 'no-app': the bot set no Mini App). */
  appVisits: Record<AppVisitOutcome, number>;
  /** Receipts by kind: the demo experiment's two variants as the customers saw them. */
  receipts: { short: number; steps: number };
  /** Tickets by the variant of the experiment effect's surface the customers met (empty without an effect). */
  effectSeen: Record<string, number>;
  /** Why the last ticket that did not play out stopped (for the operator's log). */
  lastError?: string;
}

/** Live arrivals that are Mini App visits instead of messages (SimulatorOptions.appVisitShare). */
const APP_VISIT_SHARE = 0.2;

/** The history this run replays. */
export interface HistoryPlan {
  days: number;
  /** New tickets the replay plays (a few are spam an agent resolves as such). */
  tickets: number;
}

/** What the simulator did with one customer: tickets it opened for them, and whether it left the last one waiting on them. */
export interface CustomerRecord {
  tickets: number;
  waiting: boolean;
}

/** How the replay ended: played to the end, nothing to replay (none asked, or done before for this data directory), or stopped. */
export type ReplayEnd = 'replayed' | 'none' | 'stopped';

export interface Simulator {
  stats: SimulatorStats;
  /** The history being replayed; undefined when there is none to replay. */
  history: HistoryPlan | undefined;
  /** Resolves when the replay is over (at once without one). */
  replayed: Promise<ReplayEnd>;
  /** The simulator's customers by id (for checking the desk opened no ticket it didn't). */
  customers(): Map<number, CustomerRecord>;
  stop(): Promise<void>;
}

const LANGS = Object.keys(LANG_WEIGHTS) as Lang[];
const DAY = 86_400_000;
/** How long (real time) to keep looking for a resolved customer's follow-up question: FOLLOWUP_DELAY (24 h) and some. */
const FOLLOWUP_WATCH_MS = 30 * 3600_000;
/** Most live tickets played at once (SimulatorOptions.maxConcurrent). */
const MAX_CONCURRENT = 60;

/**
 * Live arrivals as they come on `tl`: waits on the timeline until each one
 * (the same model as the replay's, so the first live hour looks like the
 * replayed ones). A test drives it on a virtual timeline.
 */
export async function* liveArrivals(rng: Rng, perDay: number, tl: Timeline): AsyncGenerator<Date> {
  for (let t = tl.now().getTime(); ; ) {
    t = nextArrival(rng, perDay, t);
    // A long wait may be cut into several sleeps (timers have a ceiling).
    while (tl.now().getTime() < t) await tl.sleep((t - tl.now().getTime()) / 60_000);
    yield new Date(t);
  }
}

/** The arrivals a replay of `days` days ending at `endMs` plays. */
export function historyArrivals(rng: Rng, perDay: number, days: number, endMs: number): number[] {
  return arrivalsBetween(rng, perDay, endMs - days * DAY, endMs);
}

export function startSimulator(o: SimulatorOptions): Simulator {
  const client = new SandboxClient(o.sandboxUrl);
  const seed = o.seed ?? Date.now();
  // The replay and live traffic run side by side: each draws from its own generator, so each is repeatable.
  const replayRng = new Rng(seed);
  const liveRng = new Rng(seed ^ 0x5bd1e995);
  const perDay = o.perDay ?? TICKETS_PER_DAY;
  // Up to maxConcurrent live tickets sleep on it at once (the replay's virtual clock does not listen).
  const abort = simulatorAbort(o.maxConcurrent ?? MAX_CONCURRENT);
  const p: Probabilities = { ...P, ...o.p };
  const stats: SimulatorStats = {
    started: 0,
    outcomes: { spam: 0, kb: 0, resolved: 0, waiting: 0, lost: 0 },
    receipts: { short: 0, steps: 0 },
    effectSeen: {},
    failed: 0,
    held: 0,
    released: 0,
    followupsAnswered: 0,
    reopened: 0,
    reopenedResolved: 0,
    appVisits: { 'no-app': 0, deflected: 0, browsed: 0, requests: 0, requested: 0 },
  };
  const records = new Map<number, CustomerRecord>();
  const customers: SimCustomer[] = [];
  /** Customers whose resolved ticket will get a "Did it help?", with when (real time) they were resolved. */
  const awaitingFollowup = new Map<number, { customer: SimCustomer; since: number }>();
  const answered = new Set<string>();
  const running = new Set<Promise<void>>();
  /** Customers in the middle of a ticket. */
  const busy = new Set<number>();
  const lastPlayed = new Map<number, number>();
  /** Customers met live: the replay does not bring them back (they would write in the past after the present). */
  const metLive = new Set<number>();
  const waitMs = o.waitMs ?? 120_000;
  // Ids far from real Telegram users' and different per run, so a restarted simulator meets no half-finished tickets.
  let nextId = 7_000_000_000 + (Math.floor(Date.now() / 1000) % 1_000_000) * 1000;

  const customerFor = (rng: Rng, live: boolean): SimCustomer => {
    // Replay compresses days into seconds: a customer who wrote a moment ago (in real time) would hit the
    // desk's per-customer rate limit, so only customers quiet for a minute come back.
    const returning = customers
      .slice(-200)
      .filter((c) => c.seen && !c.open && !busy.has(c.id) && (live || !metLive.has(c.id)) && Date.now() - (lastPlayed.get(c.id) ?? 0) > 60_000);
    const c = returning.length > 0 && rng.chance(P.repeat) ? rng.pick(returning) : newCustomer(rng);
    if (live) metLive.add(c.id);
    return c;
  };
  const newCustomer = (rng: Rng): SimCustomer => {
    const lang = LANGS[rng.weighted(LANGS.map((l) => LANG_WEIGHTS[l]))]!;
    const c = { id: nextId++, name: customerName(rng, lang), lang, seen: false };
    customers.push(c);
    return c;
  };

  const failed = (e: unknown, c: SimCustomer, what: string) => {
    stats.failed++;
    stats.lastError = String((e as Error).message ?? e).slice(0, 500);
    log.debug({ err: e, customer: c.id }, what);
  };

  const play = async (rng: Rng, tl: Timeline, c: SimCustomer) => {
    stats.started++;
    busy.add(c.id);
    const record = records.get(c.id) ?? { tickets: 0, waiting: false };
    record.tickets++;
    records.set(c.id, record);
    const notes: TicketNotes = {};
    try {
      const outcome = await playTicket({ client, rng, tl, waitMs, p, ...(o.experimentEffect ? { effect: o.experimentEffect } : {}) }, c, notes);
      if (notes.receipt) stats.receipts[notes.receipt]++;
      const seen = o.experimentEffect && notes.seen?.[o.experimentEffect.surface];
      if (seen) stats.effectSeen[seen] = (stats.effectSeen[seen] ?? 0) + 1;
      stats.outcomes[outcome]++;
      if (outcome === 'resolved') awaitingFollowup.set(c.id, { customer: c, since: Date.now() });
      // Waiting on the customer: their next message would join it. A spammer does not come back either.
      if (outcome === 'waiting' || outcome === 'spam') c.open = true;
      record.waiting = outcome === 'waiting';
    } catch (e) {
      c.open = true; // in an unknown state: don't bring them back
      if (e instanceof Aborted || abort.signal.aborted) return;
      stats.outcomes.lost++;
      failed(e, c, 'a simulated ticket did not play out');
    } finally {
      if (notes.held) stats.held++;
      if (notes.released) stats.released++;
      busy.delete(c.id);
      lastPlayed.set(c.id, Date.now());
    }
  };

  const marker = o.dataDir ? join(o.dataDir, 'simulator', 'history.json') : undefined;
  const days = o.historyDays ?? 0;
  const previous = days > 0 && marker && existsSync(marker) ? (JSON.parse(readFileSync(marker, 'utf8')) as { replayedAt?: string }) : undefined;
  if (previous) log.info({ since: previous.replayedAt }, 'history already replayed for this data directory');
  // History runs up to the start, where live traffic takes over: no gap between them in the charts.
  const historyEnd = Date.now();
  const arrivals = days > 0 && !previous ? historyArrivals(replayRng, perDay, days, historyEnd) : [];
  const history = days > 0 && !previous ? { days, tickets: arrivals.length } : undefined;

  async function replay(): Promise<ReplayEnd> {
    if (!history) return 'none';
    log.info(history, 'replaying history');
    const tl = replayTimeline(new Date(historyEnd - days * DAY), abort.signal);
    for (const [i, t] of arrivals.entries()) {
      if (abort.signal.aborted) return 'stopped';
      tl.set(new Date(t));
      await play(replayRng, tl, customerFor(replayRng, false));
      if ((i + 1) % 25 === 0) log.info({ played: i + 1, of: arrivals.length }, 'replay progress');
    }
    if (abort.signal.aborted) return 'stopped';
    if (marker) {
      mkdirSync(join(o.dataDir!, 'simulator'), { recursive: true });
      writeFileSync(marker, JSON.stringify({ replayedAt: new Date().toISOString(), days, tickets: arrivals.length }));
    }
    log.info({ tickets: arrivals.length, outcomes: stats.outcomes }, 'history replayed');
    return 'replayed';
  }

  /** Cleared when the bot has no Mini App (no web_app menu button): the visits stop. */
  let appVisits = true;
  const visit = async (tl: Timeline, c: SimCustomer) => {
    busy.add(c.id);
    try {
      const outcome = await visitApp({ client, rng: liveRng, tl, waitMs }, c);
      stats.appVisits[outcome]++;
      if (outcome === 'no-app') appVisits = false;
      if (outcome === 'requested') stats.started++;
    } catch (e) {
      if (e instanceof Aborted || abort.signal.aborted) return;
      c.open = true; // in an unknown state: don't bring them back
      failed(e, c, 'a Mini App visit did not play out');
    } finally {
      busy.delete(c.id);
      lastPlayed.set(c.id, Date.now());
    }
  };

  async function live(): Promise<void> {
    const tl = liveTimeline(abort.signal, o.speed ?? 1);
    const max = o.maxConcurrent ?? MAX_CONCURRENT;
    for await (const _ of liveArrivals(liveRng, perDay, tl)) {
      if (running.size >= max) continue;
      const c = customerFor(liveRng, true);
      const job = appVisits && liveRng.chance(o.appVisitShare ?? APP_VISIT_SHARE) ? visit(tl, c) : play(liveRng, tl, c);
      const p = job.finally(() => running.delete(p));
      running.add(p);
    }
  }

  // A ticket reopened by "Didn't help" is played on the live timeline: the press has no date, the reopen is now.
  const reopenedTl = liveTimeline(abort.signal, o.speed ?? 1);
  const replayReopened = (u: Parameters<typeof playReopened>[1]) => {
    const c = u.customer;
    stats.reopened++;
    busy.add(c.id);
    const run = playReopened({ client, rng: liveRng, tl: reopenedTl, waitMs, p }, u)
      .then(() => {
        stats.reopenedResolved++;
        awaitingFollowup.set(c.id, { customer: c, since: Date.now() });
      })
      .catch((e: unknown) => {
        c.open = true; // in an unknown state: don't bring them back
        if (!(e instanceof Aborted || abort.signal.aborted)) failed(e, c, 'a reopened ticket did not play out');
      })
      .finally(() => {
        busy.delete(c.id);
        lastPlayed.set(c.id, Date.now());
        running.delete(run);
      });
    running.add(run);
  };

  // "Did it help?" arrives FOLLOWUP_DELAY after a resolution: look for it now and then.
  // Bounded: a customer leaves the list once their question was seen, or after FOLLOWUP_WATCH without one.
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping || abort.signal.aborted) return;
    sweeping = true;
    for (const [id, w] of awaitingFollowup) if (Date.now() - w.since > FOLLOWUP_WATCH_MS) awaitingFollowup.delete(id);
    void answerFollowups(
      client,
      liveRng,
      [...awaitingFollowup.values()].map((w) => w.customer),
      answered,
      // Saying no reopens the ticket: not while another ticket of theirs is in play.
      { p, mayReopen: (c) => !busy.has(c.id) && !c.open },
    )
      .then(({ seen, unhelped }) => {
        stats.followupsAnswered += seen.length;
        for (const c of seen) awaitingFollowup.delete(c.id);
        if (!abort.signal.aborted) for (const u of unhelped) replayReopened(u);
      })
      .catch(() => undefined)
      .finally(() => (sweeping = false));
  }, o.followupSweepMs ?? 20_000);

  const stopped = (e: unknown) => {
    if (!(e instanceof Aborted)) log.error({ err: e }, 'simulator stopped on an error');
  };
  const replayed = replay().catch((e: unknown): ReplayEnd => {
    stopped(e);
    return 'stopped';
  });
  const playingLive = o.live === false || !(perDay > 0) ? Promise.resolve() : live().catch(stopped);

  return {
    stats,
    history,
    replayed,
    customers: () => new Map([...records].map(([id, r]) => [id, { ...r }])),
    async stop() {
      abort.abort();
      clearInterval(sweep);
      await Promise.all([replayed, playingLive]);
      await Promise.allSettled([...running]);
      log.info({ stats }, 'simulator stopped');
    },
  };
}
