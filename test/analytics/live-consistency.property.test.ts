/**
 * One desk, four readers, one answer — whatever the clocks say.
 *
 * Generated histories run through the real desk's ticket service (createDesk:
 * PGlite store, outbox, relay to the bus) with every mix of clocks the desk
 * meets: customer and agent messages dated in the past (a replay, a backlog
 * Telegram delivers late, in any order), button presses stamped with the
 * processing time "now". The published events then reach ClickHouse late,
 * shuffled, duplicated and in several inserts. At the same instant:
 *   - the dashboard's /api/v1/live (the HTTP route over ClickHouse),
 *   - the desk's store (sla/exporter/snapshot.ts),
 *   - /sla, asked in the escalation chat through the Telegram sandbox,
 *   - the Prometheus SLA gauges (/metrics text of the collectors),
 * agree per queue on open tickets (by status), first-response and resolution
 * breaches and due-soon tickets; the live list shows only open tickets, each
 * with the deadline the store says it missed; and the dashboard's summary
 * equals the plain reference over the same events. A second scenario plays
 * the demo's replay through Telegram itself (the handlers' own clocks).
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesk, type DeskApp } from '../../bot/app.js';
import { createAlertsComposer } from '../../bot/alerts/composer.js';
import { loadAlertsConfig } from '../../bot/alerts/config.js';
import { loadBotConfig, type BotConfig } from '../../bot/config.js';
import type { Customer, Ticket } from '../../bot/store/types.js';
import { DeskError } from '../../bot/tickets/errors.js';
import { openDatabase, type Db } from '../../core/postgres.js';
import { buildDashboardServer } from '../../dashboard/server.js';
import { TICKET, ticketsFrom } from '../../analytics/ticket-facts.js';
import { chTime, clickHouseRunner, summary, type Live } from '../../dashboard/api/queries.js';
import { registerSlaCollectors } from '../../sla/exporter/collectors.js';
import { readSlaSnapshot, TICKET_STATUSES } from '../../sla/exporter/snapshot.js';
import { DEFAULT_ESCALATION_CHAT_ID, DEFAULT_SUPPORT_CHAT_ID } from '../../sandbox/identities.js';
import { SandboxClient, startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import type { SupportEvent } from '../../schemas/events.js';
import { MemoryBus, noFeatures, topicOf } from '../bot/harness.js';
import { tmpDataDir } from '../helpers/tmp.js';
import { ingest, openAnalyticsDb, resetAnalytics, shuffled, type AnalyticsDb } from './chdb.js';
import { prng } from './history.js';
import { referenceSummary, sameMetrics } from './reference.js';

/** The instant the generated histories end: presses are processed just before it. */
const NOW = Date.UTC(2026, 2, 4, 12, 0, 0);
/** The instant every reader is asked about (the dashboard, /sla, the gauges and the store read the same one). */
let readerNow = NOW;
const MIN = 60_000;
const LEAD = 601;
const AGENTS = [701, 702] as const;
const CUSTOMERS = [3001, 3002, 3003, 3004, 3005, 3006];
const VIP_CUSTOMER = CUSTOMERS[0]!;

const tmp = tmpDataDir('live-consistency-');
let sandbox: RunningSandbox;
let tg: SandboxClient;
let db: Db;
let desk: DeskApp;
let bus: MemoryBus;
let config: BotConfig;
let analytics: AnalyticsDb;
let app: FastifyInstance;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, floodLimits: false });
  tg = new SandboxClient(sandbox.url);
  db = await openDatabase({ DATA_DIR: tmp.dir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 });
  config = loadBotConfig({ THROTTLE: '0', LOG_LEVEL: 'warn', VIP_USER_IDS: String(VIP_CUSTOMER), TEAM_LEAD_IDS: String(LEAD) });
  const alertsConfig = loadAlertsConfig({});
  bus = new MemoryBus();
  desk = await createDesk({
    db,
    bus,
    config,
    apiRoot: sandbox.apiRoot,
    composers: [createAlertsComposer(alertsConfig, () => new Date(readerNow))],
    features: noFeatures(),
  });
  await desk.start();
  await tg.setMember({ user_id: LEAD, status: 'administrator', chat_id: DEFAULT_ESCALATION_CHAT_ID, first_name: 'Lead' });
  analytics = await openAnalyticsDb();
  app = await buildDashboardServer({ ch: analytics.ch, now: () => new Date(readerNow), webRoot: false });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await analytics?.close();
  await desk?.stop().catch(() => undefined);
  await db?.close();
  await sandbox?.close();
  tmp.cleanup();
});

// ---- histories -------------------------------------------------------------

/** A Telegram date (a message, a command): anywhere from a week ago to a minute ago, in any order. */
const messageClock = fc.record({
  kind: fc.constant('message' as const),
  ago: fc.constantFrom(1, 3, 6, 9, 12, 14, 25, 50, 120, 300, 1_500, 4_000, 10_000).chain((m) => fc.integer({ min: 0, max: 59_999 }).map((ms) => m * MIN - ms)),
});
/** A button press: no Telegram date, stamped with the processing time — now. */
const pressClock = fc.record({ kind: fc.constant('press' as const), ago: fc.integer({ min: 0, max: 120_000 }) });
type Clock = { kind: 'message' | 'press'; ago: number };

type Action = 'write' | 'category' | 'take' | 'reply' | 'resolve' | 'reopen' | 'escalate';
interface Step {
  customer: number;
  action: Action;
  clock: Clock;
  agent: number;
  /** category or queue, by index */
  pick: number;
}

const step: fc.Arbitrary<Step> = fc
  .record({
    customer: fc.integer({ min: 0, max: CUSTOMERS.length - 1 }),
    action: fc.constantFrom<Action>('write', 'write', 'category', 'take', 'reply', 'reply', 'resolve', 'resolve', 'reopen', 'escalate'),
    agent: fc.constantFrom(...AGENTS),
    pick: fc.nat(),
  })
  .chain((s) => {
    // presses: the category keyboard always; take/resolve/reopen by the card's buttons or by commands
    const clock = s.action === 'category' ? pressClock : ['take', 'resolve', 'reopen'].includes(s.action) ? fc.oneof(pressClock, messageClock) : messageClock;
    return clock.map((c) => ({ ...s, clock: c }));
  });

/** How the published events reach ClickHouse: some twice, in any order, over several inserts. */
const delivery = fc.record({
  duplicates: fc.double({ min: 0, max: 0.5, noNaN: true }),
  batches: fc.integer({ min: 1, max: 6 }),
  merge: fc.boolean(),
  randoms: fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })),
});

async function run(steps: readonly Step[]): Promise<void> {
  const { tickets, customers } = desk.services;
  const byId = new Map<number, Customer>();
  for (const id of CUSTOMERS) byId.set(id, await customers.upsert({ id, first_name: `Customer ${id}`, language_code: 'en' }, id === VIP_CUSTOMER));
  const categories = config.categories.map((c) => c.key);
  const queues = desk.services.sla.queues();
  for (const s of steps) {
    const customer = byId.get(CUSTOMERS[s.customer]!)!;
    const at = new Date(NOW - s.clock.ago);
    const open = await tickets.findOpen(customer.id);
    const latest: Ticket | undefined = open ?? (await tickets.latest(customer.id));
    try {
      switch (s.action) {
        case 'write': {
          // as bot/features/intake/feature.ts: open or join, then the message (on the hot path when the ticket was read)
          const { ticket, created } = open ? { ticket: open, created: false } : await tickets.open({ customer, at, language: 'en' });
          await tickets.recordCustomerMessage(ticket.id, { kind: 'text', textLength: 12, at }, created ? undefined : ticket);
          break;
        }
        case 'category':
          if (open) await tickets.setCategory(open.id, categories[s.pick % categories.length]!, { at, isVip: customer.is_vip });
          break;
        case 'take':
          if (open) await tickets.assign(open.id, s.agent, { at });
          break;
        case 'reply':
          if (latest) await tickets.recordAgentReply(latest.id, { agentId: s.agent, kind: 'text', at });
          break;
        case 'resolve':
          if (latest) await tickets.resolve(latest.id, { by: 'agent', at, agentId: s.agent });
          break;
        case 'reopen':
          if (latest) await tickets.reopen(latest.id, { reason: 'agent', at, agentId: s.agent });
          break;
        case 'escalate':
          if (open) await tickets.escalate(open.id, queues[s.pick % queues.length]!, { at, agentId: s.agent });
          break;
      }
    } catch (e) {
      // what the desk answers with an error message (already resolved, same queue, …)
      if (!(e instanceof DeskError)) throw e;
    }
  }
}

async function resetDesk(): Promise<void> {
  await desk.outboxRelay.drain();
  await db.query('TRUNCATE customers, tickets, outbox RESTART IDENTITY CASCADE');
  await resetAnalytics(analytics.ch);
}

// ---- readers -----------------------------------------------------------------

interface QueueView {
  open: Record<string, number>;
  frBreached: number;
  resBreached: number;
  dueSoon: number;
}
const emptyView = (): QueueView => ({ open: Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])), frBreached: 0, resBreached: 0, dueSoon: 0 });
const viewOf = (m: Map<string, QueueView>, q: string) => m.get(q) ?? m.set(q, emptyView()).get(q)!;
/** Queues with all-zero views are left out, so readers that list every known queue compare with those that list busy ones. */
const busy = (m: Map<string, QueueView>) =>
  Object.fromEntries(
    [...m].filter(([, v]) => Object.values(v.open).some(Boolean) || v.frBreached || v.resBreached || v.dueSoon).sort(([a], [b]) => a.localeCompare(b)),
  );

function liveView(live: Live): Map<string, QueueView> {
  const m = new Map<string, QueueView>();
  for (const r of live.by_queue) {
    const v = viewOf(m, r.queue);
    v.open[r.status] = (v.open[r.status] ?? 0) + r.open;
    v.frBreached += r.first_response_breached;
    v.resBreached += r.resolution_breached;
    v.dueSoon += r.at_risk;
  }
  return m;
}

async function storeView(): Promise<Map<string, QueueView>> {
  const m = new Map<string, QueueView>();
  for (const q of await readSlaSnapshot(db, { now: new Date(readerNow), imminentWindowSeconds: 300 }))
    m.set(q.queue, { open: { ...q.open }, frBreached: q.firstResponseOverdue, resBreached: q.resolutionOverdue, dueSoon: q.firstResponseDueSoon });
  return m;
}

/** /sla as the team lead sees it in the escalation chat: "🔴 L1: 3 open, …" then "breached 1 · due ≤ 5 min 0 · past resolution 2". */
async function slaCommandView(): Promise<{ open: Record<string, number>; view: Map<string, Omit<QueueView, 'open'>> }> {
  const sent = await tg.sendSupportMessage({ from_id: LEAD, chat_id: DEFAULT_ESCALATION_CHAT_ID, text: '/sla' });
  const reply = await tg.waitForChatMessage(
    DEFAULT_ESCALATION_CHAT_ID,
    (m) => m.from === 'bot' && m.message_id > sent.message_id && (m.text ?? '').startsWith('SLA now'),
    { timeoutMs: 20_000 },
  );
  const lines = (reply.text ?? '').split('\n');
  const open: Record<string, number> = {};
  const view = new Map<string, Omit<QueueView, 'open'>>();
  lines.forEach((line, i) => {
    const head = /^\S+ (\S+): (\d+) open/.exec(line);
    if (!head) return;
    const counts = /breached (\d+) · due ≤ 5 min (\d+) · past resolution (\d+)/.exec(lines[i + 1] ?? '');
    if (!counts) throw new Error(`/sla: no counts under "${line}"`);
    open[head[1]!] = Number(head[2]);
    view.set(head[1]!, { frBreached: Number(counts[1]), dueSoon: Number(counts[2]), resBreached: Number(counts[3]) });
  });
  return { open, view };
}

/** The SLA gauges as Prometheus scrapes them (a fresh collector set: its snapshot cache is per scrape). */
async function gaugeView(): Promise<Map<string, QueueView>> {
  const registry = new Registry();
  const collectors = registerSlaCollectors({
    db,
    registry,
    now: () => new Date(readerNow),
    config: { SLA_CSAT_TARGET: '4.5', SLA_IMMINENT_WINDOW: 300, SLA_CSAT_REFRESH: 60 },
  });
  const text = await registry.metrics();
  collectors.unregister();
  const m = new Map<string, QueueView>();
  const field: Record<string, (v: QueueView, n: number, labels: Record<string, string>) => void> = {
    support_tickets_open: (v, n, l) => void (v.open[l.status!] = n),
    support_sla_first_response_breached_tickets: (v, n) => void (v.frBreached = n),
    support_sla_resolution_breached_tickets: (v, n) => void (v.resBreached = n),
    support_sla_first_response_imminent_tickets: (v, n) => void (v.dueSoon = n),
  };
  for (const line of text.split('\n')) {
    const s = /^(support_\w+)\{([^}]*)\} (\S+)$/.exec(line);
    const set = s && field[s[1]!];
    if (!set) continue;
    const labels = Object.fromEntries([...s[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!]));
    set(viewOf(m, labels.queue!), Number(s[3]), labels);
  }
  return m;
}

interface StoreTicket {
  id: number;
  queue: string;
  status: string;
  created_at: Date;
  first_response_at: Date | null;
  first_response_due_at: Date;
  resolution_due_at: Date;
}

/** Delivers the events to ClickHouse late: shuffled, some twice, over several inserts (each its own block), maybe merged. */
async function deliver(events: readonly SupportEvent[], how: { duplicates: number; batches: number; merge: boolean }, rand: () => number): Promise<void> {
  const again = events.filter(() => rand() < how.duplicates);
  const arriving = shuffled([...events, ...again], rand);
  const size = Math.max(1, Math.ceil(arriving.length / how.batches));
  for (let i = 0; i < arriving.length; i += size) await ingest(analytics.ch, arriving.slice(i, i + size));
  if (how.merge) for (const t of ['events', 'ticket_facts']) await analytics.ch.client.command({ query: `OPTIMIZE TABLE ${t} FINAL` });
}

/** Everything the live panel shows equals what the store, /sla and the gauges say at `readerNow`. */
async function readersAgree(events: SupportEvent[]): Promise<void> {
  const res = await app.inject({ url: '/api/v1/live' });
  expect(res.statusCode).toBe(200);
  const live = res.json() as Live;
  const store = await storeView();
  const sla = await slaCommandView();
  const gauges = await gaugeView();
  const storeTickets = (
    await db.query<StoreTicket>(`SELECT id, queue, status, created_at, first_response_at, first_response_due_at, resolution_due_at FROM tickets`)
  ).rows;
  const openTickets = storeTickets.filter((t) => t.status !== 'resolved');

  // the same open tickets, each in its store status: live's own reading of ticket_facts
  const chOpen = await clickHouseRunner(analytics.ch)(
    `SELECT ticket_id, ${TICKET.status} AS status, ${TICKET.queue} AS queue ${ticketsFrom({}, [`${TICKET.status} != 'resolved'`])} ORDER BY ticket_id`,
    { from: chTime(new Date(0)), to: chTime(new Date(readerNow + 1)) },
  );
  expect(
    chOpen.map((r) => [Number(r.ticket_id), r.queue, r.status]),
    'open tickets in ClickHouse vs the store',
  ).toEqual(openTickets.sort((a, b) => a.id - b.id).map((t) => [Number(t.id), t.queue, t.status]));

  // per queue: live = store = gauges; /sla shows the same numbers
  expect(busy(liveView(live)), 'live vs store').toEqual(busy(store));
  expect(busy(gauges), 'Prometheus vs store').toEqual(busy(store));
  for (const [queue, v] of store) {
    const total = Object.values(v.open).reduce((a, b) => a + b, 0);
    expect(sla.open[queue], `/sla open in ${queue}`).toBe(total);
    expect(sla.view.get(queue), `/sla counts in ${queue}`).toEqual({ frBreached: v.frBreached, resBreached: v.resBreached, dueSoon: v.dueSoon });
  }
  expect(live.open_tickets).toBe(openTickets.length);

  // the list: open tickets only, each "over" the deadline the store says it missed
  const byId = new Map(openTickets.map((t) => [Number(t.id), t]));
  const expected = openTickets
    .map((t) => {
      const fr = t.first_response_at === null ? t.first_response_due_at.getTime() : null;
      const res = t.resolution_due_at.getTime();
      if (fr !== null && fr <= readerNow) return { id: Number(t.id), sla: 'first_response', state: 'breached', due: fr };
      if (res <= readerNow) return { id: Number(t.id), sla: 'resolution', state: 'breached', due: res };
      if (fr !== null && fr <= readerNow + 300_000) return { id: Number(t.id), sla: 'first_response', state: 'at_risk', due: fr };
      return undefined;
    })
    .filter((x) => x !== undefined)
    .sort((a, b) => a.due - b.due || a.id - b.id);
  for (const t of live.tickets) expect(byId.has(t.ticket_id), `listed #${t.ticket_id} is open in the store`).toBe(true);
  expect(live.tickets.map((t) => ({ id: t.ticket_id, sla: t.sla, state: t.state, due: Date.parse(t.due_at) }))).toEqual(expected);
  expect(live.breached).toBe(expected.filter((x) => x.state === 'breached').length);

  // the oldest wait: the earliest created open ticket without a first response, as /sla and the gauge say
  const unanswered = openTickets.filter((t) => t.first_response_at === null).sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id - b.id);
  expect(live.oldest_waiting?.ticket_id ?? null).toBe(unanswered[0] ? Number(unanswered[0].id) : null);
  const storeOldest = Math.max(0, ...(await readSlaSnapshot(db, { now: new Date(readerNow) })).map((q) => q.oldestWaitingSeconds));
  expect(live.oldest_waiting?.waiting_seconds ?? 0).toBeCloseTo(storeOldest, 3);

  // and the KPIs read the same latest values (queue, deadlines) as the plain reference. The repeat-contact
  // flag is the desk's judgement at opening from its store, which clocks out of order can make differ from
  // the reference's "any resolution event dated in the 7 days before": not this test's subject.
  const all = { from: 0, to: readerNow + 1, now: readerNow };
  for (const filter of [{}, { queue: 'L1' }, { queue: 'VIP' }]) {
    const got = await summary(clickHouseRunner(analytics.ch), { from: new Date(all.from), to: new Date(all.to) }, filter, new Date(readerNow));
    const diffs = sameMetrics(got, referenceSummary(events, { ...all, filter })).filter((d) => !d.startsWith('repeat_contact_rate'));
    expect(diffs, `summary ${JSON.stringify(filter)}`).toEqual([]);
  }
}

// ---- the property ------------------------------------------------------------

describe('live panel = store = /sla = Prometheus, whatever the clocks and the delivery', () => {
  it('agree per queue; nothing resolved is listed; "over" is the store\'s deadline', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), delivery, async (steps, how) => {
        await resetDesk();
        const published = bus.sent.length;
        await run(steps);
        await desk.outboxRelay.drain();
        const events = bus.events().slice(published);

        // late, out of order, duplicated, over several inserts (each its own block)
        const it = how.randoms[Symbol.iterator]();
        await deliver(events, how, () => it.next().value as number);

        await readersAgree(events);
      }),
      { numRuns: 25 },
    );
  }, 600_000);
});

describe('a history replayed through Telegram: messages dated days ago, presses processed now', () => {
  const AGENT = 711;
  const waitForTicket = (customerId: number, pred: (t: Ticket) => boolean, what: string) =>
    tg.waitFor(async () => (await db.query<Ticket>('SELECT * FROM tickets WHERE customer_id = $1 ORDER BY id DESC LIMIT 1', [customerId])).rows.find(pred), {
      timeoutMs: 20_000,
      what,
    });

  it('the resolved ticket is open and over nowhere; the unanswered one is over its first response everywhere', async () => {
    await resetDesk();
    const published = bus.sent.length;
    await tg.setMember({ user_id: AGENT, status: 'member', chat_id: DEFAULT_SUPPORT_CHAT_ID, first_name: 'Maria' });
    const t0 = Math.floor(Date.now() / 1000) - 3 * 86_400;

    // Ann wrote three days ago; her category press is processed now; the agent's answer and /resolve are dated three days ago
    await tg.sendCustomerMessage(3101, { text: 'I was charged twice', first_name: 'Ann', language_code: 'en', date: t0 });
    await tg.waitForCustomerMessage(3101, /What is your question about/);
    await tg.pressCustomerButton(3101, '💳 Payment');
    await waitForTicket(3101, (t) => t.category === 'payment', "Ann's category");
    const thread = await topicOf(tg, 3101, db);
    await tg.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: 'Refunded, sorry for that', date: t0 + 600 });
    await tg.waitForCustomerMessage(3101, 'Refunded, sorry for that');
    await tg.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/resolve', date: t0 + 3600 });
    const ann = await waitForTicket(3101, (t) => t.status === 'resolved', "Ann's resolution");

    // Bob wrote three days ago too, picked a category now, and nobody answered
    await tg.sendCustomerMessage(3102, { text: 'Cannot log in', first_name: 'Bob', language_code: 'en', date: t0 + 120 });
    await tg.waitForCustomerMessage(3102, /What is your question about/);
    await tg.pressCustomerButton(3102, '👤 Account');
    const bob = await waitForTicket(3102, (t) => t.category === 'account', "Bob's category");

    await desk.outboxRelay.drain();
    const events = bus.events().slice(published);
    // the clocks really disagree: Ann's category press is stamped after her resolution, and ticket_seq puts it before
    const annEvents = events.filter((e) => e.ticket_id === ann.id);
    const picked = annEvents.find((e) => e.type === 'category_selected')!;
    const resolved = annEvents.find((e) => e.type === 'ticket_resolved')!;
    expect(Date.parse(picked.occurred_at)).toBeGreaterThan(Date.parse(resolved.occurred_at));
    expect(picked.ticket_seq!).toBeLessThan(resolved.ticket_seq!);
    expect(resolved.ticket_seq).toBe(ann.version); // the version the resolution produced, written with it

    await deliver(events, { duplicates: 0.3, batches: 3, merge: false }, prng(7));
    readerNow = Date.now();
    try {
      await readersAgree(events);
      const live = (await app.inject({ url: '/api/v1/live' })).json() as Live;
      expect(live.open_tickets).toBe(1);
      expect(live.tickets.map((t) => [t.ticket_id, t.sla, t.state])).toEqual([[Number(bob.id), 'first_response', 'breached']]);
    } finally {
      readerNow = NOW;
    }
  }, 120_000);
});
