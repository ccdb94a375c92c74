/** Relay of every message kind, albums, replies and edits, both ways. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../sandbox/index.js';
import { startHarness, SUPPORT, topicOf, type Harness } from './harness.js';

let h: Harness;
let thread: number;
const C = 2001;
const AGENT = 500_002;

beforeAll(async () => {
  h = await startHarness();
  await h.client.sendCustomerMessage(C, { text: 'hello', first_name: 'Boris' });
  thread = await topicOf(h.client, C, h.db);
  await h.client.waitForChatMessage(SUPPORT, 'hello', { threadId: thread });
});
afterAll(async () => h?.close());

const inTopic = async (pred: (m: MessageView) => boolean) => h.client.waitForChatMessage(SUPPORT, pred, { threadId: thread });

describe('customer → topic', () => {
  const kinds: Array<[string, Record<string, unknown>]> = [
    ['photo', { photo: {}, caption: 'screenshot' }],
    ['document', { document: { file_name: 'invoice.pdf', mime_type: 'application/pdf' }, caption: 'invoice' }],
    ['voice', { voice: { duration: 3 } }],
    ['video', { video: { duration: 5 } }],
    ['video_note', { video_note: { length: 240, duration: 4 } }],
    ['sticker', { sticker: { emoji: '👍' } }],
    ['animation', { animation: { duration: 2 } }],
    ['location', { location: { latitude: 52.52, longitude: 13.405 } }],
    ['venue', { venue: { latitude: 52.52, longitude: 13.405, title: 'Office', address: 'Main st 1' } }],
    ['contact', { contact: { phone_number: '+491234', first_name: 'Boris' } }],
    ['audio', { audio: { duration: 100, title: 'call recording' } }],
  ];
  for (const [kind, input] of kinds) {
    it(`relays ${kind}`, async () => {
      const sent = await h.client.sendCustomerMessage(C, input);
      const copy = await h.client.waitFor(async () => {
        const r = await h.db.query<{ target_message_id: number }>(
          'SELECT target_message_id FROM message_pairs WHERE source_chat_id = $1 AND source_message_id = $2',
          [C, sent.message_id],
        );
        return r.rows[0]?.target_message_id;
      });
      const m = await inTopic((x) => x.message_id === copy);
      expect(m.media).toBe(kind);
      if (input.caption) expect(m.caption).toBe(input.caption);
    });
  }

  it('relays an album as one media group, in order', async () => {
    const ids: number[] = [];
    for (const caption of ['a1', 'a2', 'a3']) ids.push((await h.client.sendCustomerMessage(C, { photo: {}, caption, media_group_id: 'alb-1' })).message_id);
    await h.client.sendCustomerMessage(C, { text: 'after the album' });
    const after = await inTopic((m) => m.text === 'after the album');
    const msgs = await h.client.getChatMessages(SUPPORT, { threadId: thread });
    const album = msgs.filter((m) => ['a1', 'a2', 'a3'].includes(m.caption ?? ''));
    expect(album.map((m) => m.caption)).toEqual(['a1', 'a2', 'a3']);
    expect(new Set(album.map((m) => m.media_group_id)).size).toBe(1);
    expect(album[0]!.media_group_id).toBeTruthy();
    expect(Math.max(...album.map((m) => m.message_id))).toBeLessThan(after.message_id);
  });

  it('an edit updates the copy (text and caption)', async () => {
    const t = await h.client.sendCustomerMessage(C, { text: 'typo here' });
    const p = await h.client.sendCustomerMessage(C, { photo: {}, caption: 'old caption' });
    await inTopic((m) => m.caption === 'old caption');
    await h.client.editCustomerMessage(C, t.message_id, { text: 'fixed here' });
    await h.client.editCustomerMessage(C, p.message_id, { caption: 'new caption' });
    const edited = await inTopic((m) => m.text === 'fixed here' && m.edited);
    expect(edited.edited).toBe(true);
    await inTopic((m) => m.caption === 'new caption' && m.edited);
  });
});

describe('topic → customer', () => {
  it('relays agent media and albums to the customer', async () => {
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, document: { file_name: 'guide.pdf' }, caption: 'guide' });
    await h.client.waitForCustomerMessage(C, (m) => m.media === 'document' && m.caption === 'guide');
    for (const caption of ['b1', 'b2']) await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, photo: {}, caption, media_group_id: 'alb-2' });
    await h.client.waitForCustomerMessage(C, (m) => m.caption === 'b2');
    const album = (await h.client.getCustomerMessages(C)).filter((m) => m.caption === 'b1' || m.caption === 'b2');
    expect(album.map((m) => m.caption)).toEqual(['b1', 'b2']);
    expect(album[0]!.media_group_id).toBe(album[1]!.media_group_id);
  });

  it('keeps reply threading both ways', async () => {
    const q = await h.client.sendCustomerMessage(C, { text: 'question to quote' });
    const qCopy = await inTopic((m) => m.text === 'question to quote');
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: 'answer to your quote', reply_to_message_id: qCopy.message_id });
    const answer = await h.client.waitForCustomerMessage(C, 'answer to your quote');
    expect(answer.reply_to).toBe(q.message_id);
    await h.client.sendCustomerMessage(C, { text: 'thanks for that', reply_to_message_id: answer.message_id });
    const agentMsg = (await h.client.getChatMessages(SUPPORT, { threadId: thread })).find((m) => m.text === 'answer to your quote')!;
    const thanks = await inTopic((m) => m.text === 'thanks for that');
    expect(thanks.reply_to).toBe(agentMsg.message_id);
  });

  it('an agent edit updates the customer copy', async () => {
    const sent = await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: 'price is 10' });
    await h.client.waitForCustomerMessage(C, 'price is 10');
    await h.client.editSupportMessage(sent.message_id, { text: 'price is 12' });
    const m = await h.client.waitForCustomerMessage(C, (x) => x.text === 'price is 12' && x.edited);
    expect(m.edited).toBe(true);
  });

  it('records message_in per customer message (kind and length, never text) and message_out per agent message', async () => {
    const events = await h.settle();
    const ins = events.filter((e) => e.type === 'message_in');
    expect(ins.length).toBeGreaterThanOrEqual(17);
    expect(ins.find((e) => e.type === 'message_in' && e.message_kind === 'venue')).toBeTruthy();
    expect(JSON.stringify(events)).not.toContain('question to quote');
    const outs = events.filter((e) => e.type === 'message_out');
    expect(outs.filter((e) => e.type === 'message_out' && e.is_first_response)).toHaveLength(1);
    expect(outs.length).toBe(5);
  });
});
