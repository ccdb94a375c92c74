/**
 * Conformance: a representative session through the sandbox — what the desk does and what the people around it do —
 * with every Bot API result and every update validated against the vendored Bot API 10.1 spec (validate.ts). A field
 * the sandbox invents, forgets or types wrongly fails here, so drift from Telegram is caught as the sandbox grows.
 */
import { Bot, InputFile } from 'grammy';
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { METHODS } from '../methods/index.js';
import { useSandbox } from '../test-helpers.js';
import { loadBotApiSpec, SpecValidator } from './validate.js';

const validator = new SpecValidator(loadBotApiSpec());
const fx = useSandbox();
const CUSTOMER = 1001;
const OTHER = 1002;
const AGENT = 501;
const LEAD = 502;
/** What the sandbox produces; message_reaction_count is never produced (no anonymous reactions in it). */
const UPDATE_KINDS = ['message', 'edited_message', 'callback_query', 'my_chat_member', 'chat_member', 'chat_join_request', 'message_reaction'];

interface Recorded {
  method: string;
  result: unknown;
}

/** A bot whose every successful call is recorded with its result, as the JSON grammY received. */
function recordingBot(calls: Recorded[]): Bot {
  const bot = new Bot(fx.sandbox.token, { client: { apiRoot: fx.sandbox.apiRoot } });
  bot.api.config.use(async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    if (res.ok) calls.push({ method, result: res.result });
    return res;
  });
  return bot;
}

describe('Bot API conformance', () => {
  it('every sandbox method is a Bot API 10.1 method', () => {
    expect(Object.keys(METHODS).filter((m) => !validator.spec.methods[m])).toEqual([]);
  });

  it('a representative session: every result and every update matches the Bot API 10.1 spec', async () => {
    const calls: Recorded[] = [];
    const updates: Update[] = [];
    const bot = recordingBot(calls);
    const api = bot.api;
    const tg = fx.client;
    const drain = async () => {
      for (;;) {
        const batch = await api.getUpdates({ offset: (updates.at(-1)?.update_id ?? 0) + 1, allowed_updates: UPDATE_KINDS as never });
        if (batch.length === 0) return;
        updates.push(...batch);
      }
    };
    const upload = (name: string) => new InputFile(Buffer.from(`sandbox ${name}`), name);

    // The bot's identity and settings.
    await api.getMe();
    await api.setMyCommands([
      { command: 'start', description: 'Start' },
      { command: 'help', description: 'Help' },
    ]);
    await api.setMyCommands([{ command: 'help', description: 'Помощь' }], { scope: { type: 'all_private_chats' }, language_code: 'ru' });
    await api.setMyCommands([{ command: 'take', description: 'Take the ticket' }], { scope: { type: 'chat', chat_id: fx.support } });
    await api.getMyCommands({ scope: { type: 'chat', chat_id: fx.support } });
    await api.getMyCommands({ scope: { type: 'all_private_chats' }, language_code: 'ru' });
    await api.deleteMyCommands({ scope: { type: 'all_private_chats' }, language_code: 'ru' });
    await api.setMyName('Support Desk');
    await api.setMyDescription('We answer within minutes');
    await api.setMyShortDescription('Support');
    await api.getMyName();
    await api.getMyDescription();
    await api.getMyShortDescription();
    await api.setChatMenuButton({ menu_button: { type: 'commands' } });
    await api.getChatMenuButton();
    await api.setChatMenuButton({ menu_button: { type: 'web_app', text: 'Support', web_app: { url: 'https://desk.example.com/app/' } } });
    await api.getChatMenuButton();
    await api.setMyDefaultAdministratorRights();
    await api.getWebhookInfo();
    await api.setWebhook('https://desk.example.com/telegram/webhook', { secret_token: 'S3cret', max_connections: 10 });
    await api.getWebhookInfo();
    await api.deleteWebhook();
    await drain(); // asks for every kind the sandbox produces, chat_member and message_reaction included

    // Customers write: text with commands, links and mentions, and every kind of media.
    await tg.sendCustomerMessage(CUSTOMER, { text: '/start', first_name: 'Ann', last_name: 'Lee', username: 'ann_lee', language_code: 'en' });
    await tg.sendCustomerMessage(CUSTOMER, 'charged twice, see https://example.com/inv/12 and mail billing@example.com #refund @support_desk_bot /status');
    const media = [
      { photo: { width: 800, height: 600 }, caption: 'receipt' },
      { document: { file_name: 'invoice.pdf' } },
      { video: { duration: 30 } },
      { audio: { title: 'Call', performer: 'Ann' } },
      { voice: { duration: 4 } },
      { video_note: {} },
      { animation: {} },
      { sticker: { emoji: '😡' } },
      { location: { latitude: 52.5, longitude: 13.4 } },
      { venue: { latitude: 1, longitude: 2, title: 'Office', address: 'Main st 1' } },
      { contact: { phone_number: '+4912345', first_name: 'Ann', user_id: CUSTOMER } },
      { poll: { question: 'Which plan?', options: ['Basic', 'Pro'], type: 'quiz' as const, correct_option_id: 1 } },
      { dice: { emoji: '🎲' as const, value: 3 } },
    ];
    const mediaIds: number[] = [];
    for (const m of media) mediaIds.push((await tg.sendCustomerMessage(CUSTOMER, m)).message_id);
    await tg.sendCustomerMessage(CUSTOMER, { photo: {}, media_group_id: 'album-1' });
    await tg.sendCustomerMessage(CUSTOMER, { photo: {}, media_group_id: 'album-1' });
    const { message_id: question } = await tg.sendCustomerMessage(CUSTOMER, 'where is my refund?');
    await tg.sendCustomerMessage(OTHER, { text: 'hello', first_name: 'Olga' });
    await drain();
    const photoId = updates.find((u) => u.message?.photo)!.message!.photo!.at(-1)!.file_id;

    // Agents join and write; the bot opens, renames, closes and reopens a topic; an agent makes one by hand.
    await tg.sendSupportMessage({ from_id: AGENT, first_name: 'Bob', text: 'morning team' });
    await tg.setMember({ user_id: LEAD, status: 'administrator', first_name: 'Lea' });
    const topic = await api.createForumTopic(fx.support, '❗️ Ann Lee #1', { icon_color: 0xffd67e });
    const t = topic.message_thread_id;
    await api.editForumTopic(fx.support, t, { name: '📝 Ann Lee #1' });
    await api.closeForumTopic(fx.support, t);
    await api.reopenForumTopic(fx.support, t);
    await api.unpinAllForumTopicMessages(fx.support, t);
    await api.getForumTopicIconStickers();
    await api.editGeneralForumTopic(fx.support, 'General');
    await api.closeGeneralForumTopic(fx.support);
    await api.reopenGeneralForumTopic(fx.support);
    await api.hideGeneralForumTopic(fx.support);
    await api.unhideGeneralForumTopic(fx.support);
    await tg.createTopic({ from_id: AGENT, name: 'Manual topic' });
    await tg.updateTopic(t, { from_id: LEAD, name: '📝 Ann Lee #1 (VIP)' });
    await tg.updateTopic(t, { from_id: LEAD, closed: true });
    await tg.updateTopic(t, { from_id: LEAD, closed: false });

    // The relay: copies and forwards into the topic and back, albums included.
    for (const id of [question, ...mediaIds.slice(0, 11)]) await api.copyMessage(fx.support, CUSTOMER, id, { message_thread_id: t });
    await api.copyMessage(fx.support, CUSTOMER, mediaIds[0]!, { message_thread_id: t, caption: '<b>receipt</b> from Ann', parse_mode: 'HTML' });
    await api.copyMessages(fx.support, CUSTOMER, [mediaIds.at(-1)! + 1, mediaIds.at(-1)! + 2], { message_thread_id: t });
    await api.forwardMessage(fx.support, CUSTOMER, question, { message_thread_id: t });
    await api.forwardMessages(fx.escalation, CUSTOMER, [mediaIds[0]!, question]);

    // The ticket card and answers: entities of every kind, keyboards, replies with quotes, link previews.
    const card = await api.sendMessage(
      fx.support,
      [
        '<b>Ticket #1</b> · <i>payments</i> · <u>VIP</u> · <s>L1</s> · <tg-spoiler>secret</tg-spoiler> · <code>id-1</code>',
        '<pre><code class="language-json">{"a":1}</code></pre><blockquote>quoted</blockquote><blockquote expandable>long</blockquote>',
        '<a href="https://example.com/t/1">status</a> · agent <a href="tg://user?id=501">Bob</a> · <tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
      ].join('\n'),
      {
        parse_mode: 'HTML',
        message_thread_id: t,
        reply_markup: {
          inline_keyboard: [
            [
              { text: 'Take', callback_data: 'take:1' },
              { text: 'Docs', url: 'https://example.com/docs' },
            ],
          ],
        },
      },
    );
    await api.sendMessage(fx.support, '*Queue* L1: 3 waiting \\(2 over SLA\\) [dashboard](https://example.com/d) `q`', { parse_mode: 'MarkdownV2' });
    await api.sendMessage(fx.support, '*digest* _yesterday_ `12` [link](https://example.com)', { parse_mode: 'Markdown' });
    const receipt = await api.sendMessage(CUSTOMER, 'Ticket #1 created. See https://example.com/t/1', {
      reply_parameters: { message_id: question, quote: 'refund' },
      link_preview_options: { is_disabled: true },
      reply_markup: { inline_keyboard: [[{ text: 'Payment', callback_data: 'cat:payment' }], [{ text: 'Account', callback_data: 'cat:account' }]] },
    });
    await api.sendMessage(CUSTOMER, 'Track it in the app', {
      reply_markup: { inline_keyboard: [[{ text: 'Track status', web_app: { url: 'https://desk.example.com/app/?startapp=ticket-1' } }]] },
    });
    await api.setChatMenuButton({ chat_id: CUSTOMER, menu_button: { type: 'web_app', text: 'Поддержка', web_app: { url: 'https://desk.example.com/app/' } } });
    await api.getChatMenuButton({ chat_id: CUSTOMER });
    await api.sendMessage(CUSTOMER, 'Anything else?', {
      reply_markup: { keyboard: [[{ text: 'Need help' }], [{ text: 'Share phone', request_contact: true }]], resize_keyboard: true, one_time_keyboard: true },
    });
    await tg.pressKeyboardButton(CUSTOMER, 'Need help'); // the client sends the label as a message
    await api.sendMessage(CUSTOMER, 'Keyboard gone', { reply_markup: { remove_keyboard: true } });
    await api.sendMessage(CUSTOMER, 'Your order number?', { reply_markup: { force_reply: true } });
    await api.sendMessage(fx.escalation, 'SLA breached: ticket #1', { entities: [{ type: 'bold', offset: 0, length: 12 }] });

    // Media the bot sends: uploads, file ids, albums, and the plain kinds.
    const sentPhoto = await api.sendPhoto(CUSTOMER, upload('photo.jpg'), { caption: 'your receipt' });
    await api.sendPhoto(fx.support, photoId, { message_thread_id: t });
    await api.sendDocument(CUSTOMER, upload('report.pdf'), { caption: 'report' });
    await api.sendVideo(CUSTOMER, upload('clip.mp4'), { duration: 5, width: 640, height: 360 });
    await api.sendAudio(CUSTOMER, upload('call.mp3'), { performer: 'Desk', title: 'Recording' });
    await api.sendVoice(CUSTOMER, upload('note.ogg'), { duration: 3 });
    await api.sendVideoNote(CUSTOMER, upload('round.mp4'), { duration: 4, length: 240 });
    await api.sendAnimation(CUSTOMER, upload('thanks.gif'));
    await api.sendSticker(CUSTOMER, upload('sticker.webp'));
    await api.sendMediaGroup(CUSTOMER, [
      { type: 'photo', media: upload('a.jpg'), caption: 'first' },
      { type: 'photo', media: photoId },
    ]);
    await api.sendLocation(CUSTOMER, 52.52, 13.405);
    await api.sendVenue(CUSTOMER, 52.52, 13.405, 'Office', 'Main st 1');
    await api.sendContact(CUSTOMER, '+4912345', 'Support');
    await api.sendChatAction(CUSTOMER, 'typing');
    await api.sendChatAction(fx.support, 'typing', { message_thread_id: t });
    await api.getFile(photoId);

    // Edits, reactions, pins, deletions.
    await api.editMessageText(fx.support, card.message_id, '<b>Ticket #1</b> · taken by <a href="tg://user?id=501">Bob</a>', {
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Resolve', callback_data: 'resolve:1' }]] },
    });
    await api.editMessageReplyMarkup(fx.support, card.message_id, { reply_markup: { inline_keyboard: [[{ text: 'Reopen', callback_data: 'reopen:1' }]] } });
    await api.editMessageCaption(CUSTOMER, sentPhoto.message_id, { caption: 'your receipt (updated)' });
    await api.editMessageMedia(CUSTOMER, sentPhoto.message_id, { type: 'photo', media: photoId, caption: 'replaced' });
    await api.setMessageReaction(CUSTOMER, question, [{ type: 'emoji', emoji: '👍' }]);
    await api.pinChatMessage(fx.support, card.message_id);
    await api.getChat(fx.support); // with its pinned message
    await api.unpinChatMessage(fx.support, card.message_id);
    await api.pinChatMessage(fx.support, card.message_id);
    await api.unpinAllChatMessages(fx.support);
    const bye = await api.sendMessage(CUSTOMER, 'to delete');
    await api.deleteMessage(CUSTOMER, bye.message_id);
    const more = await api.sendMessage(CUSTOMER, 'to delete too');
    await api.deleteMessages(CUSTOMER, [more.message_id]);

    // People act: presses, edits, reactions, blocking, membership — one of every update kind.
    const pressed = await tg.pressCustomerButton(CUSTOMER, 'Payment');
    const agentPress = await tg.pressSupportButton({ from_id: AGENT, text: 'Reopen', message_id: card.message_id });
    await api.answerCallbackQuery(pressed.callback_query_id, { text: 'Noted' });
    await api.answerCallbackQuery(agentPress.callback_query_id, { text: 'Only leads can reopen', show_alert: true });
    await tg.editCustomerMessage(CUSTOMER, question, { text: 'where is my refund??' });
    await tg.editCustomerMessage(CUSTOMER, mediaIds[0]!, { caption: 'receipt (2)' });
    await tg.editSupportMessage((await tg.sendSupportMessage({ from_id: AGENT, thread_id: t, text: 'looking' })).message_id, { text: 'looking into it' });
    await tg.reactToMessage(CUSTOMER, receipt.message_id, ['👍']);
    await tg.blockBot(OTHER);
    await tg.unblockBot(OTHER);
    await tg.setMember({ user_id: 503, status: 'member', first_name: 'Max' });
    await tg.setMember({ user_id: 503, status: 'restricted' });
    await tg.setMember({ user_id: 503, status: 'kicked' });
    await tg.setMember({ user_id: 504, status: 'creator', first_name: 'Owner' });
    await tg.setMember({ user_id: fx.sandbox.world.bot.id, status: 'administrator', chat_id: fx.escalation, can_manage_topics: false });
    await tg.sendCustomerMessage(CUSTOMER, { text: 'replying', reply_to_message_id: receipt.message_id });
    await drain();

    // A community group (sandbox/groups.ts): join requests approved and declined, a join by link, a member restricted and freed.
    const COMMUNITY = -1003000000001;
    await tg.createGroup({ chat_id: COMMUNITY, title: 'Community' });
    await tg.requestToJoin(COMMUNITY, { user_id: 601, first_name: 'Joiner', username: 'joiner_one', bio: 'hi' });
    await tg.requestToJoin(COMMUNITY, { user_id: 602, first_name: 'Declined' });
    await api.sendMessage(601, 'Press the button to join', { reply_markup: { inline_keyboard: [[{ text: 'I am human', callback_data: 'x' }]] } });
    await api.approveChatJoinRequest(COMMUNITY, 601);
    await api.declineChatJoinRequest(COMMUNITY, 602);
    await tg.joinGroup(COMMUNITY, { user_id: 603, first_name: 'Newcomer' });
    await api.restrictChatMember(COMMUNITY, 603, { can_send_messages: false });
    await api.getChatMember(COMMUNITY, 603);
    await api.restrictChatMember(COMMUNITY, 603, { can_send_messages: true, can_send_other_messages: true, can_send_polls: true, can_invite_users: true });
    await drain();

    // Chats and members as the bot reads them.
    await api.getChat(CUSTOMER);
    await api.getChat(fx.escalation);
    for (const user of [AGENT, LEAD, 503, 504, fx.sandbox.world.bot.id]) await api.getChatMember(fx.support, user);
    await api.getChatMember(fx.support, OTHER); // left: never a member
    await api.getChatMember(CUSTOMER, CUSTOMER);
    await api.getChatAdministrators(fx.support);
    await api.getChatMemberCount(fx.support);
    await api.banChatMember(fx.support, AGENT);
    await api.unbanChatMember(fx.support, AGENT);
    await api.deleteForumTopic(fx.support, t);
    await api.leaveChat(fx.escalation);
    await drain();
    await api.logOut();
    await api.close();

    const problems = [
      // getUpdates results are the updates, each validated below as an Update.
      ...calls.flatMap(({ method, result }, i) => (method === 'getUpdates' ? [] : validator.result(method, result).map((p) => `call ${i} ${p}`))),
      ...updates.flatMap((u) => validator.update(u).map((p) => `update ${u.update_id} ${p}`)),
    ];
    expect(problems).toEqual([]);
    // The session covered what it claims: every method the sandbox implements, every update kind it produces.
    expect(Object.keys(METHODS).filter((m) => !calls.some((c) => c.method === m))).toEqual([]);
    expect(UPDATE_KINDS.filter((k) => !updates.some((u) => k in u))).toEqual([]);
  });
});
