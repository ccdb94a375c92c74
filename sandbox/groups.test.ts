/**
 * Other groups (sandbox/groups.ts): a community chat created by the control API, joined directly or through a join
 * request the bot approves or declines, members restricted, banned and unbanned — with Telegram's errors.
 */
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { SandboxControlError } from './client.js';
import { apiError, useSandbox } from './test-helpers.js';

const fx = useSandbox();
const COMMUNITY = -1003000000001;

async function updates(): Promise<Update[]> {
  const out: Update[] = [];
  for (;;) {
    const batch = await fx.bot.api.getUpdates({
      offset: (out.at(-1)?.update_id ?? 0) + 1,
      allowed_updates: ['message', 'chat_member', 'chat_join_request', 'callback_query'] as never,
    });
    if (batch.length === 0) return out;
    out.push(...batch);
  }
}

const status = async (userId: number) => (await fx.client.getGroup(COMMUNITY)).members.find((m) => m.user_id === userId)?.status ?? 'left';

describe('join requests', () => {
  it('queue chat_join_request; the bot may write to the requester for 5 minutes, until it approves: then a member via_join_request', async () => {
    await updates(); // allowed_updates now include chat_member
    await fx.client.createGroup({ chat_id: COMMUNITY, title: 'Community' });
    // Unknown to the bot until it asks.
    expect((await apiError(fx.bot.api.sendMessage(601, 'hi'))).description).toBe('Bad Request: chat not found');
    const req = await fx.client.requestToJoin(COMMUNITY, { user_id: 601, first_name: 'Joiner', username: 'joiner_one', bio: 'I like the product' });
    expect(req.user_chat_id).toBe(601);
    const [u] = await updates();
    expect(u?.chat_join_request).toMatchObject({
      chat: { id: COMMUNITY, type: 'supergroup' },
      from: { id: 601 },
      user_chat_id: 601,
      bio: 'I like the product',
    });

    await fx.bot.api.sendMessage(601, 'Press the button', { reply_markup: { inline_keyboard: [[{ text: 'I am human', callback_data: 'ok' }]] } });
    const press = await fx.client.pressCustomerButton(601, 'I am human');
    expect(press.data).toBe('ok');
    expect((await fx.client.getGroup(COMMUNITY)).join_requests).toEqual([601]);

    await fx.bot.api.approveChatJoinRequest(COMMUNITY, 601);
    expect(await status(601)).toBe('member');
    const after = await updates();
    const change = after.find((x) => x.chat_member)?.chat_member;
    expect(change).toMatchObject({ from: { id: fx.sandbox.world.bot.id }, new_chat_member: { status: 'member', user: { id: 601 } }, via_join_request: true });
    expect(after.some((x) => x.message?.new_chat_members?.[0]?.id === 601)).toBe(true);
    // Processed: the window is closed, and a second approval has nothing to approve.
    expect((await apiError(fx.bot.api.sendMessage(601, 'again'))).error_code).toBe(403);
    expect((await apiError(fx.bot.api.approveChatJoinRequest(COMMUNITY, 601))).description).toBe('Bad Request: USER_ALREADY_PARTICIPANT');
  });

  it('decline removes the request (a second one: HIDE_REQUESTER_MISSING); the write window ends after 5 minutes', async () => {
    await fx.client.createGroup({ chat_id: COMMUNITY, title: 'Community' });
    await fx.client.requestToJoin(COMMUNITY, { user_id: 602, first_name: 'Declined' });
    await fx.bot.api.declineChatJoinRequest(COMMUNITY, 602);
    expect(await status(602)).toBe('left');
    expect((await apiError(fx.bot.api.declineChatJoinRequest(COMMUNITY, 602))).description).toBe('Bad Request: HIDE_REQUESTER_MISSING');

    await fx.client.requestToJoin(COMMUNITY, { user_id: 604, first_name: 'Slow' });
    await fx.bot.api.sendMessage(604, 'captcha');
    await fx.client.setClock({ advance_seconds: 301 });
    expect((await apiError(fx.bot.api.sendMessage(604, 'too late'))).description).toBe("Forbidden: bot can't initiate conversation with a user");
    // Once the user writes to the bot, it is an ordinary chat.
    await fx.client.sendCustomerMessage(604, 'hello');
    await fx.bot.api.sendMessage(604, 'now fine');
  });

  it('a member cannot ask to join, a banned user cannot join; a bot without admin rights cannot approve', async () => {
    await fx.client.createGroup({ chat_id: COMMUNITY, title: 'Community' });
    await fx.client.joinGroup(COMMUNITY, { user_id: 605 });
    await expect(fx.client.requestToJoin(COMMUNITY, { user_id: 605 })).rejects.toMatchObject({ status: 400 });
    await fx.bot.api.banChatMember(COMMUNITY, 605);
    const banned = await fx.client.joinGroup(COMMUNITY, { user_id: 605 }).catch((e: unknown) => e);
    expect(banned).toBeInstanceOf(SandboxControlError);
    expect((banned as SandboxControlError).status).toBe(403);

    await fx.client.requestToJoin(COMMUNITY, { user_id: 606 });
    await fx.client.setMember({ chat_id: COMMUNITY, user_id: fx.sandbox.world.bot.id, status: 'member' });
    expect((await apiError(fx.bot.api.approveChatJoinRequest(COMMUNITY, 606))).description).toBe('Bad Request: CHAT_ADMIN_REQUIRED');
  });
});

describe('restricting and removing members', () => {
  it('restrictChatMember: a restricted member cannot write; all permissions lift it; unbanChatMember removes a member', async () => {
    await fx.client.createGroup({ chat_id: COMMUNITY, title: 'Community' });
    await fx.client.joinGroup(COMMUNITY, { user_id: 610, first_name: 'New' });
    await fx.bot.api.restrictChatMember(COMMUNITY, 610, { can_send_messages: false });
    const member = await fx.bot.api.getChatMember(COMMUNITY, 610);
    expect(member).toMatchObject({ status: 'restricted', is_member: true, can_send_messages: false, can_react_to_messages: false, until_date: 0 });
    await expect(fx.client.sendSupportMessage({ chat_id: COMMUNITY, from_id: 610, text: 'spam' })).rejects.toMatchObject({ status: 403 });

    await fx.bot.api.restrictChatMember(COMMUNITY, 610, {
      can_send_messages: true,
      can_send_audios: true,
      can_send_documents: true,
      can_send_photos: true,
      can_send_videos: true,
      can_send_video_notes: true,
      can_send_voice_notes: true,
      can_send_polls: true,
      can_send_other_messages: true,
      can_add_web_page_previews: true,
      can_invite_users: true,
    });
    expect(await status(610)).toBe('member');
    await fx.client.sendSupportMessage({ chat_id: COMMUNITY, from_id: 610, text: 'hello all' });

    // can_send_other_messages implies sending text and media unless permissions are independent.
    await fx.bot.api.restrictChatMember(COMMUNITY, 610, { can_send_other_messages: true });
    expect(await fx.bot.api.getChatMember(COMMUNITY, 610)).toMatchObject({
      status: 'restricted',
      can_send_messages: true,
      can_send_photos: true,
      can_send_polls: false,
    });

    await fx.bot.api.unbanChatMember(COMMUNITY, 610, { only_if_banned: true });
    expect(await status(610)).toBe('restricted');
    await fx.bot.api.unbanChatMember(COMMUNITY, 610);
    expect(await status(610)).toBe('left');
    // Kicked (ban + unban) users may come back.
    await fx.client.joinGroup(COMMUNITY, { user_id: 610 });
    expect(await status(610)).toBe('member');
  });

  it('errors: private chats, administrators, the bot itself, a missing permissions object', async () => {
    await fx.client.createGroup({ chat_id: COMMUNITY, title: 'Community' });
    await fx.client.sendCustomerMessage(611, 'hi');
    expect((await apiError(fx.bot.api.restrictChatMember(611, 611, { can_send_messages: false }))).description).toBe(
      'Bad Request: method is available only for supergroups',
    );
    await fx.client.setMember({ chat_id: COMMUNITY, user_id: 612, status: 'administrator' });
    expect((await apiError(fx.bot.api.restrictChatMember(COMMUNITY, 612, { can_send_messages: false }))).description).toBe(
      'Bad Request: user is an administrator of the chat',
    );
    expect((await apiError(fx.bot.api.restrictChatMember(COMMUNITY, fx.sandbox.world.bot.id, {}))).description).toBe("Bad Request: can't restrict self");
    const raw = await fetch(`${fx.sandbox.apiRoot}/bot${fx.sandbox.token}/restrictChatMember`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: COMMUNITY, user_id: 612 }),
    });
    expect(((await raw.json()) as { description: string }).description).toBe('Bad Request: permissions is empty');
  });
});
