/**
 * Not in the default suite yet: it still finds a lost customer message in some runs (see bot/README "Still
 * open"); run it with `npx vitest run --config bench/bot/chaos.config.ts`.
 *
 * Chaos (issue 18, item 6): `npm run bot` (bot/main.ts: PGlite and the
 * embedded bus in a tmp DATA_DIR, the sandbox of this process as Telegram) is
 * killed with SIGKILL at seeded random points while customers write, and
 * started again each time. Afterwards: every customer message reached its topic
 * exactly once, every customer got their receipt, every agent reply reached the
 * customer exactly once, and the outbox holds each ticket's events once (one
 * ticket_opened, one message_in per customer message, one message_out per
 * reply). No timed assertion: the waits only bound how long a step may take.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../core/postgres.js';
import { freePort } from '../../scripts/alerting-stack.js';
import { SandboxClient } from '../../sandbox/client.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import { Rng } from '../../simulator/random.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SEED = Number(process.env.CHAOS_SEED ?? 18_006);
const CUSTOMERS = 6;
const MESSAGES = 4;
const KILLS = Number(process.env.CHAOS_KILLS ?? 4);
const AGENT = 500_066;
const tmp = tmpDataDir('desk-chaos-');
let sandbox: RunningSandbox;
let client: SandboxClient;
let support: number;
let child: { proc: ChildProcess; output: string[] } | undefined;
let port: number;
/** Every desk's last output lines, for the message of a failure. */
const logs: string[][] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  client = new SandboxClient(sandbox.url);
  support = sandbox.world.chatIds.support;
  port = await freePort();
});
afterAll(async () => {
  if (child && child.proc.exitCode === null) child.proc.kill('SIGKILL');
  await sandbox?.close();
  tmp.cleanup();
});

/** npm run bot as its own process; the features as the core tests run them (no KB answer, no spam holds). */
function launch(): { proc: ChildProcess; output: string[] } {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: tmp.dir,
      LOG_LEVEL: 'error',
      TELEGRAM_API_ROOT: sandbox.apiRoot,
      PORT: String(port),
      THROTTLE: '0',
      EXPERIMENTS_DIR: join(tmp.dir, 'experiments'),
      KB_AUTO_ANSWER: '0',
      SPAM_NEWCOMER_MESSAGES: '0',
      SPAM_NEWCOMER_AGE: '0',
      SPAM_RATE_LIMIT: '100000',
      SPAM_DUPLICATE_WINDOW: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  logs.push(output);
  const keep = (b: Buffer) => {
    output.push(b.toString());
    if (output.length > 100) output.shift();
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  return { proc, output };
}

const polls = async () => (await client.getStats()).calls.getUpdates ?? 0;

/** Until the desk polls (a kill before that would only test the start-up, not the desk). */
async function up(c: { proc: ChildProcess; output: string[] }, before: number): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (c.proc.exitCode !== null) throw new Error(`bot exited with ${c.proc.exitCode}:\n${c.output.join('')}`);
    if ((await polls()) > before) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`bot did not come up:\n${c.output.join('')}`);
}

const exited = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));
const wait = { timeoutMs: 90_000, intervalMs: 50 };
const text = (c: number, k: number) => `chaos ${c} message ${k}`;
const reply = (c: number) => `chaos answer for ${c}`;

/** One customer: opens a ticket (category Account), then writes MESSAGES more; an agent answers once. */
async function customer(c: number, rng: Rng): Promise<void> {
  const pause = () => new Promise((r) => setTimeout(r, rng.int(0, 400)));
  await client.sendCustomerMessage(c, { text: text(c, 0), first_name: `Chaos${c}`, language_code: 'en' });
  await client.waitForCustomerMessage(c, /What is your question about/, wait);
  await client.pressCustomerButton(c, 'Account');
  await client.waitForCustomerMessage(c, /We usually answer within/, wait);
  for (let k = 1; k <= MESSAGES; k++) {
    await pause();
    await client.sendCustomerMessage(c, text(c, k));
  }
  const thread = await client.waitFor(async () => (await client.getTopics()).find((t) => !t.deleted && t.name.includes(`Chaos${c}`))?.thread_id, {
    ...wait,
    what: `the topic of ${c}`,
  });
  await client.waitForChatMessage(support, text(c, 0), { ...wait, threadId: thread, from: 'any' });
  await client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: reply(c) });
}

describe('SIGKILL at random points', () => {
  it('every message once in its topic, every receipt and reply delivered, every event once in the outbox', async () => {
    const rng = new Rng(SEED);
    const ids = Array.from({ length: CUSTOMERS }, (_, i) => 18_600 + i);
    child = launch();
    await up(child, await polls());
    const traffic = Promise.all(ids.map((c, i) => customer(c, new Rng(SEED + i))));
    let trafficDone = false;
    void traffic.then(
      () => (trafficDone = true),
      () => (trafficDone = true),
    );
    // Every kill happens, whether the customers are done or not (a kill after them still tests the restart).
    let kills = 0;
    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, rng.int(100, 1500)));
      child.proc.kill('SIGKILL');
      await exited(child.proc);
      kills++;
      if (process.env.CHAOS_TRACE) console.log(`kill ${kills} at ${new Date().toISOString()}`);
      const before = await polls();
      child = launch();
      await up(child, before);
    }
    await traffic.catch(async (e: unknown) => {
      if (child?.proc.exitCode === null) child.proc.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 500));
      const db = await openDatabase({ DATA_DIR: tmp.dir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 });
      for (const q of [
        'SELECT * FROM update_cursor',
        'SELECT * FROM relay_inflight',
        'SELECT id, customer_id, status, intake_state, opening_message_id, card_message_id, customer_messages FROM tickets',
        'SELECT source_chat_id, source_message_id FROM message_pairs',
      ])
        console.log(q, JSON.stringify((await db.query(q)).rows));
      console.log(JSON.stringify(await client.getStats()));
      throw new Error(`${String(e)}\n${logs.map((l, i) => `--- desk ${i}\n${l.join('')}`).join('\n')}`);
    });
    expect({ kills, trafficDone }).toEqual({ kills: KILLS, trafficDone: true });

    // Everything the customers and the agent sent is in; let the last desk finish, then stop it politely.
    for (const c of ids) {
      const thread = (await client.getTopics()).find((t) => !t.deleted && t.name.includes(`Chaos${c}`))!.thread_id;
      for (let k = 0; k <= MESSAGES; k++) await client.waitForChatMessage(support, text(c, k), { ...wait, threadId: thread, from: 'any' });
      await client.waitForCustomerMessage(c, reply(c), wait);
    }
    await client.waitForIdle(wait);
    child.proc.kill('SIGTERM');
    await exited(child.proc);

    for (const c of ids) {
      const thread = (await client.getTopics()).find((t) => !t.deleted && t.name.includes(`Chaos${c}`))!.thread_id;
      const inTopic = (await client.getChatMessages(support, { threadId: thread })).map((m) => m.text);
      for (let k = 0; k <= MESSAGES; k++)
        expect(
          inTopic.filter((t) => t === text(c, k)),
          `${text(c, k)} in the topic`,
        ).toHaveLength(1);
      const atCustomer = await client.getCustomerMessages(c);
      expect(atCustomer.filter((m) => m.from === 'bot' && /We usually answer within/.test(m.text ?? '')).length, `receipts of ${c}`).toBeGreaterThanOrEqual(1);
      expect(
        atCustomer.filter((m) => m.from === 'bot' && m.text === reply(c)),
        `the reply to ${c}`,
      ).toHaveLength(1);
    }

    const db = await openDatabase({ DATA_DIR: tmp.dir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 });
    try {
      const counts = (
        await db.query<{ type: string; ticket: string; n: number }>(
          `SELECT payload->>'type' AS type, payload->>'ticket_id' AS ticket, count(*)::int AS n FROM outbox
           WHERE payload->>'type' IN ('ticket_opened', 'message_in', 'message_out') GROUP BY 1, 2`,
        )
      ).rows;
      const tickets = new Set(counts.map((r) => r.ticket));
      expect(tickets.size).toBe(CUSTOMERS);
      for (const t of tickets) {
        const n = (type: string) => counts.find((r) => r.ticket === t && r.type === type)?.n ?? 0;
        expect({ ticket: t, opened: n('ticket_opened'), in: n('message_in'), out: n('message_out') }).toEqual({
          ticket: t,
          opened: 1,
          in: MESSAGES + 1,
          out: 1,
        });
      }
      // Each event once by its id, too.
      const doubled = await db.query(`SELECT payload->>'event_id' FROM outbox GROUP BY 1 HAVING count(*) > 1`);
      expect(doubled.rows).toEqual([]);
      expect((await db.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0]).toEqual({ n: 0 });
    } finally {
      await db.close();
    }
  }, 150_000);
});
