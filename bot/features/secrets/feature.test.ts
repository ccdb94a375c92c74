/** Secrets in chats, end to end through the sandbox: a customer's secret masked before the topic, an agent's request for one held. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, SUPPORT, ofCustomer, openTicket, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';

let h: FeatureHarness;
beforeAll(async () => {
  h = await startFeatureHarness({ env: { KB_AUTO_ANSWER: '0', SPAM_NEWCOMER_MESSAGES: '0', SPAM_NEWCOMER_AGE: '0' } });
});
afterAll(async () => h?.close());

const topic = (thread: number) => h.client.getChatMessages(SUPPORT, { threadId: thread });
/** Every text and caption in the topic, edits applied. */
const everywhere = async (thread: number) => (await topic(thread)).map((m) => `${m.text ?? ''}\n${m.caption ?? ''}`).join('\n');

describe('a customer who pastes a secret', () => {
  it('opens a ticket with a card number: the topic gets "•••• 1111" under a 🔒 masked note, never the number; the customer is warned; secret_masked counted', async () => {
    await h.client.sendCustomerMessage(8001, {
      text: 'My card 4111 1111 1111 1111 is saved in my profile, how do I change it',
      first_name: 'Ann',
      language_code: 'en',
    });
    await h.client.waitForCustomerMessage(8001, /Ticket #\d+ created/);
    await h.client.waitForCustomerMessage(8001, /We hid it from the agent/);
    const thread = await h.thread(8001);
    const copy = await h.client.waitForChatMessage(SUPPORT, /🔒 masked/, { threadId: thread });
    expect(copy.text).toContain('My card •••• 1111 is saved in my profile, how do I change it');
    await h.settle();
    expect(await everywhere(thread)).not.toContain('4111 1111');
    const events = (await h.eventsOf('secret_masked')).filter(await ofCustomer(h, 8001));
    expect(events.map((e) => e.reason)).toEqual(['card']);
    expect(events[0]!.ticket_id).toBeGreaterThan(0);
    expect((await h.eventsOf('message_in')).filter(await ofCustomer(h, 8001))).toHaveLength(1);
    // Nothing of the original is stored: message_pairs has ids, no table has the number.
    const pair = await h.db.query('SELECT 1 FROM message_pairs WHERE source_chat_id = 8001 AND target_message_id = $1', [copy.message_id]);
    expect(pair.rows).toHaveLength(1);
  });

  it('in Russian, a code and a password in a follow-up message; an ordinary message next is copied as usual; an edit adding a secret is masked', async () => {
    const { thread } = await openTicket(h, 8002, { name: 'Иван', language: 'ru', text: 'здравствуйте, не могу войти' });
    const sent = await h.client.sendCustomerMessage(8002, { text: 'Пароль: Qwerty2024 и код 552134' });
    await h.client.waitForCustomerMessage(8002, /Мы скрыли его от оператора/);
    const copy = await h.client.waitForChatMessage(SUPPORT, /🔒 masked/, { threadId: thread });
    expect(copy.text).toContain('Пароль: •••••••• и код ••••••');
    await h.client.sendCustomerMessage(8002, { text: 'мой заказ #12345678, телефон +7 916 123-45-67' });
    await h.client.waitForChatMessage(SUPPORT, (m) => m.text === 'мой заказ #12345678, телефон +7 916 123-45-67', { threadId: thread });

    await h.client.editCustomerMessage(8002, sent.message_id, { text: 'Пароль: Qwerty2025 и код 552134' });
    await h.client.waitForIdle();
    await h.settle();
    const all = await everywhere(thread);
    expect(all).not.toContain('Qwerty');
    expect(all).not.toContain('552134');
    expect(
      (await h.eventsOf('secret_masked'))
        .filter(await ofCustomer(h, 8002))
        .map((e) => e.reason)
        .sort(),
    ).toEqual(['code', 'password']);
  });
});

describe('a photo whose caption holds a secret', () => {
  it('is copied with the masked caption instead of its own', async () => {
    const { thread } = await openTicket(h, 8004, { name: 'Sara', language: 'en' });
    await h.client.sendCustomerMessage(8004, { photo: {}, caption: 'back of my card, cvv 737' });
    const copy = await h.client.waitForChatMessage(SUPPORT, (m) => m.media === 'photo', { threadId: thread });
    expect(copy.caption).toMatch(/^🔒 masked/);
    expect(copy.caption).toContain('back of my card, cvv •••');
    expect(await everywhere(thread)).not.toContain('737');
    expect((await h.eventsOf('secret_masked')).filter(await ofCustomer(h, 8004)).map((e) => e.reason)).toEqual(['cvv']);
  });
});

describe('an agent who asks for a secret', () => {
  it('is held with the reason in the topic, never reaches the customer, counted; an ordinary reply and advice go through', async () => {
    const { ticketId, thread } = await openTicket(h, 8003, { name: 'Bob' });
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: "What's the code from SMS?" });
    await h.client.waitForChatMessage(SUPPORT, /Not sent: this message asks the customer for a 2FA or SMS code/, { threadId: thread });
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: 'Для проверки пришлите сид-фразу' });
    await h.client.waitForChatMessage(SUPPORT, /Not sent: this message asks the customer for a seed phrase/, { threadId: thread });
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: 'Never share your password or SMS codes with anyone.' });
    await h.client.waitForCustomerMessage(8003, /Never share your password/);
    await h.settle();
    const texts = (await h.client.getCustomerMessages(8003)).map((m) => m.text ?? '');
    expect(texts.some((t) => /code from SMS|сид-фразу/.test(t))).toBe(false);
    const held = (await h.eventsOf('secret_request_held')).filter((e) => e.ticket_id === ticketId);
    expect(held.map((e) => [e.reason, e.agent_id])).toEqual([
      ['code', AGENT],
      ['seed_phrase', AGENT],
    ]);
    expect((await h.eventsOf('message_out')).filter((e) => e.ticket_id === ticketId)).toHaveLength(1);
  });
});
