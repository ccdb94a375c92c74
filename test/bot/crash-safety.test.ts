/**
 * Exactly once across crashes (issue 18, item 6), in process: updates are
 * confirmed to Telegram only once processed and the last processed id is
 * persisted (bot/telegram/polling.ts); an update up to it is skipped on start;
 * a crash between a relay's copy and its record (bot/store/message-pairs.ts
 * claim/save) leaves a claim that the next start marks orphaned: the
 * redelivered update is copied again (at least once) and flagged by a note in
 * the topic, its event still recorded once. The hard crashes (SIGKILL) are
 * test/bot/chaos.test.ts.
 *
 * Each window is closed where a crash can fall (a throw injected at the exact point stands for it, then
 * Telegram's redelivery of the unconfirmed update is replayed, after a restart where the crash stands for a
 * killed process): a follow-up's message_in is keyed by its message (relay_event_keys, migration 185),
 * recorded once however often it arrives; an agent reply's pair and message_out are one transaction, and a
 * reply copied again after a restart (flagged) gets its one event; an album's
 * parts stay unconfirmed until the album's gathered copy is recorded.
 */
import { Api, Composer } from 'grammy';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesk } from '../../bot/app.js';
import type { BotContext } from '../../bot/context.js';
import type { MessagePair } from '../../bot/store/message-pairs.js';
import { noFeatures, startHarness, SUPPORT, topicOf, type Harness } from './harness.js';

let h: Harness;
const AGENT = 500_018;
/** Updates the test holds (text → gate) and captures (text → update). */
const gates = new Map<string, { entered: () => void; release: Promise<void> }>();
const captured = new Map<string, Update>();

beforeAll(async () => {
  h = await startHarness({
    composers: () => {
      const c = new Composer<BotContext>();
      c.on('message', async (ctx, next) => {
        const key = ctx.msg.text ?? ctx.msg.caption ?? '';
        captured.set(key, ctx.update);
        const gate = gates.get(key);
        if (gate) {
          gate.entered();
          await gate.release;
        }
        // Handled in 5 ms, and nothing more (the polling test below paces these).
        if (key.startsWith('paced ')) return void (await new Promise((r) => setTimeout(r, 5)));
        await next();
      });
      return [c];
    },
  });
});
afterAll(async () => h?.close());

const cursor = async () => (await h.db.query<{ last_update_id: number }>('SELECT last_update_id FROM update_cursor')).rows[0]?.last_update_id;
const pending = async () => (await h.client.getStats()).updates.pending;
const inTopic = async (thread: number, text: string) =>
  (await h.client.getChatMessages(SUPPORT, { threadId: thread })).filter((m) => m.text === text && m.from !== 'agent').length;

async function openTicket(customer: number): Promise<number> {
  await h.client.sendCustomerMessage(customer, { text: `hello from ${customer}`, first_name: `Crash${customer}` });
  await h.client.waitForCustomerMessage(customer, /What is your question about/);
  await h.client.sendCustomerMessage(customer, `details of ${customer}`);
  const thread = await topicOf(h.client, customer, h.db);
  await h.client.waitForChatMessage(SUPPORT, `details of ${customer}`, { threadId: thread, from: 'any' });
  return thread;
}

describe('long polling confirms only what was processed', () => {
  it('an update in flight stays unconfirmed (and later ones with it) until it is done; the cursor follows', async () => {
    const slow = 18_001;
    const quick = 18_002;
    await openTicket(slow);
    const quickThread = await openTicket(quick);
    await h.client.waitForIdle();
    const before = await cursor();
    expect(before).toBeGreaterThan(0);

    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    gates.set('hold me', { entered: () => entered(), release: new Promise<void>((r) => (release = r)) });
    await h.client.sendCustomerMessage(slow, 'hold me');
    await inside;
    // Another customer is served meanwhile (per-chat order only)…
    await h.client.sendCustomerMessage(quick, 'served meanwhile');
    await h.client.waitForChatMessage(SUPPORT, 'served meanwhile', { threadId: quickThread, from: 'any' });
    // …but neither is confirmed to Telegram nor past the persisted cursor while the first is in flight.
    expect(await pending()).toBe(2);
    expect(await cursor()).toBe(before);

    release();
    await h.client.waitForIdle();
    expect(await cursor()).toBe(captured.get('served meanwhile')!.update_id);
  }, 60_000);

  it('at a steady pace one getUpdates fetches each update: the fetch after it waits for it instead of getting it straight back, unconfirmed', async () => {
    await h.client.waitForIdle();
    const calls = async () => (await h.client.getStats()).calls.getUpdates ?? 0;
    const before = await calls();
    const n = 20;
    for (let i = 0; i < n; i++) {
      await h.client.sendCustomerMessage(18_009, `paced ${i}`);
      await h.client.waitForIdle();
    }
    // Without the wait every update cost two: the one that brought it, and one that brought it back while in flight.
    const used = (await calls()) - before;
    expect(used).toBeLessThanOrEqual(n * 1.5);
    expect(used).toBeGreaterThanOrEqual(n);
  }, 60_000);

  it('on start, an update up to the persisted cursor (processed, not confirmed) is skipped', async () => {
    const customer = 18_003;
    const thread = await openTicket(customer);
    await h.settle();
    await h.desk.stop();
    // Delivered while the desk is down, then "processed but not confirmed": the cursor names it.
    await h.client.sendCustomerMessage(customer, 'handled before the crash');
    const api = new Api(h.config.token, { apiRoot: h.sandbox.apiRoot });
    const queued = (await api.getUpdates({ timeout: 0 })).find((u) => u.message?.text === 'handled before the crash')!;
    await h.db.query('UPDATE update_cursor SET last_update_id = $1', [queued.update_id]);

    const desk = await createDesk({ db: h.db, bus: h.bus, config: h.config, apiRoot: h.sandbox.apiRoot, features: noFeatures() });
    await desk.start();
    try {
      await h.client.sendCustomerMessage(customer, 'after the restart');
      await h.client.waitForChatMessage(SUPPORT, 'after the restart', { threadId: thread, from: 'any' });
      await h.client.waitForIdle();
      expect(await inTopic(thread, 'handled before the crash')).toBe(0);
      expect(await inTopic(thread, 'after the restart')).toBe(1);
    } finally {
      await desk.stop();
    }
  }, 60_000);
});

const events = async (ticket: number, type: string) =>
  (await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'type' = $1 AND payload->>'ticket_id' = $2`, [type, String(ticket)]))
    .rows[0]!.n;
const ticketOf = async (customer: number) =>
  (await h.db.query<{ id: number }>('SELECT id FROM tickets WHERE customer_id = $1 ORDER BY id DESC LIMIT 1', [customer])).rows[0]!.id;
const atCustomer = async (customer: number, text: string) =>
  (await h.client.getCustomerMessages(customer)).filter((m) => m.from === 'bot' && m.text === text).length;
const RESENT = '↻ Sent again after a restart of the desk: the message above may appear twice.';
const RESENT_REPLY = '↻ The reply above was sent again after a restart; the customer may see it twice.';
/** The notes flagging a re-copy in the topic, each with the message it answers (the copy, or the agent's reply). */
const notes = async (thread: number, text: string) =>
  (await h.client.getChatMessages(SUPPORT, { threadId: thread })).filter((m) => m.from === 'bot' && m.text === text).map((m) => m.reply_to);
/** Telegram redelivers an update the crashed process never confirmed; the relay's queue then runs out. */
async function redeliver(text: string): Promise<void> {
  await h.desk.bot.handleUpdate(captured.get(text)!);
  await h.desk.services.relay.idle();
}
class Crash extends Error {
  constructor(where: string) {
    super(`crash ${where} (test)`);
  }
}

describe('copy, then record', () => {
  it("a crash between a follow-up's message_in and its copy: the redelivery copies it once and records message_in once", async () => {
    // A fresh desk (the previous test stopped the harness's).
    await h.restart();
    const customer = 18_005;
    const thread = await openTicket(customer);
    await h.settle();
    const ticket = await ticketOf(customer);
    const before = await events(ticket, 'message_in');
    const relay = h.desk.services.relay;
    const toTopic = relay.toTopic.bind(relay);
    let crashes = 0;
    // message_in is in the outbox; the process dies before the relay claims (and copies) the message.
    relay.toTopic = async (...a: Parameters<typeof toTopic>) => {
      if (a[0] === customer && crashes++ === 0) throw new Crash('after message_in, before the copy');
      return toTopic(...a);
    };
    try {
      await h.client.sendCustomerMessage(customer, 'recorded, not yet copied');
      await h.client.waitForIdle();
      await relay.idle();
      expect(crashes).toBe(1);
      expect(await inTopic(thread, 'recorded, not yet copied')).toBe(0);
      expect(await events(ticket, 'message_in')).toBe(before + 1);
      await redeliver('recorded, not yet copied');
      await redeliver('recorded, not yet copied');
    } finally {
      relay.toTopic = toTopic;
    }
    expect(await inTopic(thread, 'recorded, not yet copied')).toBe(1);
    expect(await events(ticket, 'message_in')).toBe(before + 1);
    expect((await h.desk.services.tickets.get(ticket))!.customer_messages).toBe(2 + 1);
  }, 60_000);

  it("a crash between a follow-up's copy and its record: after a restart the redelivery copies it again, flagged, and records message_in once", async () => {
    const customer = 18_004;
    const thread = await openTicket(customer);
    await h.settle();
    const ticket = await ticketOf(customer);
    const before = await events(ticket, 'message_in');
    const pairs = h.desk.services.pairs;
    const save = pairs.save.bind(pairs);
    let crashes = 0;
    pairs.save = async (rows: readonly MessagePair[], q?: Parameters<typeof save>[1]) => {
      if (rows.some((r) => r.source_chat_id === customer) && crashes++ === 0) throw new Crash('between copy and record');
      return save(rows, q);
    };
    try {
      await h.client.sendCustomerMessage(customer, 'copied once');
      await h.client.waitForChatMessage(SUPPORT, 'copied once', { threadId: thread, from: 'any' });
      await h.client.waitForIdle();
      expect(crashes).toBe(1);
      // Redelivered to the same process: its claim is a live one (a copy under way), not copied again.
      await redeliver('copied once');
      expect(await inTopic(thread, 'copied once')).toBe(1);
    } finally {
      pairs.save = save;
    }
    // The process "died": the next start marks the claim orphaned, and Telegram redelivers the update.
    await h.restart();
    expect((await h.db.query<{ orphaned: boolean }>('SELECT orphaned FROM relay_inflight WHERE source_chat_id = $1', [customer])).rows).toEqual([
      { orphaned: true },
    ]);
    await redeliver('copied once');
    await redeliver('copied once');
    const copies = (await h.client.getChatMessages(SUPPORT, { threadId: thread })).filter((m) => m.text === 'copied once' && m.from !== 'agent');
    expect(copies).toHaveLength(2);
    // The re-copy is flagged: a note answering it, once.
    expect(await notes(thread, RESENT)).toEqual([copies[1]!.message_id]);
    expect(await events(ticket, 'message_in')).toBe(before + 1);
    expect((await h.db.query('SELECT 1 FROM relay_inflight WHERE source_chat_id = $1', [customer])).rows).toHaveLength(0);
  }, 60_000);

  it('an agent reply: its pair and message_out are one transaction; a crash before it or inside it re-sends the reply after a restart, flagged in the topic, and records it once', async () => {
    const customer = 18_006;
    const thread = await openTicket(customer);
    await h.settle();
    const ticket = await ticketOf(customer);
    let tickets = h.desk.services.tickets;
    const record = tickets.recordAgentReply.bind(tickets);

    // 1. Copied, then the process dies before the record: no pair, no event, the claim stays; after the restart
    //    the redelivery copies it again (the customer may see it twice), a note under the agent's reply tells the
    //    agents, and message_out is recorded once.
    let crashes = 0;
    tickets.recordAgentReply = async (...a: Parameters<typeof record>) => {
      if (a[0] === ticket && crashes++ === 0) throw new Crash('after the copy, before its record');
      return record(...a);
    };
    try {
      await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: 'answered once' });
      await h.client.waitForCustomerMessage(customer, 'answered once');
      await h.client.waitForIdle();
      await h.desk.services.relay.idle();
      expect(crashes).toBe(1);
      expect(await events(ticket, 'message_out')).toBe(0);
    } finally {
      tickets.recordAgentReply = record;
    }
    await h.restart();
    await redeliver('answered once');
    await redeliver('answered once');
    expect(await atCustomer(customer, 'answered once')).toBe(2);
    expect(await notes(thread, RESENT_REPLY)).toEqual([captured.get('answered once')!.message!.message_id]);
    expect(await events(ticket, 'message_out')).toBe(1);
    expect((await h.client.getCustomerMessages(customer)).filter((m) => m.text === RESENT || m.text === RESENT_REPLY)).toHaveLength(0);

    // 2. The process dies inside the transaction, after the pair was written and before the event: it rolls
    //    back whole — no pair without its event. Redelivered to the same process, the reply gets its event (its
    //    claim is live: not copied); after a restart it is copied again, flagged, and the event stays one.
    tickets = h.desk.services.tickets;
    const outbox = h.desk.services.outbox;
    const append = outbox.appendForTicket.bind(outbox);
    crashes = 0;
    outbox.appendForTicket = async (tx, t, inputs) => {
      if (t.id === ticket && inputs.some((e) => e.type === 'message_out') && crashes++ === 0) throw new Crash('inside the record');
      return append(tx, t, inputs);
    };
    try {
      await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: 'answered twice?' });
      await h.client.waitForCustomerMessage(customer, 'answered twice?');
      await h.client.waitForIdle();
      await h.desk.services.relay.idle();
      expect(crashes).toBe(1);
      const id = captured.get('answered twice?')!.message!.message_id;
      expect((await h.db.query('SELECT 1 FROM message_pairs WHERE source_chat_id = $1 AND source_message_id = $2', [SUPPORT, id])).rows).toHaveLength(0);
      expect(await events(ticket, 'message_out')).toBe(1);
      await redeliver('answered twice?');
      await redeliver('answered twice?');
    } finally {
      outbox.appendForTicket = append;
    }
    expect(await atCustomer(customer, 'answered twice?')).toBe(1);
    expect(await events(ticket, 'message_out')).toBe(2);
    expect((await tickets.get(ticket))!.agent_replies).toBe(2);
    await h.restart();
    await redeliver('answered twice?');
    await redeliver('answered twice?');
    expect(await atCustomer(customer, 'answered twice?')).toBe(2);
    expect(await notes(thread, RESENT_REPLY)).toEqual([
      captured.get('answered once')!.message!.message_id,
      captured.get('answered twice?')!.message!.message_id,
    ]);
    expect(await events(ticket, 'message_out')).toBe(2);
    expect((await h.desk.services.tickets.get(ticket))!.agent_replies).toBe(2);

    // 3. Redelivered after its record: nothing at all.
    await redeliver('answered once');
    expect(await atCustomer(customer, 'answered once')).toBe(2);
    expect(await events(ticket, 'message_out')).toBe(2);
  }, 60_000);
});

describe('a claim held only while a copy may be under way (bot/telegram/attempts.ts)', () => {
  it('auto-retry waiting out a 429 gives the claim back and takes it again for the next attempt', async () => {
    const customer = 18_008;
    const thread = await openTicket(customer);
    await h.settle();
    const pairs = h.desk.services.pairs;
    const claim = pairs.claim.bind(pairs);
    const release = pairs.release.bind(pairs);
    const calls: string[] = [];
    let waiting: Promise<number> | undefined;
    pairs.claim = async (chatId, ids) => {
      if (chatId === customer) calls.push(`claim ${ids.join()}`);
      return claim(chatId, ids);
    };
    pairs.release = async (chatId, ids) => {
      await release(chatId, ids);
      if (chatId !== customer) return;
      calls.push(`release ${ids.join()}`);
      // Right after the failed attempt, while auto-retry waits out retry_after: a crash now leaves no claim.
      waiting ??= h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM relay_inflight WHERE source_chat_id = $1', [customer]).then((r) => r.rows[0]!.n);
    };
    await h.client.injectFault({ method: 'copyMessage', count: 1, error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    try {
      const sent = await h.client.sendCustomerMessage(customer, 'copied after a flood wait');
      await h.client.waitForChatMessage(SUPPORT, 'copied after a flood wait', { threadId: thread, from: 'any' });
      await h.client.waitForIdle();
      await h.desk.services.relay.idle();
      const id = sent.message_id;
      expect(calls).toEqual([`claim ${id}`, `release ${id}`, `claim ${id}`]);
      expect(await waiting).toBe(0);
    } finally {
      pairs.claim = claim;
      pairs.release = release;
      await h.client.clearFaults();
    }
    expect(await inTopic(thread, 'copied after a flood wait')).toBe(1);
    expect((await h.db.query('SELECT 1 FROM relay_inflight WHERE source_chat_id = $1', [customer])).rows).toHaveLength(0);
  }, 60_000);
});

describe('albums', () => {
  it("the cursor does not pass an album's updates until its gathered copy is recorded; a redelivery copies it once", async () => {
    const customer = 18_007;
    const thread = await openTicket(customer);
    await h.settle();
    const ticket = await ticketOf(customer);
    const before = await events(ticket, 'message_in');
    const confirmedBefore = await cursor();
    const pairs = h.desk.services.pairs;
    const claim = pairs.claim.bind(pairs);
    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const gate = new Promise<void>((r) => (release = r));
    // The parts' handlers are done (they return at once); the album's copy waits here.
    pairs.claim = async (chatId, ids) => {
      if (chatId === customer && ids.length > 1) {
        entered();
        await gate;
      }
      return claim(chatId, ids);
    };
    const ids: number[] = [];
    try {
      for (const caption of ['p1', 'p2', 'p3'])
        ids.push((await h.client.sendCustomerMessage(customer, { photo: {}, caption, media_group_id: 'crash-album' })).message_id);
      await inside;
      // Had the process died now, Telegram would redeliver all three: none is confirmed, the cursor is where it was.
      expect(await pending()).toBe(3);
      expect(await cursor()).toBe(confirmedBefore);
      expect(await h.client.getChatMessages(SUPPORT, { threadId: thread }).then((m) => m.filter((x) => x.caption?.startsWith('p')).length)).toBe(0);
    } finally {
      release();
      pairs.claim = claim;
    }
    await h.client.waitForIdle();
    await h.desk.services.relay.idle();
    const captions = async () => (await h.client.getChatMessages(SUPPORT, { threadId: thread })).filter((x) => ['p1', 'p2', 'p3'].includes(x.caption ?? ''));
    expect((await captions()).map((m) => m.caption)).toEqual(['p1', 'p2', 'p3']);
    expect(await cursor()).toBeGreaterThan(confirmedBefore!);
    // The parts redelivered (a crash after the copy, before the cursor was written): nothing twice.
    for (const p of ['p1', 'p2', 'p3']) await h.desk.bot.handleUpdate(captured.get(p)!);
    await h.desk.services.relay.idle();
    expect((await captions()).map((m) => m.caption)).toEqual(['p1', 'p2', 'p3']);
    const updates = (
      await h.db.query<{ source_message_id: number }>(
        'SELECT source_message_id FROM message_pairs WHERE source_chat_id = $1 AND source_message_id = ANY($2::int[])',
        [customer, ids],
      )
    ).rows;
    expect(updates).toHaveLength(3);
    expect(await events(ticket, 'message_in')).toBe(before + 3);
  }, 60_000);
});
