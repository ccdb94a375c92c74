/**
 * Where the sandbox used to be more lenient than Telegram (issue 18, item 8):
 * one test per deviation, each asserting what api.telegram.org answers
 * (wording from the Bot API server, github.com/tdlib/telegram-bot-api, and TDLib).
 */
import { Bot } from 'grammy';
import { describe, expect, it } from 'vitest';
import { startSandbox } from './server.js';
import { apiError, useSandbox } from './test-helpers.js';

const fx = useSandbox();
const CUSTOMER = 1001;
const AGENT = 501;

describe('message_thread_id', () => {
  it('refuses thread 1 in a forum: the General topic is addressed by omitting the thread', async () => {
    const general = await apiError(fx.bot.api.sendMessage(fx.support, 'digest', { message_thread_id: 1 }));
    expect([general.error_code, general.description]).toEqual([400, 'Bad Request: message thread not found']);
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    expect((await apiError(fx.bot.api.copyMessage(fx.escalation, CUSTOMER, 1, { message_thread_id: 1 }))).description).toBe(
      'Bad Request: message thread not found',
    );
    // Omitting it posts into General; a real topic still works; typing may name General.
    await expect(fx.bot.api.sendMessage(fx.support, 'digest')).resolves.not.toHaveProperty('message_thread_id');
    const topic = await fx.bot.api.createForumTopic(fx.support, 'Ann');
    await expect(fx.bot.api.sendMessage(fx.support, 'card', { message_thread_id: topic.message_thread_id })).resolves.toMatchObject({
      message_thread_id: topic.message_thread_id,
    });
    expect(await fx.bot.api.sendChatAction(fx.support, 'typing', { message_thread_id: 1 })).toBe(true);
  });

  it('refuses a thread in a private chat without topics', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    const err = await apiError(fx.bot.api.sendMessage(CUSTOMER, 'answer', { message_thread_id: 7 }));
    expect([err.error_code, err.description]).toEqual([400, 'Bad Request: message thread not found']);
    expect((await apiError(fx.bot.api.copyMessage(CUSTOMER, fx.support, 1, { message_thread_id: 7 }))).description).toBe(
      'Bad Request: message thread not found',
    );
  });
});

describe('bot commands', () => {
  it('accepts only two lowercase letters or nothing as language_code', async () => {
    const commands = [{ command: 'help', description: 'Help' }];
    for (const code of ['pt-br', 'EN', 'eng']) {
      const err = await apiError(fx.bot.api.setMyCommands(commands, { language_code: code as 'en' }));
      expect([err.error_code, err.description], code).toEqual([400, 'Bad Request: invalid language code specified']);
    }
    expect((await apiError(fx.bot.api.getMyCommands({ language_code: 'pt-br' as 'pt' }))).description).toBe('Bad Request: invalid language code specified');
    expect((await apiError(fx.bot.api.deleteMyCommands({ language_code: 'pt-br' as 'pt' }))).description).toBe('Bad Request: invalid language code specified');
    expect(await fx.bot.api.setMyCommands(commands, { language_code: 'pt' })).toBe(true);
    expect(await fx.bot.api.getMyCommands({ language_code: 'pt' })).toEqual(commands);
    expect(await fx.bot.api.getMyCommands()).toEqual([]);
  });

  it('refuses scopes of an unknown type or naming an unknown chat', async () => {
    const commands = [{ command: 'take', description: 'Take' }];
    const unknownType = await apiError(fx.bot.api.setMyCommands(commands, { scope: { type: 'everyone' } as never }));
    expect([unknownType.error_code, unknownType.description]).toEqual([400, "Bad Request: can't parse BotCommandScope: Unsupported type specified"]);
    expect((await apiError(fx.bot.api.setMyCommands(commands, { scope: { type: 'chat' } as never }))).description).toBe(
      'Bad Request: can\'t parse BotCommandScope: Can\'t find field "chat_id"',
    );
    expect((await apiError(fx.bot.api.setMyCommands(commands, { scope: { type: 'chat', chat_id: -100999 } }))).description).toBe('Bad Request: chat not found');
    expect((await apiError(fx.bot.api.getMyCommands({ scope: { type: 'chat_administrators', chat_id: -100999 } }))).description).toBe(
      'Bad Request: chat not found',
    );
    expect((await apiError(fx.bot.api.deleteMyCommands({ scope: { type: 'chat_member', chat_id: fx.support, user_id: 0 } }))).description).toBe(
      "Bad Request: can't parse BotCommandScope: Invalid user_id specified",
    );
    // A known chat, by number or as a string, is one scope.
    expect(await fx.bot.api.setMyCommands(commands, { scope: { type: 'chat', chat_id: fx.support } })).toBe(true);
    expect(await fx.bot.api.getMyCommands({ scope: { type: 'chat', chat_id: String(fx.support) } })).toEqual(commands);
  });
});

describe('text mentions', () => {
  it('turns a tg://user link to a known user into text_mention with the user, as Telegram returns it', async () => {
    await fx.client.sendSupportMessage({ from_id: AGENT, first_name: 'Bob', text: 'hi team' });
    const html = await fx.bot.api.sendMessage(fx.support, 'Agent: <a href="tg://user?id=501">Bob</a>', { parse_mode: 'HTML' });
    expect(html.entities).toEqual([{ type: 'text_mention', offset: 7, length: 3, user: { id: AGENT, is_bot: false, first_name: 'Bob' } }]);
    const md = await fx.bot.api.sendMessage(fx.support, 'Agent: [Bob](tg://user?id=501)', { parse_mode: 'MarkdownV2' });
    expect(md.entities).toEqual(html.entities);
    const explicit = await fx.bot.api.sendMessage(fx.support, 'Agent: Bob', {
      entities: [{ type: 'text_link', offset: 7, length: 3, url: 'tg://user?id=501' }],
    });
    expect(explicit.entities).toEqual(html.entities);
  });

  it('refuses a mention of a user the bot cannot see', async () => {
    const err = await apiError(fx.bot.api.sendMessage(fx.support, '<a href="tg://user?id=424242">Eve</a>', { parse_mode: 'HTML' }));
    expect([err.error_code, err.description]).toEqual([400, 'Bad Request: ENTITY_MENTION_USER_INVALID']);
  });
});

describe('forum topic names', () => {
  it('cuts names over 128 characters instead of refusing them, as Telegram does', async () => {
    const long = `${'x'.repeat(120)}🙂${'y'.repeat(20)}`;
    const created = await fx.bot.api.createForumTopic(fx.support, long);
    expect(created.name).toBe([...long].slice(0, 128).join(''));
    const [service] = await fx.client.getChatMessages(fx.support, { threadId: created.message_thread_id });
    expect(service).toMatchObject({ service: 'forum_topic_created' });
    expect(await fx.bot.api.editForumTopic(fx.support, created.message_thread_id, { name: 'z'.repeat(300) })).toBe(true);
    expect((await fx.client.getTopics())[0]!.name).toBe('z'.repeat(128));
  });

  it('collapses whitespace and refuses a name that is empty after it', async () => {
    const topic = await fx.bot.api.createForumTopic(fx.support, '  Ann \n\n Lee  ');
    expect(topic.name).toBe('Ann Lee');
    const err = await apiError(fx.bot.api.createForumTopic(fx.support, ' \n '));
    expect([err.error_code, err.description]).toEqual([400, 'Bad Request: name must be non-empty']);
  });
});

describe('webhook URLs', () => {
  it('refuses what api.telegram.org refuses: HTTP, other ports, reserved addresses', async () => {
    const http = await apiError(fx.bot.api.setWebhook('http://desk.example.com/telegram/webhook'));
    expect([http.error_code, http.description]).toEqual([400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook']);
    expect((await apiError(fx.bot.api.setWebhook('https://desk.example.com:3000/telegram/webhook'))).description).toBe(
      'Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443',
    );
    expect((await apiError(fx.bot.api.setWebhook('https://127.0.0.1/telegram/webhook'))).description).toBe(
      'Bad Request: bad webhook: IP address 127.0.0.1 is reserved',
    );
    expect((await apiError(fx.bot.api.setWebhook('https://desk.example.com/hook', { secret_token: 'no spaces' }))).description).toBe(
      'Bad Request: secret token contains unallowed characters',
    );
    expect((await fx.bot.api.getWebhookInfo()).url).toBe('');
    // An HTTPS URL on an allowed port is set (nothing is pending, so nothing is posted to it).
    expect(await fx.bot.api.setWebhook('https://desk.example.com:8443/telegram/webhook')).toBe(true);
    expect((await fx.bot.api.getWebhookInfo()).url).toBe('https://desk.example.com:8443/telegram/webhook');
    await fx.bot.api.deleteWebhook();
  });

  it('accepts a loopback HTTP webhook only when the sandbox was started with allowInsecureWebhook', async () => {
    const local = await startSandbox({ port: 0, allowInsecureWebhook: true });
    try {
      const bot = new Bot(local.token, { client: { apiRoot: local.apiRoot } });
      expect(await bot.api.setWebhook('http://127.0.0.1:9/hook')).toBe(true);
      expect((await bot.api.getWebhookInfo()).url).toBe('http://127.0.0.1:9/hook');
    } finally {
      await local.close();
    }
  });
});
