import { describe, expect, it } from 'vitest';
import { apiError, useSandbox } from './test-helpers.js';

const fx = useSandbox();
const CUSTOMER = 1001;

describe('sendMessage', () => {
  it('fails with chat not found for a user who never wrote to the bot', async () => {
    const err = await apiError(fx.bot.api.sendMessage(999_999, 'hello'));
    expect(err.error_code).toBe(400);
    expect(err.description).toBe('Bad Request: chat not found');
    expect((await apiError(fx.bot.api.sendMessage(-100123, 'x'))).description).toBe('Bad Request: chat not found');
    // An agent known from the group who never started the bot.
    await fx.client.sendSupportMessage({ from_id: 501, text: 'hi team' });
    const dm = await apiError(fx.bot.api.sendMessage(501, 'your shift starts'));
    expect([dm.error_code, dm.description]).toEqual([403, "Forbidden: bot can't initiate conversation with a user"]);
  });

  it('rejects empty and too long text', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    expect((await apiError(fx.bot.api.sendMessage(CUSTOMER, '   '))).description).toBe('Bad Request: message text is empty');
    expect((await apiError(fx.bot.api.sendMessage(CUSTOMER, 'x'.repeat(4097)))).description).toBe('Bad Request: message is too long');
  });

  it('answers 403 once the customer blocked the bot', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    await fx.client.blockBot(CUSTOMER);
    const err = await apiError(fx.bot.api.sendMessage(CUSTOMER, 'still there?'));
    expect(err.error_code).toBe(403);
    expect(err.description).toBe('Forbidden: bot was blocked by the user');
    expect((await apiError(fx.bot.api.editMessageText(CUSTOMER, 1, 'x'))).error_code).toBe(403);
    await fx.client.unblockBot(CUSTOMER);
    expect((await fx.bot.api.sendMessage(CUSTOMER, 'welcome back')).text).toBe('welcome back');
  });

  it('writing again unblocks the bot, as a Telegram client restarting it does', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    await fx.client.blockBot(CUSTOMER);
    await fx.client.sendCustomerMessage(CUSTOMER, '/start');
    expect((await fx.client.getCustomer(CUSTOMER)).blocked).toBe(false);
    await expect(fx.bot.api.sendMessage(CUSTOMER, 'ok')).resolves.toMatchObject({ text: 'ok' });
  });

  it('parses HTML and MarkdownV2 into entities and rejects bad markup like Telegram', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    const html = await fx.bot.api.sendMessage(CUSTOMER, '<b>Ticket</b> #12 &amp; <a href="https://example.com/t/12">status</a>', { parse_mode: 'HTML' });
    expect(html.text).toBe('Ticket #12 & status');
    // A number alone ("#12") is not a hashtag in Telegram.
    expect(html.entities).toEqual([
      { type: 'bold', offset: 0, length: 6 },
      { type: 'text_link', offset: 13, length: 6, url: 'https://example.com/t/12' },
    ]);
    const md = await fx.bot.api.sendMessage(CUSTOMER, '*ETA* 30 min\\. _thanks_', { parse_mode: 'MarkdownV2' });
    expect(md.text).toBe('ETA 30 min. thanks');
    expect(md.entities).toEqual([
      { type: 'bold', offset: 0, length: 3 },
      { type: 'italic', offset: 12, length: 6 },
    ]);
    expect((await apiError(fx.bot.api.sendMessage(CUSTOMER, 'ETA 30 min.', { parse_mode: 'MarkdownV2' }))).description).toBe(
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    );
    expect((await apiError(fx.bot.api.sendMessage(CUSTOMER, '<b>open', { parse_mode: 'HTML' }))).description).toBe(
      'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"',
    );
  });

  it('validates inline keyboards', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    const long = await apiError(fx.bot.api.sendMessage(CUSTOMER, 'x', { reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'x'.repeat(65) }]] } }));
    expect(long.description).toBe('Bad Request: BUTTON_DATA_INVALID');
    const textOnly = await apiError(fx.bot.api.sendMessage(CUSTOMER, 'x', { reply_markup: { inline_keyboard: [[{ text: 'A' } as never]] } }));
    expect(textOnly.description).toBe("Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  });

  it('replies with reply_parameters and fails for a missing message unless allowed', async () => {
    const { message_id } = await fx.client.sendCustomerMessage(CUSTOMER, 'my order is late');
    const reply = await fx.bot.api.sendMessage(CUSTOMER, 'checking', { reply_parameters: { message_id } });
    expect(reply.reply_to_message).toMatchObject({ message_id, text: 'my order is late' });
    expect((await apiError(fx.bot.api.sendMessage(CUSTOMER, 'x', { reply_parameters: { message_id: 999 } }))).description).toBe(
      'Bad Request: message to be replied not found',
    );
    const lenient = await fx.bot.api.sendMessage(CUSTOMER, 'x', { reply_parameters: { message_id: 999, allow_sending_without_reply: true } });
    expect(lenient.reply_to_message).toBeUndefined();
    const legacy = await fx.bot.api.sendMessage(CUSTOMER, 'legacy', { reply_to_message_id: message_id } as never);
    expect(legacy.reply_to_message?.message_id).toBe(message_id);
  });

  it('numbers messages per chat across both directions', async () => {
    const a = await fx.client.sendCustomerMessage(CUSTOMER, 'one');
    const b = await fx.bot.api.sendMessage(CUSTOMER, 'two');
    const c = await fx.client.sendCustomerMessage(CUSTOMER, 'three');
    const other = await fx.client.sendCustomerMessage(1002, 'elsewhere');
    expect([a.message_id, b.message_id, c.message_id, other.message_id]).toEqual([1, 2, 3, 1]);
  });

  it('detects bot commands, including the bot username form, and URLs in customer messages', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, '/status@support_desk_bot see https://shop.example.com/o/1 or mail me@example.org');
    const [u] = await fx.bot.api.getUpdates();
    expect(u!.message!.entities).toEqual([
      { type: 'bot_command', offset: 0, length: 24 },
      { type: 'url', offset: 29, length: 28 },
      { type: 'email', offset: 66, length: 14 },
    ]);
  });

  it('uses the replayed date exactly', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, { text: 'from the past', date: 1_700_000_000 });
    const [u] = await fx.bot.api.getUpdates();
    expect(u!.message!.date).toBe(1_700_000_000);
  });
});

describe('edits and deletes', () => {
  it('edits text, keeps history and refuses an identical edit', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    const keyboard = { inline_keyboard: [[{ text: 'Close', callback_data: 'close' }]] };
    const sent = await fx.bot.api.sendMessage(CUSTOMER, 'Ticket #1: open', { reply_markup: keyboard });
    const edited = await fx.bot.api.editMessageText(CUSTOMER, sent.message_id, 'Ticket #1: in progress', { reply_markup: keyboard });
    expect(edited).toMatchObject({ text: 'Ticket #1: in progress', reply_markup: keyboard });
    expect(typeof (edited as { edit_date?: number }).edit_date).toBe('number');
    const err = await apiError(fx.bot.api.editMessageText(CUSTOMER, sent.message_id, 'Ticket #1: in progress', { reply_markup: keyboard }));
    expect(err.description).toMatch(/^Bad Request: message is not modified/);
    const view = (await fx.client.getCustomerMessages(CUSTOMER)).find((m) => m.message_id === sent.message_id)!;
    expect(view).toMatchObject({ text: 'Ticket #1: in progress', edited: true, buttons: [['Close']] });
    expect(view.edit_history.map((h) => h.text)).toEqual(['Ticket #1: open']);
  });

  it('removes the inline keyboard when an edit omits reply_markup, as Telegram does', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    const sent = await fx.bot.api.sendMessage(CUSTOMER, 'Rate us', { reply_markup: { inline_keyboard: [[{ text: '5', callback_data: 'r5' }]] } });
    const edited = await fx.bot.api.editMessageText(CUSTOMER, sent.message_id, 'Thanks!');
    expect((edited as { reply_markup?: unknown }).reply_markup).toBeUndefined();
  });

  it('edits only the keyboard and reports not modified for the same keyboard', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    const sent = await fx.bot.api.sendMessage(CUSTOMER, 'card', { reply_markup: { inline_keyboard: [[{ text: 'Take', callback_data: 't' }]] } });
    const next = { inline_keyboard: [[{ text: 'Resolve', callback_data: 'r' }]] };
    await fx.bot.api.editMessageReplyMarkup(CUSTOMER, sent.message_id, { reply_markup: next });
    expect((await apiError(fx.bot.api.editMessageReplyMarkup(CUSTOMER, sent.message_id, { reply_markup: next }))).description).toMatch(
      /message is not modified/,
    );
  });

  it("reproduces edit errors: missing message, someone else's message, caption on text", async () => {
    const { message_id } = await fx.client.sendCustomerMessage(CUSTOMER, 'customer text');
    expect((await apiError(fx.bot.api.editMessageText(CUSTOMER, 999, 'x'))).description).toBe('Bad Request: message to edit not found');
    expect((await apiError(fx.bot.api.editMessageText(CUSTOMER, message_id, 'x'))).description).toBe("Bad Request: message can't be edited");
    const sent = await fx.bot.api.sendMessage(CUSTOMER, 'plain');
    expect((await apiError(fx.bot.api.editMessageCaption(CUSTOMER, sent.message_id, { caption: 'c' }))).description).toBe(
      'Bad Request: there is no caption in the message to edit',
    );
  });

  it('queues edited_message when the customer edits', async () => {
    const { message_id } = await fx.client.sendCustomerMessage(CUSTOMER, 'typo');
    await fx.client.editCustomerMessage(CUSTOMER, message_id, { text: 'fixed', date: 1_700_000_100 });
    const updates = await fx.bot.api.getUpdates();
    expect(updates[1]!.edited_message).toMatchObject({ message_id, text: 'fixed', edit_date: 1_700_000_100 });
  });

  it('deletes messages and then reports them missing', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    const sent = await fx.bot.api.sendMessage(CUSTOMER, 'oops');
    expect(await fx.bot.api.deleteMessage(CUSTOMER, sent.message_id)).toBe(true);
    expect((await apiError(fx.bot.api.deleteMessage(CUSTOMER, sent.message_id))).description).toBe('Bad Request: message to delete not found');
    expect((await apiError(fx.bot.api.editMessageText(CUSTOMER, sent.message_id, 'x'))).description).toBe('Bad Request: message to edit not found');
    expect((await fx.client.getCustomerMessages(CUSTOMER)).map((m) => m.message_id)).toEqual([1]);
    expect((await fx.client.getCustomerMessages(CUSTOMER, { includeDeleted: true })).at(-1)).toMatchObject({ deleted: true });
  });

  it('sets reactions and pins', async () => {
    const { message_id } = await fx.client.sendCustomerMessage(CUSTOMER, 'thanks!');
    expect(await fx.bot.api.setMessageReaction(CUSTOMER, message_id, [{ type: 'emoji', emoji: '👍' }])).toBe(true);
    expect((await apiError(fx.bot.api.setMessageReaction(CUSTOMER, message_id, [{ type: 'emoji', emoji: '🦖' as '👍' }]))).description).toBe(
      'Bad Request: REACTION_INVALID',
    );
    expect(await fx.bot.api.pinChatMessage(CUSTOMER, message_id)).toBe(true);
    const view = (await fx.client.getCustomerMessages(CUSTOMER))[0]!;
    expect(view).toMatchObject({ pinned: true, reactions: [{ type: 'emoji', emoji: '👍' }] });
    expect(await fx.bot.api.unpinChatMessage(CUSTOMER)).toBe(true);
  });
});

describe('chats and members', () => {
  it('describes the groups and the bot as a topic-managing admin', async () => {
    const chat = await fx.bot.api.getChat(fx.support);
    expect(chat).toMatchObject({ id: fx.support, type: 'supergroup', title: 'Support', is_forum: true });
    expect(await fx.bot.api.getChat(fx.escalation)).toMatchObject({ title: 'Escalations', is_forum: true });
    const me = await fx.bot.api.getChatMember(fx.support, 7000000001);
    expect(me).toMatchObject({ status: 'administrator', can_manage_topics: true, user: { id: 7000000001 } });
    const admins = await fx.bot.api.getChatAdministrators(fx.support);
    expect(admins.map((a) => a.user.id)).toEqual([7000000001]);
  });

  it('tracks membership set through the control API', async () => {
    await fx.client.setMember({ user_id: 501, status: 'member', first_name: 'Bob' });
    expect(await fx.bot.api.getChatMember(fx.support, 501)).toEqual({ status: 'member', user: { id: 501, is_bot: false, first_name: 'Bob' } });
    await fx.client.setMember({ user_id: 501, status: 'administrator' });
    expect(await fx.bot.api.getChatMember(fx.support, 501)).toMatchObject({ status: 'administrator', can_manage_topics: true });
    await fx.client.setMember({ user_id: 501, status: 'kicked' });
    expect(await fx.bot.api.getChatMember(fx.support, 501)).toMatchObject({ status: 'kicked', until_date: 0 });
    await fx.client.setMember({ user_id: 501, status: 'left' });
    expect(await fx.bot.api.getChatMember(fx.support, 501)).toMatchObject({ status: 'left' });
    expect((await apiError(fx.bot.api.getChatMember(fx.support, 4242))).description).toBe('Bad Request: user not found');
  });

  it('makes agents members on first use, but not with not_member', async () => {
    await fx.client.sendSupportMessage({ from_id: 601, text: 'hello' });
    await fx.client.sendSupportMessage({ from_id: 602, text: 'spam', not_member: true });
    expect((await fx.bot.api.getChatMember(fx.support, 601)).status).toBe('member');
    expect((await fx.bot.api.getChatMember(fx.support, 602)).status).toBe('left');
  });

  it('sendChatAction accepts known actions only', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    expect(await fx.bot.api.sendChatAction(CUSTOMER, 'typing')).toBe(true);
    expect((await apiError(fx.bot.api.sendChatAction(CUSTOMER, 'dancing' as 'typing'))).description).toBe('Bad Request: wrong parameter action in request');
  });
});

describe('retention', () => {
  it('forgets the oldest messages beyond maxMessagesPerChat', async () => {
    const { startSandbox } = await import('./server.js');
    const { SandboxClient } = await import('./client.js');
    const small = await startSandbox({ maxMessagesPerChat: 3 });
    try {
      const client = new SandboxClient(small.url);
      for (let i = 1; i <= 5; i++) await client.sendCustomerMessage(CUSTOMER, `m${i}`);
      expect((await client.getCustomerMessages(CUSTOMER)).map((m) => m.text)).toEqual(['m3', 'm4', 'm5']);
      await expect(client.sendCustomerMessage(CUSTOMER, { text: 'reply', reply_to_message_id: 1 })).rejects.toMatchObject({ status: 404 });
    } finally {
      await small.close();
    }
  });
});
