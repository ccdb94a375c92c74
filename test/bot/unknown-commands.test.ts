/** Nothing typed to the bot goes unanswered: /help and unknown commands from customers, unknown commands from agents. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closestAgentCommand } from '../../bot/features/agent-commands/menu.js';
import { coreTestFeatures, startHarness, SUPPORT, topicOf, type Harness } from './harness.js';

let h: Harness;
const AGENT = 500_011;

beforeAll(async () => {
  h = await startHarness({ features: () => coreTestFeatures() });
});
afterAll(async () => h?.close());

const botReplies = async (customer: number, after: number) =>
  (await h.client.getCustomerMessages(customer)).filter((m) => m.from === 'bot' && m.message_id > after);

describe('customers', () => {
  it('/help explains the chat in the customer’s language: what it does, /status, /language, how to reach a person', async () => {
    const { message_id } = await h.client.sendCustomerMessage(8001, { text: '/help', first_name: 'Hal', language_code: 'en' });
    const help = await h.client.waitForCustomerMessage(8001, /support chat/, { after: message_id });
    expect(help.text).toMatch(/\/status/);
    expect(help.text).toMatch(/\/language/);
    expect(help.text).toMatch(/agent/);

    const ru = await h.client.sendCustomerMessage(8002, { text: '/help', first_name: 'Гоша', language_code: 'ru' });
    const helpRu = await h.client.waitForCustomerMessage(8002, /\/status/, { after: ru.message_id });
    expect(helpRu.text).toMatch(/[А-Яа-я]/);
    await h.settle();
    expect((await h.db.query('SELECT 1 FROM tickets WHERE customer_id IN (8001, 8002)')).rows).toEqual([]);
  });

  it('an unknown command gets the help (saying so), opens no ticket and never reaches the agents', async () => {
    await h.client.sendCustomerMessage(8003, { text: 'the colour of the app icon looks odd', first_name: 'Una', language_code: 'en' });
    const thread = await topicOf(h.client, 8003, h.db);
    await h.client.waitForChatMessage(SUPPORT, 'the colour of the app icon looks odd', { threadId: thread });
    // The receipt and the category keyboard of that first message must be out before we count replies.
    await h.client.waitForCustomerMessage(8003, /Ticket #\d+ created/);
    await h.settle();
    const { message_id } = await h.client.sendCustomerMessage(8003, { text: '/foo bar' });
    const reply = await h.client.waitForCustomerMessage(8003, /don't know that command/, { after: message_id });
    expect(reply.text).toMatch(/\/status/);
    await h.settle();
    expect(await botReplies(8003, message_id)).toHaveLength(1);
    expect((await h.client.getChatMessages(SUPPORT, { threadId: thread })).some((m) => (m.text ?? '').includes('/foo'))).toBe(false);
  });

  it('/help is in the customers’ command menu, in every language', async () => {
    const api = h.desk.services.api;
    const en = await api.getMyCommands({ scope: { type: 'all_private_chats' } });
    expect(en.find((c) => c.command === 'help')?.description).toBeTruthy();
    const ru = await api.getMyCommands({ scope: { type: 'all_private_chats' }, language_code: 'ru' });
    expect(ru.find((c) => c.command === 'help')?.description).toMatch(/[А-Яа-я]/);
  });
});

describe('agents', () => {
  it('/close in a topic is answered with the closest command and the list, and is not sent to the customer', async () => {
    await h.client.sendCustomerMessage(8010, { text: 'please close my account', first_name: 'Cal', language_code: 'en' });
    const thread = await topicOf(h.client, 8010, h.db);
    await h.client.waitForChatMessage(SUPPORT, 'please close my account', { threadId: thread });
    // Everything the first message brings the customer (receipt, category keyboard) is out before we count.
    await h.client.waitForCustomerMessage(8010, /Ticket #\d+ created/);
    await h.settle();
    const before = (await h.client.getCustomerMessages(8010)).length;

    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/close' });
    const hint = await h.client.waitForChatMessage(SUPPORT, /Unknown command \/close/, { threadId: thread });
    expect(hint.text).toMatch(/did you mean \/resolve\?/);
    for (const c of ['/take', '/resolve', '/reopen', '/note', '/escalate', '/m', '/find_kb']) expect(hint.text).toContain(c);

    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/escalte L2' });
    await h.client.waitForChatMessage(SUPPORT, /Unknown command \/escalte — did you mean \/escalate\?/, { threadId: thread });
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/xyzzy' });
    const none = await h.client.waitForChatMessage(SUPPORT, /Unknown command \/xyzzy/, { threadId: thread });
    expect(none.text).not.toMatch(/did you mean/);

    // A command for another bot in the group is none of ours.
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/close@some_other_bot' });
    await h.settle();
    expect((await h.client.getChatMessages(SUPPORT, { threadId: thread })).filter((m) => /Unknown command/.test(m.text ?? ''))).toHaveLength(3);
    expect((await h.client.getCustomerMessages(8010)).slice(before)).toEqual([]);
    const t = await h.db.query<{ status: string }>('SELECT status FROM tickets WHERE customer_id = 8010');
    expect(t.rows[0]!.status).not.toBe('resolved');
  });
});

describe('closestAgentCommand', () => {
  it('maps guesses and typos to the command meant, and suggests nothing for other words', () => {
    expect(closestAgentCommand('close')).toBe('resolve');
    expect(closestAgentCommand('Close')).toBe('resolve');
    expect(closestAgentCommand('clsoe')).toBe('resolve');
    expect(closestAgentCommand('resolv')).toBe('resolve');
    expect(closestAgentCommand('tkae')).toBe('take');
    expect(closestAgentCommand('findkb')).toBe('find_kb');
    expect(closestAgentCommand('foo')).toBeUndefined();
    expect(closestAgentCommand('help')).toBeUndefined();
  });
});
