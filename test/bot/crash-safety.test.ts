/**
 * Exactly once across crashes (issue 18, item 6), in process: updates are
 * confirmed to Telegram only once processed and the last processed id is
 * persisted (bot/telegram/polling.ts); an update up to it is skipped on start;
 * a crash between a relay's copy and its record (bot/store/message-pairs.ts
 * claim/save) does not make the redelivered update copy again. The hard
 * crashes (SIGKILL) are test/bot/chaos.test.ts.
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
      c.on(['message:text'], async (ctx, next) => {
        captured.set(ctx.msg.text, ctx.update);
        const gate = gates.get(ctx.msg.text);
        if (gate) {
          gate.entered();
          await gate.release;
        }
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

describe('copy, then record', () => {
  it('a crash between the copy and its record: the redelivered update is not copied again', async () => {
    // A fresh desk (the previous test stopped the harness's).
    await h.restart();
    const customer = 18_004;
    const thread = await openTicket(customer);
    const pairs = h.desk.services.pairs;
    const save = pairs.save.bind(pairs);
    let crashes = 0;
    pairs.save = async (rows: readonly MessagePair[], q?: Parameters<typeof save>[1]) => {
      if (rows.some((r) => r.source_chat_id === customer) && crashes++ === 0) throw new Error('crash between copy and record (test)');
      return save(rows, q);
    };
    await h.client.sendCustomerMessage(customer, 'copied once');
    await h.client.waitForChatMessage(SUPPORT, 'copied once', { threadId: thread, from: 'any' });
    await h.client.waitForIdle();
    expect(crashes).toBe(1);
    // Telegram redelivers it (the process died before confirming it).
    await h.desk.bot.handleUpdate(captured.get('copied once')!);
    await h.desk.services.relay.idle();
    expect(await inTopic(thread, 'copied once')).toBe(1);

    // The agent's side: the same for a reply to the customer.
    crashes = 0;
    pairs.save = async (rows: readonly MessagePair[], q?: Parameters<typeof save>[1]) => {
      if (rows.some((r) => r.target_chat_id === customer) && crashes++ === 0) throw new Error('crash between copy and record (test)');
      return save(rows, q);
    };
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: 'answered once' });
    await h.client.waitForCustomerMessage(customer, 'answered once');
    await h.client.waitForIdle();
    expect(crashes).toBe(1);
    await h.desk.bot.handleUpdate(captured.get('answered once')!);
    await h.desk.services.relay.idle();
    expect((await h.client.getCustomerMessages(customer)).filter((m) => m.from === 'bot' && m.text === 'answered once')).toHaveLength(1);

    // Only the two cut-off relays keep a claim without a pair (a failed copy gives its claim back:
    // topic-unavailable.test.ts delivers such messages later).
    pairs.save = save;
    const claims = await h.db.query(
      'SELECT 1 FROM relay_inflight r WHERE NOT EXISTS (SELECT 1 FROM message_pairs p WHERE p.source_chat_id = r.source_chat_id AND p.source_message_id = r.source_message_id)',
    );
    expect(claims.rows).toHaveLength(2);
  }, 60_000);
});
