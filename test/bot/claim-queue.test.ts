/**
 * A relay's claim is not held while its copy waits its turn in the throttler (bot/telegram/attempts.ts): a
 * crash during that wait leaves no claim, so the next start copies the message once, not "again, flagged".
 * The support group's limit is lowered to 6 a minute here (the throttler spaces its calls 3.3 s apart), so a
 * follow-up sent right after a copy waits about 3 s for its turn: longer than QUEUE_PATIENCE_MS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_PATIENCE_MS } from '../../bot/telegram/attempts.js';
import { startHarness, SUPPORT, topicOf, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { THROTTLE: '1', THROTTLE_GROUP_PER_MINUTE: '6' } });
});
afterAll(async () => h?.close());

const CUSTOMER = 18_200;
const claimsOf = async (messageIds: readonly number[]) =>
  (
    await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM relay_inflight WHERE source_chat_id = $1 AND source_message_id = ANY($2::int[])', [
      CUSTOMER,
      messageIds,
    ])
  ).rows[0]!.n;

describe('a copy waiting in the throttler', () => {
  it('gives its claim back while it waits and takes it again right before the request; copied once', async () => {
    await h.client.sendCustomerMessage(CUSTOMER, { text: 'hello', first_name: 'Quinn' });
    await h.client.waitForCustomerMessage(CUSTOMER, /What is your question about/, { timeoutMs: 30_000 });
    const thread = await topicOf(h.client, CUSTOMER, h.db);
    await h.client.waitForChatMessage(SUPPORT, 'hello', { threadId: thread, from: 'any', timeoutMs: 30_000 });

    const pairs = h.desk.services.pairs;
    const claim = pairs.claim.bind(pairs);
    const release = pairs.release.bind(pairs);
    // Every claim change of this customer's messages, with what relay_inflight held right after it.
    const changes: Array<{ what: 'claim' | 'release'; ids: readonly number[]; at: number; inflight: number }> = [];
    pairs.claim = async (chatId, ids) => {
      const got = await claim(chatId, ids);
      if (chatId === CUSTOMER) changes.push({ what: 'claim', ids, at: Date.now(), inflight: await claimsOf(ids) });
      return got;
    };
    pairs.release = async (chatId, ids, orphaned) => {
      await release(chatId, ids, orphaned);
      if (chatId === CUSTOMER) changes.push({ what: 'release', ids, at: Date.now(), inflight: await claimsOf(ids) });
    };
    let followUp = 0;
    try {
      // Right after the group's last call (the copy of "hello"): this copy waits ~3 s for its turn.
      const sent = await h.client.sendCustomerMessage(CUSTOMER, 'sent while the group is throttled');
      followUp = sent.message_id;
      const copy = await h.client.waitForChatMessage(SUPPORT, 'sent while the group is throttled', { threadId: thread, from: 'any', timeoutMs: 30_000 });
      await h.client.waitFor(async () => (await claimsOf([followUp])) === 0);
      const calls = changes.filter((c) => c.ids.includes(followUp));

      // Claimed, given back while waiting (nothing held: a crash now leaves nothing to flag), claimed again for the request.
      expect(calls.map((c) => c.what)).toEqual(['claim', 'release', 'claim']);
      expect(calls.map((c) => c.inflight)).toEqual([1, 0, 1]);
      expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(QUEUE_PATIENCE_MS - 50);
      // The claim was taken again only when its turn came, right before the copy the sandbox recorded.
      expect(copy.date * 1000).toBeGreaterThanOrEqual(Math.floor(calls[2]!.at / 1000) * 1000);
    } finally {
      pairs.claim = claim;
      pairs.release = release;
    }
    const copies = (await h.client.getChatMessages(SUPPORT, { threadId: thread })).filter((m) => m.text === 'sent while the group is throttled');
    expect(copies).toHaveLength(1);
    const pairRows = await h.db.query('SELECT 1 FROM message_pairs WHERE source_chat_id = $1 AND source_message_id = $2', [CUSTOMER, followUp]);
    expect(pairRows.rows).toHaveLength(1);
  }, 90_000);
});
