import { describe, expect, it } from 'vitest';
import { loadBotApiSpec, SpecValidator } from './validate.js';

const v = new SpecValidator(loadBotApiSpec());
const user = { id: 1001, is_bot: false, first_name: 'Ann' };
const chat = { id: 1001, type: 'private', first_name: 'Ann' };
const message = { message_id: 1, date: 1767225600, chat, from: user, text: 'hi' };

describe('SpecValidator', () => {
  it('reads the vendored Bot API 10.1 spec', () => {
    expect(v.spec.version).toBe('Bot API 10.1');
    expect(v.spec.methods.sendMessage!.returns).toEqual(['Message']);
  });

  it('accepts a conforming value', () => {
    expect(v.type('User', { ...user, last_name: 'Lee', language_code: 'en' })).toEqual([]);
    expect(v.type('Message', message)).toEqual([]);
  });

  it('finds missing required fields and fields the type does not have', () => {
    expect(v.type('User', { id: 1, first_name: 'Ann' })).toEqual(['User.is_bot: required field of User missing']);
    expect(v.type('User', { ...user, nickname: 'annie' })).toEqual(['User.nickname: User has no field nickname']);
  });

  it('checks Integer, Float, String and Boolean', () => {
    expect(v.type('User', { ...user, id: '1001' })).toEqual(['User.id: must be Integer, got "1001"']);
    expect(v.type('User', { ...user, id: 10.5 })).toEqual(['User.id: must be Integer, got 10.5']);
    expect(v.type('User', { ...user, is_bot: 'false' })).toEqual(['User.is_bot: must be Boolean, got "false"']);
    expect(v.type('Location', { latitude: 52, longitude: 13.405 })).toEqual([]);
    expect(v.type('Location', { latitude: '52', longitude: 13 })).toEqual(['Location.latitude: must be Float, got "52"']);
    expect(v.type('User', null)).toEqual(['User: must be User (an object), got null']);
  });

  it('checks arrays, arrays of arrays and nested types with paths', () => {
    const markup = { inline_keyboard: [[{ text: 'Take', callback_data: 'take:1' }], [{ text: 'Docs', url: 7 }]] };
    expect(v.type('InlineKeyboardMarkup', markup)).toEqual(['InlineKeyboardMarkup.inline_keyboard[1][0].url: must be String, got 7']);
    expect(v.type('InlineKeyboardMarkup', { inline_keyboard: [{ text: 'x' }] })).toEqual([
      'InlineKeyboardMarkup.inline_keyboard[0]: must be Array of InlineKeyboardButton, got object',
    ]);
    expect(v.type('Message', { ...message, entities: [{ type: 'bold', offset: 0 }] })).toEqual([
      'Message.entities[0].length: required field of MessageEntity missing',
    ]);
  });

  it('accepts either side of "X or Y" and names both when neither fits', () => {
    expect(v.type('BotCommandScopeChat', { type: 'chat', chat_id: -100123 })).toEqual([]);
    expect(v.type('BotCommandScopeChat', { type: 'chat', chat_id: '@support' })).toEqual([]);
    expect(v.type('BotCommandScopeChat', { type: 'chat', chat_id: true })).toEqual(['BotCommandScopeChat.chat_id: must be Integer or String, got true']);
    expect(v.result('editMessageText', true)).toEqual([]);
    expect(v.result('editMessageText', message)).toEqual([]);
    expect(v.result('editMessageText', 'ok')).toEqual(['editMessageText(): must be Message or Boolean, got "ok"']);
  });

  it('resolves abstract types by their discriminator, and checks constants and enumerations', () => {
    expect(v.type('ChatMember', { status: 'member', user })).toEqual([]);
    expect(v.type('ChatMember', { status: 'kicked', user, until_date: 0 })).toEqual([]);
    expect(v.type('ChatMember', { status: 'administrator', user })).toContain(
      'ChatMember<ChatMemberAdministrator>.can_manage_chat: required field of ChatMemberAdministrator missing',
    );
    expect(v.type('ChatMember', { status: 'boss', user })).toEqual([
      'ChatMember: status "boss" names none of ChatMemberOwner, ChatMemberAdministrator, ChatMemberMember, ChatMemberRestricted, ChatMemberLeft, ChatMemberBanned',
    ]);
    expect(v.type('ChatMemberLeft', { status: 'member', user })).toEqual(['ChatMemberLeft.status: must be "left", got "member"']);
    expect(v.type('Chat', { ...chat, type: 'secret' })).toEqual(['Chat.type: must be one of private, group, supergroup, channel, got "secret"']);
    expect(v.type('MessageEntity', { type: 'text_mention', offset: 0, length: 3, user })).toEqual([]);
    expect(v.type('MessageEntity', { type: 'mention_name', offset: 0, length: 3 })[0]).toMatch(
      /^MessageEntity\.type: must be one of mention, hashtag, .*text_mention/,
    );
  });

  it('tells a Message from an InaccessibleMessage (date always 0)', () => {
    expect(v.type('MaybeInaccessibleMessage', message)).toEqual([]);
    expect(v.type('MaybeInaccessibleMessage', { chat, message_id: 3, date: 0 })).toEqual([]);
    expect(v.type('InaccessibleMessage', { chat, message_id: 3, date: 5 })).toEqual(['InaccessibleMessage.date: must be 0, got 5']);
  });

  it('accepts the empty service types only empty', () => {
    expect(v.type('ForumTopicClosed', {})).toEqual([]);
    expect(v.type('ForumTopicClosed', { closed: true })).toEqual(['ForumTopicClosed.closed: ForumTopicClosed has no field closed']);
  });

  it('validates updates: the Update type with exactly one kind', () => {
    expect(v.update({ update_id: 1, message })).toEqual([]);
    expect(v.update({ update_id: 1, message, edited_message: message })).toEqual(['Update: carries 2 kinds (message, edited_message), not exactly one']);
    expect(v.update({ update_id: 1, shipping: {} })).toEqual(['Update.shipping: Update has no field shipping']);
    expect(v.update({ update_id: 1 })).toEqual(['Update: carries 0 kinds (none), not exactly one']);
    expect(v.result('sendTelepathy', true)).toEqual(['sendTelepathy: not a Bot API method of Bot API 10.1']);
  });
});
