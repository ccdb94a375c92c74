/**
 * The chaos world (issue 18, item 6), shared by the suite's bounded run (test/bot/chaos.test.ts) and the
 * longer one in bench/bot/chaos.spec.ts: the desk as the separate services a deployment runs —
 *
 * - `npm run bot` (bot/main.ts: PGlite in its own DATA_DIR, the outbox relay publishing to Kafka),
 * - `npm run ingest` (ingest/main.ts: the bus's consumer group, into chDB in its own DATA_DIR),
 * - this process's Telegram sandbox as Telegram, failing `faults` of the Bot API calls the desk serves with
 *   (429s with a retry_after, and 5xx; SERVING_METHODS),
 *
 * while customers write and an agent answers, and each of `kills` times a seeded choice of the bot, the
 * ingest or both is SIGKILLed at a seeded random moment and started again. Then everything is stopped
 * politely and the outcome read back: what each topic and each customer's chat hold (and the notes flagging
 * a copy sent again after a restart), the bot's outbox and the claims left without a pair, and ClickHouse's
 * events and metrics. The caller asserts (expectDelivered). No timed assertion: the waits only bound how long a step may take.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { summary, clickHouseRunner } from '../../analytics/query.js';
import { createKafkaBus } from '../../core/bus/kafka.js';
import { createClickHouse, loadClickHouseConfig, queryRows } from '../../core/clickhouse.js';
import { openDatabase } from '../../core/postgres.js';
import { eventCounts, testKafkaBrokers, uniqueName } from '../../ingest/test-support.js';
import { SandboxClient } from '../../sandbox/client.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import { freePort } from '../../scripts/alerting-stack.js';
import { Rng } from '../../simulator/random.js';
import { tmpDataDir } from '../helpers/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** The Bot API methods the desk calls while it serves customers and agents (faults go there). */
const SERVING_METHODS = [
  'getUpdates',
  'sendMessage',
  'copyMessage',
  'copyMessages',
  'createForumTopic',
  'editForumTopic',
  'editMessageText',
  'editMessageReplyMarkup',
  'pinChatMessage',
  'deleteMessage',
  'sendChatAction',
];
const AGENT = 500_066;

export interface ChaosOptions {
  seed: number;
  kills: number;
  customers: number;
  /** Follow-ups per customer after the message that opens the ticket. */
  messages: number;
  /** Share of Bot API calls that fail (0..1). */
  faults: number;
  /** Pause between kills, ms (seeded within). */
  gapMs: [number, number];
  /** Customer ids start here (distinct per run, for readable failures). */
  firstCustomer?: number;
  trace?: boolean;
}

type Service = 'bot' | 'ingest';
interface Child {
  proc: ChildProcess;
  output: string[];
}

export interface ChaosOutcome {
  seed: number;
  /** Processes killed (a round may kill both) and the rounds of kills. */
  kills: { bot: number; ingest: number; rounds: number };
  durationMs: number;
  customers: number[];
  /**
   * Per customer: how often each of their messages is in their topic, how many of those copies a note flags
   * as sent again (agent-relay-resent, a reply to the copy) and whether the last copy is one; how often the
   * agent's reply reached them and how many notes flag it (agent-relay-resent-reply, a reply to the agent's).
   */
  delivered: { customer: number; inTopic: number[]; flagged: number[]; lastFlagged: boolean[]; replies: number; replyFlagged: number }[];
  /** Claims left without a pair once the bot stopped politely (a cut-off copy is sent again after the restart: none expected). */
  cutOff: number;
  /** Outbox rows by (type) over all tickets and by ticket. */
  outbox: {
    tickets: number;
    byTicket: { ticket: string; opened: number; in: number; out: number; first: number }[];
    doubledIds: number;
    unpublished: number;
    ids: number;
  };
  clickhouse: { rows: number; unique: number; byType: Record<string, number>; missing: number };
  metrics: { tickets_created: number; tickets_resolved: number; frt_p50_seconds: number | null; frt_p90_seconds: number | null };
  /** The same FRT percentiles from the outbox as the scenario played it (ticket_opened → first reply, per ticket). */
  played: { frt_p50_seconds: number | null; frt_p90_seconds: number | null };
}

const text = (c: number, k: number) => `chaos ${c} message ${k}`;
/** The notes flagging a copy sent again after a restart (locales/en/core.ftl; AGENT_LANGUAGE is English here). */
const RESENT = '↻ Sent again after a restart of the desk: the message above may appear twice.';
const RESENT_REPLY = '↻ The reply above was sent again after a restart; the customer may see it twice.';
const reply = (c: number) => `chaos answer for ${c}`;

export async function runChaos(o: ChaosOptions): Promise<ChaosOutcome> {
  const started = Date.now();
  const botDir = tmpDataDir('desk-chaos-bot-');
  const ingestDir = tmpDataDir('desk-chaos-ingest-');
  const topic = uniqueName('chaos');
  const brokers = testKafkaBrokers();
  const bus = createKafkaBus({ brokers, clientId: 'chaos-test' });
  await bus.ensureTopics([{ name: topic, partitions: 2 }]);
  await bus.close();
  const sandbox: RunningSandbox = await startSandbox({ port: 0 });
  const client = new SandboxClient(sandbox.url);
  const support = sandbox.world.chatIds.support;
  const ports = { bot: await freePort(), ingest: await freePort() };
  const logs: string[] = [];
  const kafka = {
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_TOPIC: topic,
    KAFKA_DLQ_TOPIC: `${topic}.dlq`,
    KAFKA_GROUP_ID: `${topic}-ingest`,
    KAFKA_PARTITIONS: '2',
    // A killed member holds its partitions until its session times out: keep that short.
    KAFKA_SESSION_TIMEOUT_MS: '6000',
  };
  const envOf: Record<Service, Record<string, string>> = {
    bot: {
      ...kafka,
      DATA_DIR: botDir.dir,
      // Warnings too: a relay claim taken over from a killed process (a copy sent again, flagged) is one.
      LOG_LEVEL: 'warn',
      TELEGRAM_API_ROOT: sandbox.apiRoot,
      PORT: String(ports.bot),
      THROTTLE: '0',
      ALBUM_BUFFER: '200ms',
      EXPERIMENTS_DIR: join(botDir.dir, 'experiments'),
      KB_AUTO_ANSWER: '0',
      SPAM_NEWCOMER_MESSAGES: '0',
      SPAM_NEWCOMER_AGE: '0',
      SPAM_RATE_LIMIT: '100000',
      SPAM_DUPLICATE_WINDOW: '0',
    },
    ingest: { ...kafka, DATA_DIR: ingestDir.dir, LOG_LEVEL: 'error', PORT: String(ports.ingest), INGEST_BATCH_SIZE: '50', INGEST_BATCH_MS: '100' },
  };
  const main: Record<Service, string> = { bot: 'bot/main.ts', ingest: 'ingest/main.ts' };
  const children: Partial<Record<Service, Child>> = {};
  // A run cut short (the test's timeout, then the worker exits) must not leave the services running.
  const orphans = () => {
    for (const c of Object.values(children)) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  };
  process.once('exit', orphans);

  const launch = (s: Service): Child => {
    // `node --import tsx` runs main.ts in this one process, so SIGKILL hits the service itself.
    const proc = spawn(process.execPath, ['--import', 'tsx', main[s]], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...envOf[s] },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const keep = (b: Buffer) => {
      output.push(b.toString());
      if (output.length > 60) output.shift();
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    const c = { proc, output };
    children[s] = c;
    return c;
  };
  const exited = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));
  const polls = async () => (await client.getStats()).calls.getUpdates ?? 0;
  const healthy = async (s: Service) => {
    try {
      return (await fetch(`http://127.0.0.1:${ports[s]}/healthz`)).status === 200;
    } catch {
      return false;
    }
  };
  /** The bot polls again; the ingest answers /healthz (its consumer joined). */
  const up = async (s: Service, before: number): Promise<void> => {
    const c = children[s]!;
    for (let i = 0; i < 1800; i++) {
      if (c.proc.exitCode !== null) throw new Error(`${s} exited with ${c.proc.exitCode}:\n${c.output.join('')}`);
      if (s === 'bot' ? (await polls()) > before : await healthy(s)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${s} did not come up:\n${c.output.join('')}`);
  };
  const kill = async (s: Service): Promise<void> => {
    const c = children[s]!;
    c.proc.kill('SIGKILL');
    await exited(c.proc);
    logs.push(`--- ${s} (killed)\n${c.output.join('')}`);
  };
  const restart = async (s: Service): Promise<void> => {
    const before = s === 'bot' ? await polls() : 0;
    launch(s);
    await up(s, before);
  };
  const stopPolitely = async (s: Service) => {
    const c = children[s];
    if (!c || c.proc.exitCode !== null) return;
    c.proc.kill('SIGTERM');
    await exited(c.proc);
  };

  const wait = { timeoutMs: 90_000, intervalMs: 50 };
  const ids = Array.from({ length: o.customers }, (_, i) => (o.firstCustomer ?? 18_600) + i);
  const threadOf = (c: number) =>
    client.waitFor(async () => (await client.getTopics()).find((t) => !t.deleted && t.name.includes(`Chaos${c}`))?.thread_id, {
      ...wait,
      what: `the topic of ${c}`,
    });
  /** One customer opens a ticket and writes `messages` more; once the first is in the topic, the agent answers once. */
  /** Each message's id in its chat (customer id → ids by k; the agent's replies by customer). */
  const sentIds = new Map<number, number[]>();
  const replyIds = new Map<number, number>();
  const customer = async (c: number, rng: Rng) => {
    const pause = () => new Promise((r) => setTimeout(r, rng.int(0, 600)));
    const mine: number[] = [];
    sentIds.set(c, mine);
    mine.push((await client.sendCustomerMessage(c, { text: text(c, 0), first_name: `Chaos${c}`, language_code: 'en' })).message_id);
    for (let k = 1; k <= o.messages; k++) {
      await pause();
      mine.push((await client.sendCustomerMessage(c, text(c, k))).message_id);
    }
    // The agent answers in the ticket's topic once it is there.
    const thread = await threadOf(c);
    replyIds.set(c, (await client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: reply(c) })).message_id);
  };

  const kills = { bot: 0, ingest: 0, rounds: 0 };
  const step = (what: string) => o.trace && console.log(`chaos ${o.seed} +${((Date.now() - started) / 1000).toFixed(1)}s ${what}`);
  try {
    launch('ingest');
    launch('bot');
    await Promise.all([up('bot', 0), up('ingest', 0)]);
    step('bot and ingest up');
    // Faults from here on (the first start-up's self-check is not what this tests; restarts meet them).
    const share = o.faults;
    // Every method the desk calls while it serves fails `share` of the time: mostly flood waits (auto-retry
    // waits retry_after), some server errors (retried with back-off). Not the start-up self-check's getMe,
    // getChat and getChatMember: under faults it starts degraded after ~7 s of back-off each time
    // (test/bot/self-check tests that), which would only make each restart slower. No "after effect" faults
    // (the call done, its answer lost): auto-retry repeats such a call, and no Bot API call can be made
    // idempotent, so those would be duplicates by design — see bot/README "Guarantees".
    if (share > 0)
      for (const method of SERVING_METHODS) {
        await client.injectFault({ method, probability: share * 0.8, error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
        await client.injectFault({ method, probability: (share * 0.2) / (1 - share * 0.8), error_code: 502 });
      }
    const rng = new Rng(o.seed);
    const traffic = Promise.all(ids.map((c, i) => customer(c, new Rng(o.seed * 1000 + i))));
    let failed: unknown;
    void traffic.catch((e: unknown) => (failed = e));
    for (let k = 0; k < o.kills && failed === undefined; k++) {
      await new Promise((r) => setTimeout(r, rng.int(o.gapMs[0], o.gapMs[1])));
      const pick = rng.int(0, 9);
      const which: Service[] = pick < 5 ? ['bot'] : pick < 8 ? ['ingest'] : ['bot', 'ingest'];
      for (const s of which) {
        await kill(s);
        kills[s]++;
      }
      kills.rounds++;
      const t0 = Date.now();
      await Promise.all(which.map((s) => restart(s)));
      step(`kill ${k + 1}: ${which.join('+')}, up again in ${Date.now() - t0} ms`);
    }
    await traffic;
    step('traffic done');

    // Everything is sent; the faults end and the desk catches up (every update handled and confirmed, every
    // message delivered — but a copy a kill cut off mid-request, which the store shows below), then stops politely.
    await client.clearFaults();
    await client.waitForIdle(wait);
    const allThere = async () => {
      for (const c of ids) {
        const inTopic = new Set((await client.getChatMessages(support, { threadId: await threadOf(c) })).map((m) => m.text));
        for (let k = 0; k <= o.messages; k++) if (!inTopic.has(text(c, k))) return false;
        if (!(await client.getCustomerMessages(c)).some((m) => m.from === 'bot' && m.text === reply(c))) return false;
      }
      return true;
    };
    for (let i = 0; i < 100 && !(await allThere()); i++) await new Promise((r) => setTimeout(r, 200));
    step('caught up');
    await stopPolitely('bot');
    // The bot's outbox is published (a polite stop drains it); the ingest catches up with the topic.
    const db = await openDatabase({ DATA_DIR: botDir.dir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 });
    let outbox: ChaosOutcome['outbox'];
    let outboxIds: string[];
    let played: ChaosOutcome['played'] = { frt_p50_seconds: null, frt_p90_seconds: null };
    let cutOff: { chat: number; message: number }[] = [];
    try {
      const counts = (
        await db.query<{ ticket: string; opened: number; in: number; out: number; first: number }>(
          `SELECT payload->>'ticket_id' AS ticket,
                  count(*) FILTER (WHERE payload->>'type' = 'ticket_opened')::int AS opened,
                  count(*) FILTER (WHERE payload->>'type' = 'message_in')::int AS in,
                  count(*) FILTER (WHERE payload->>'type' = 'message_out')::int AS out,
                  count(*) FILTER (WHERE payload->>'type' = 'message_out' AND (payload->>'is_first_response')::boolean)::int AS first
           FROM outbox WHERE payload->>'ticket_id' IS NOT NULL GROUP BY 1 ORDER BY 1`,
        )
      ).rows;
      const doubled = await db.query(`SELECT payload->>'event_id' FROM outbox GROUP BY 1 HAVING count(*) > 1`);
      const unpublished = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0]!.n;
      outboxIds = (await db.query<{ id: string }>(`SELECT DISTINCT payload->>'event_id' AS id FROM outbox`)).rows.map((r) => r.id);
      outbox = { tickets: counts.length, byTicket: counts, doubledIds: doubled.rows.length, unpublished, ids: outboxIds.length };
      const frts = (
        await db.query<{ frt: number }>(
          `SELECT extract(epoch FROM min((payload->>'occurred_at')::timestamptz) FILTER (WHERE payload->>'type' = 'message_out' AND (payload->>'is_first_response')::boolean)
                                  - min((payload->>'occurred_at')::timestamptz) FILTER (WHERE payload->>'type' = 'ticket_opened'))::float8 AS frt
           FROM outbox WHERE payload->>'ticket_id' IS NOT NULL GROUP BY payload->>'ticket_id'`,
        )
      ).rows
        .map((r) => r.frt)
        .filter((v): v is number => v !== null);
      played = { frt_p50_seconds: quantileInclusive(frts, 0.5), frt_p90_seconds: quantileInclusive(frts, 0.9) };
      // Claims without a pair: a copy a kill cut off is orphaned at the next start and sent again (flagged), so
      // none should be left once the bot stopped politely.
      cutOff = (
        await db.query<{ c: string; m: number }>(
          'SELECT source_chat_id::text AS c, source_message_id AS m FROM relay_inflight r WHERE NOT EXISTS (SELECT 1 FROM message_pairs p WHERE p.source_chat_id = r.source_chat_id AND p.source_message_id = r.source_message_id)',
        )
      ).rows.map((r) => ({ chat: Number(r.c), message: r.m }));
    } finally {
      await db.close();
    }
    step(`bot stopped, outbox read; claims left without a pair: ${JSON.stringify(cutOff)}`);
    await waitForIngest(ports.ingest, outboxIds.length, wait.timeoutMs);
    await stopPolitely('ingest');
    step('ingest caught up and stopped');

    const delivered: ChaosOutcome['delivered'] = [];
    for (const c of ids) {
      const thread = await threadOf(c);
      const inTopic = await client.getChatMessages(support, { threadId: thread });
      const notesTo = (note: string) => inTopic.filter((m) => m.from === 'bot' && m.text === note).map((m) => m.reply_to);
      const resent = notesTo(RESENT);
      const copies = (k: number) => inTopic.filter((m) => m.text === text(c, k)).map((m) => m.message_id);
      const replyId = replyIds.get(c);
      delivered.push({
        customer: c,
        inTopic: Array.from({ length: o.messages + 1 }, (_, k) => copies(k).length),
        flagged: Array.from({ length: o.messages + 1 }, (_, k) => copies(k).filter((id) => resent.includes(id)).length),
        lastFlagged: Array.from({ length: o.messages + 1 }, (_, k) => resent.includes(copies(k).at(-1))),
        replies: (await client.getCustomerMessages(c)).filter((m) => m.from === 'bot' && m.text === reply(c)).length,
        replyFlagged: replyId === undefined ? 0 : notesTo(RESENT_REPLY).filter((id) => id === replyId).length,
      });
    }

    const ch = await createClickHouse(loadClickHouseConfig({ DATA_DIR: ingestDir.dir }));
    try {
      const counts = await eventCounts(ch);
      const byType = Object.fromEntries(
        (await queryRows<{ type: string; n: string }>(ch, 'SELECT type, count() AS n FROM events FINAL GROUP BY type')).map((r) => [r.type, Number(r.n)]),
      );
      const inCh = new Set((await queryRows<{ id: string }>(ch, 'SELECT DISTINCT toString(event_id) AS id FROM events FINAL')).map((r) => r.id));
      const missing = outboxIds.filter((id) => !inCh.has(id)).length;
      const now = new Date();
      const m = await summary(clickHouseRunner(ch), { from: new Date(started - 86_400_000), to: new Date(now.getTime() + 86_400_000) }, {}, now);
      return {
        seed: o.seed,
        kills,
        durationMs: Date.now() - started,
        customers: ids,
        delivered,
        cutOff: cutOff.length,
        outbox,
        clickhouse: { ...counts, byType, missing },
        metrics: {
          tickets_created: Number(m.tickets_created),
          tickets_resolved: Number(m.tickets_resolved),
          frt_p50_seconds: m.frt_p50_seconds ?? null,
          frt_p90_seconds: m.frt_p90_seconds ?? null,
        },
        played,
      };
    } finally {
      await ch.close();
    }
  } catch (e) {
    for (const s of ['bot', 'ingest'] as const) if (children[s]) logs.push(`--- ${s} (last)\n${children[s].output.join('')}`);
    logs.push(await storeState(botDir.dir, children.bot?.proc).catch((err: unknown) => `store state unreadable: ${String(err)}`));
    throw new Error(`${String(e)}\n${logs.join('\n').slice(-20_000)}`);
  } finally {
    process.off('exit', orphans);
    for (const s of ['bot', 'ingest'] as const) {
      const c = children[s];
      if (c && c.proc.exitCode === null && c.proc.signalCode === null) {
        c.proc.kill('SIGKILL');
        await exited(c.proc);
      }
    }
    await sandbox.close();
    botDir.cleanup();
    ingestDir.cleanup();
  }
}

/** The bot's relay bookkeeping, for the message of a failure (the bot is stopped first: PGlite has one owner). */
async function storeState(dir: string, bot: ChildProcess | undefined): Promise<string> {
  if (bot && bot.exitCode === null && bot.signalCode === null) {
    bot.kill('SIGKILL');
    await new Promise((r) => bot.once('exit', r));
  }
  const db = await openDatabase({ DATA_DIR: dir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 });
  try {
    const out: string[] = ['--- store'];
    for (const q of [
      'SELECT * FROM update_cursor',
      'SELECT * FROM relay_inflight',
      'SELECT * FROM pending_deliveries',
      'SELECT id, customer_id, status, intake_state, card_message_id, customer_messages, agent_replies FROM tickets ORDER BY id',
      'SELECT source_chat_id, source_message_id, target_message_id, direction FROM message_pairs ORDER BY source_chat_id, source_message_id',
      'SELECT source_chat_id, source_message_id FROM relay_event_keys ORDER BY 1, 2',
    ])
      out.push(`${q}: ${JSON.stringify((await db.query(q)).rows)}`);
    return out.join('\n');
  } finally {
    await db.close();
  }
}

/** Until the ingest's consumer has inserted at least `n` events and is caught up (lag 0). */
async function waitForIngest(port: number, n: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      last = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      // Lag after the group's committed offsets (committed once inserted), one line per partition: none yet
      // means the lag was not read (the consumer not up); a restarted ingest may have nothing left to consume.
      const lags = last
        .split('\n')
        .filter((l) => l.startsWith('ingest_consumer_lag_messages{'))
        .map((l) => Number(l.split(' ').pop()));
      if (lags.length > 0 && lags.every((n) => n === 0)) return;
    } catch {
      // restarting
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the ingest did not catch up with ${n} events`);
}

/** The copies sent again after a restart (notes flagging them) and the duplicates among what was delivered. */
export function resentSummary(r: ChaosOutcome): { resent: number; duplicates: number; leftClaims: number } {
  let resent = 0;
  let duplicates = 0;
  for (const d of r.delivered) {
    resent += d.flagged.reduce((a, b) => a + b, 0) + d.replyFlagged;
    duplicates += d.inTopic.reduce((a, n) => a + Math.max(0, n - 1), 0) + Math.max(0, d.replies - 1);
  }
  return { resent, duplicates, leftClaims: r.cutOff };
}

/**
 * The scenario's outcome: every message and reply delivered at least once (nothing lost); more than once only
 * for a copy a kill cut off — sent again after the restart, the last copy followed by the note flagging it;
 * every event exactly once in the outbox and in ClickHouse; the metrics as played.
 */
export function expectDelivered(r: ChaosOutcome, o: Pick<ChaosOptions, 'customers' | 'messages'>): void {
  for (const d of r.delivered) {
    d.inTopic.forEach((n, k) => {
      expect(n, `customer ${d.customer}: message ${k} in the topic`).toBeGreaterThanOrEqual(1);
      if (n > 1)
        expect({ k, flagged: d.flagged[k]! >= 1, lastFlagged: d.lastFlagged[k] }, `customer ${d.customer}: a duplicate is flagged`).toEqual({
          k,
          flagged: true,
          lastFlagged: true,
        });
    });
    expect(d.replies, `customer ${d.customer}: the agent's reply`).toBeGreaterThanOrEqual(1);
    if (d.replies > 1) expect(d.replyFlagged, `customer ${d.customer}: a duplicate reply is flagged in the topic`).toBeGreaterThanOrEqual(1);
  }
  expect(r.outbox.tickets).toBe(o.customers);
  for (const t of r.outbox.byTicket) expect(t).toEqual({ ticket: t.ticket, opened: 1, in: o.messages + 1, out: 1, first: 1 });
  expect({ doubled: r.outbox.doubledIds, unpublished: r.outbox.unpublished }).toEqual({ doubled: 0, unpublished: 0 });
  // ClickHouse: every event of the outbox, each once.
  expect({ rows: r.clickhouse.rows, unique: r.clickhouse.unique, missing: r.clickhouse.missing }).toEqual({
    rows: r.outbox.ids,
    unique: r.outbox.ids,
    missing: 0,
  });
  expect({
    ticket_opened: r.clickhouse.byType.ticket_opened,
    message_in: r.clickhouse.byType.message_in,
    message_out: r.clickhouse.byType.message_out,
  }).toEqual({ ticket_opened: o.customers, message_in: o.customers * (o.messages + 1), message_out: o.customers });
  expect({ created: r.metrics.tickets_created, resolved: r.metrics.tickets_resolved }).toEqual({ created: o.customers, resolved: 0 });
  // FRT as the dashboard computes it (ticket_facts) against the outbox as played: a re-delivered or doubled event
  // would move neither, a lost first reply would.
  expect(r.played.frt_p50_seconds, 'FRT from the outbox').not.toBeNull();
  expect(r.metrics.frt_p50_seconds).toBeCloseTo(r.played.frt_p50_seconds!, 2);
  expect(r.metrics.frt_p90_seconds).toBeCloseTo(r.played.frt_p90_seconds!, 2);
}

/** ClickHouse's quantileExactInclusive: linear interpolation between the closest ranks (numpy's default). */
function quantileInclusive(values: number[], level: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * level;
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]!) - s[lo]!);
}
