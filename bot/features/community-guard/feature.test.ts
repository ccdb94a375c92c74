/**
 * The community chat guard end to end through the sandbox (a community supergroup, sandbox/groups.ts): join requests
 * pass (approved), fail (declined) and time out (declined, across a restart); someone else pressing is refused; a new
 * member is restricted until the captcha and removed on failure; a newcomer's link is held until they have written
 * COMMUNITY_NEWCOMER_MESSAGES real messages; a clone of the official account is flagged (escaped, no name in the
 * event), and so is a member who renames into one later; "joined" notices are deleted and a newcomer's forwarded
 * channel post is held; the official accounts are pinned once and edited in place. Plus the confusables of clones.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../../sandbox/client.js';
import { ofCustomer, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';
import { cloneOf, skeleton } from './clones.js';
import { ensureOfficialPin } from './feature.js';

const COMMUNITY = -1003000000001;
const ESC = -1002000000002;
const EMOJI: Record<string, string> = { apple: '🍎', car: '🚗', cat: '🐱', house: '🏠', star: '⭐', umbrella: '☂️' };
const ALL = Object.values(EMOJI);
const MINUTE = 60_000;
let h: FeatureHarness;

beforeAll(async () => {
  h = await startFeatureHarness({
    env: { COMMUNITY_CHAT_ID: String(COMMUNITY), COMMUNITY_CAPTCHA_TIMEOUT: '2m', COMMUNITY_NEWCOMER_MESSAGES: '3', OFFICIAL_ACCOUNTS: '@acme_support' },
  });
  await h.client.createGroup({ chat_id: COMMUNITY, title: 'Acme community' });
}, 60_000);
afterAll(async () => h?.close());

/** Waits until the guard has counted this many real messages of the member (so their latest message was handled). */
const waitCount = (userId: number, n: number) =>
  h.client.waitFor(
    async () =>
      (await h.db.query<{ messages: number }>('SELECT messages FROM community_members WHERE chat_id = $1 AND customer_id = $2', [COMMUNITY, userId])).rows[0]
        ?.messages === n,
    { what: `${userId} counted ${n}`, timeoutMs: 10_000 },
  );
const status = async (userId: number) => (await h.client.getGroup(COMMUNITY)).members.find((m) => m.user_id === userId)?.status ?? 'left';
const waitStatus = (userId: number, want: string) =>
  h.client.waitFor(async () => (await status(userId)) === want, { what: `${userId} ${want}`, timeoutMs: 10_000 });

/** The captcha a join requester got in private: its message and the emoji of the object it names (en wording). */
async function privateCaptcha(userId: number): Promise<{ message: MessageView; right: string }> {
  const message = await h.client.waitForCustomerMessage(userId, /press the/, { timeoutMs: 10_000 });
  return { message, right: EMOJI[/press the (\w+)/.exec(message.text ?? '')![1]!]! };
}

/** The captcha a new member got in the community chat (the latest one naming them). */
async function groupCaptcha(name: string): Promise<{ message: MessageView; right: string }> {
  const message = await h.client.waitFor(
    async () => (await h.client.getChatMessages(COMMUNITY)).findLast((m) => m.from === 'bot' && (m.text ?? '').includes(`Welcome, ${name}`) && m.buttons),
    { what: `captcha for ${name}`, timeoutMs: 10_000 },
  );
  return { message, right: EMOJI[/press the (\w+)/.exec(message.text ?? '')![1]!]! };
}

describe('join requests: a captcha in a private message', () => {
  it('the right button approves the request; captcha_passed carries the pseudonym, no name', async () => {
    const U = 9101;
    await h.client.requestToJoin(COMMUNITY, { user_id: U, first_name: 'Nina', language_code: 'en' });
    const { message, right } = await privateCaptcha(U);
    expect(message.buttons?.flat()).toHaveLength(4);
    expect(message.text).toMatch(/within 2 minutes/);
    await h.client.pressCustomerButton(U, right);
    await waitStatus(U, 'member');
    await h.client.waitForCustomerMessage(U, /your request is approved/);
    const mine = await ofCustomer(h, U);
    const passed = (await h.eventsOf('captcha_passed')).filter(mine);
    expect(passed).toMatchObject([{ join_kind: 'join_request' }]);
    expect(passed[0]!.captcha_seconds).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(passed)).not.toContain('Nina');
    // Approved after the captcha: joining is not a second captcha — not restricted, they write at once.
    await h.client.sendSupportMessage({ chat_id: COMMUNITY, from_id: U, text: 'hello there' });
    await waitCount(U, 1);
    expect(await status(U)).toBe('member');
    expect((await h.client.getChatMessages(COMMUNITY)).some((m) => m.from === 'bot' && /Nina/.test(m.text ?? ''))).toBe(false);
  });

  it('a wrong button declines it (in the person’s language); they may ask again', async () => {
    const U = 9102;
    await h.client.requestToJoin(COMMUNITY, { user_id: U, first_name: 'Oleg', language_code: 'ru' });
    const message = await h.client.waitForCustomerMessage(U, /нажмите/, { timeoutMs: 10_000 });
    const word = /нажмите (\S+)\./.exec(message.text ?? '')![1]!;
    const ru: Record<string, string> = { яблоко: '🍎', машину: '🚗', кошку: '🐱', дом: '🏠', звезду: '⭐', зонтик: '☂️' };
    const wrong = message.buttons!.flat().find((b) => b !== ru[word])!;
    await h.client.pressCustomerButton(U, wrong);
    await h.client.waitForCustomerMessage(U, /заявка отклонена/);
    expect((await h.client.getGroup(COMMUNITY)).join_requests).not.toContain(U);
    expect(await status(U)).toBe('left');
    const failed = (await h.eventsOf('captcha_failed')).filter(await ofCustomer(h, U));
    expect(failed).toMatchObject([{ join_kind: 'join_request', reason: 'wrong_answer' }]);
    // The decision replaced the captcha: no buttons left to press again.
    await expect(h.client.pressCustomerButton(U, wrong)).rejects.toMatchObject({ status: 404 });
    // A new request gets a new captcha.
    await h.client.requestToJoin(COMMUNITY, { user_id: U, first_name: 'Oleg', language_code: 'ru' });
    const second = await h.client.waitForCustomerMessage(U, /нажмите/, { timeoutMs: 10_000 }); // the first one now says "declined"
    expect(second.message_id).toBeGreaterThan(message.message_id);
  });

  it('no answer within the timeout: declined by the sweep — after a restart too, once', async () => {
    const U = 9103;
    await h.client.requestToJoin(COMMUNITY, { user_id: U, first_name: 'Pia', language_code: 'en' });
    await privateCaptcha(U);
    // Before the deadline the sweep leaves it alone.
    await h.runJobs(new Date(Date.now() + MINUTE));
    expect((await h.client.getGroup(COMMUNITY)).join_requests).toContain(U);
    await h.restart();
    await h.runJobs(new Date(Date.now() + 3 * MINUTE));
    await h.client.waitForCustomerMessage(U, /Time is up/);
    expect((await h.client.getGroup(COMMUNITY)).join_requests).not.toContain(U);
    expect(await status(U)).toBe('left');
    await h.runJobs(new Date(Date.now() + 4 * MINUTE));
    expect((await h.eventsOf('captcha_failed')).filter(await ofCustomer(h, U))).toMatchObject([{ join_kind: 'join_request', reason: 'timeout' }]);
  });
});

describe('new members: restricted until the captcha in the chat', () => {
  it('someone else pressing is refused; the newcomer’s right button lifts the restriction', async () => {
    const U = 9201;
    const OTHER = 9202;
    await h.client.setMember({ chat_id: COMMUNITY, user_id: OTHER, status: 'member', first_name: 'Helper' });
    await h.client.joinGroup(COMMUNITY, { user_id: U, first_name: 'Rita', language_code: 'en' });
    const { message, right } = await groupCaptcha('Rita');
    await waitStatus(U, 'restricted');
    await expect(h.client.sendSupportMessage({ chat_id: COMMUNITY, from_id: U, text: 'buy crypto now' })).rejects.toMatchObject({ status: 403 });

    const press = await h.client.pressSupportButton({ chat_id: COMMUNITY, from_id: OTHER, message_id: message.message_id, text: right });
    const answer = await h.client.waitFor(
      async () =>
        (await h.client.getChatMessages(COMMUNITY))
          .find((m) => m.message_id === message.message_id)
          ?.callback_answers.find((a) => a.callback_query_id === press.callback_query_id),
      { what: 'the refusal', timeoutMs: 10_000 },
    );
    expect(answer).toMatchObject({ show_alert: true, text: expect.stringMatching(/only the person who just joined/) });
    expect(await status(U)).toBe('restricted');

    await h.client.pressSupportButton({ chat_id: COMMUNITY, from_id: U, message_id: message.message_id, text: right });
    await waitStatus(U, 'member');
    // The captcha message is gone; the newcomer can write.
    await h.client.waitFor(async () => !(await h.client.getChatMessages(COMMUNITY)).some((m) => m.message_id === message.message_id), {
      what: 'captcha deleted',
      timeoutMs: 10_000,
    });
    await h.client.sendSupportMessage({ chat_id: COMMUNITY, from_id: U, text: 'hello everyone' });
    expect((await h.eventsOf('captcha_passed')).filter(await ofCustomer(h, U))).toMatchObject([{ join_kind: 'member' }]);
    expect(await h.eventsOf('captcha_failed').then((e) => e.filter((x) => x.reason !== 'timeout' && x.reason !== 'wrong_answer'))).toEqual([]);
  });

  it('a wrong button removes the newcomer (a kick: they can join again and get a new captcha); a timeout too', async () => {
    const U = 9203;
    await h.client.joinGroup(COMMUNITY, { user_id: U, first_name: 'Sam', language_code: 'en' });
    const { message, right } = await groupCaptcha('Sam');
    const wrong = ALL.find((e) => e !== right && message.buttons!.flat().includes(e))!;
    await h.client.pressSupportButton({ chat_id: COMMUNITY, from_id: U, message_id: message.message_id, text: wrong });
    await waitStatus(U, 'left');

    await h.client.joinGroup(COMMUNITY, { user_id: U, first_name: 'Sam', language_code: 'en' });
    const second = await groupCaptcha('Sam');
    expect(second.message.message_id).not.toBe(message.message_id);
    await waitStatus(U, 'restricted');
    await h.runJobs(new Date(Date.now() + 3 * MINUTE));
    await waitStatus(U, 'left');
    expect((await h.eventsOf('captcha_failed')).filter(await ofCustomer(h, U)).map((e) => [e.join_kind, e.reason])).toEqual([
      ['member', 'wrong_answer'],
      ['member', 'timeout'],
    ]);
  });
});

describe('newcomers’ links and media', () => {
  it('held (deleted, one notice) until 3 real messages; then a link stays', async () => {
    const U = 9301;
    await h.client.joinGroup(COMMUNITY, { user_id: U, first_name: 'Tom', language_code: 'en' });
    const { message, right } = await groupCaptcha('Tom');
    await h.client.pressSupportButton({ chat_id: COMMUNITY, from_id: U, message_id: message.message_id, text: right });
    await waitStatus(U, 'member');

    const spam = await h.client.sendSupportMessage({ chat_id: COMMUNITY, from_id: U, text: 'free money at https://scam.example/claim' });
    const photo = await h.client.sendSupportMessage({ chat_id: COMMUNITY, from_id: U, photo: {}, caption: 'look' } as never);
    const deleted = async (id: number) =>
      (await h.client.getChatMessages(COMMUNITY, { includeDeleted: true })).find((m) => m.message_id === id)?.deleted === true;
    await h.client.waitFor(async () => (await deleted(spam.message_id)) && (await deleted(photo.message_id)), {
      what: 'held messages deleted',
      timeoutMs: 10_000,
    });
    const notices = (await h.client.getChatMessages(COMMUNITY)).filter(
      (m) => m.from === 'bot' && /links, media and forwarded posts are open to members after 3 messages/.test(m.text ?? ''),
    );
    expect(notices).toHaveLength(1);
    expect((await h.eventsOf('community_message_held')).filter(await ofCustomer(h, U)).map((e) => e.reason)).toEqual(['link', 'media']);

    for (const text of ['hi all', 'how do I reset my router?', 'thanks!']) await h.client.sendSupportMessage({ chat_id: COMMUNITY, from_id: U, text });
    const link = await h.client.sendSupportMessage({ chat_id: COMMUNITY, from_id: U, text: 'the manual: https://acme.example/manual' });
    await waitCount(U, 4); // handled: counted as a real message, not held
    expect(await deleted(link.message_id)).toBe(false);
    expect((await h.eventsOf('community_message_held')).filter(await ofCustomer(h, U))).toHaveLength(2);

    // An administrator's first message may carry a link.
    await h.client.setMember({ chat_id: COMMUNITY, user_id: 9302, status: 'administrator', first_name: 'Moderator' });
    const announcement = await h.client.sendSupportMessage({ chat_id: COMMUNITY, from_id: 9302, text: 'status page: https://status.acme.example' });
    await waitCount(9302, 1);
    expect(await deleted(announcement.message_id)).toBe(false);
  });
  it('a newcomer’s post forwarded from a channel is held; a forward from a person is not; "joined" notices are deleted', async () => {
    const U = 9303;
    await h.client.joinGroup(COMMUNITY, { user_id: U, first_name: 'Ida', language_code: 'en' });
    const joinedNotice = async () =>
      (await h.client.getChatMessages(COMMUNITY, { includeDeleted: true })).findLast((m) => m.service === 'new_chat_members' && m.from_name === 'Ida');
    await h.client.waitFor(async () => (await joinedNotice())?.deleted === true, { what: 'the join notice deleted', timeoutMs: 10_000 });
    const { message, right } = await groupCaptcha('Ida');
    await h.client.pressSupportButton({ chat_id: COMMUNITY, from_id: U, message_id: message.message_id, text: right });
    await waitStatus(U, 'member');

    const date = Math.floor(Date.now() / 1000) - 60;
    const channelPost = await h.client.sendSupportMessage({
      chat_id: COMMUNITY,
      from_id: U,
      text: 'Big giveaway today only',
      forward_origin: { type: 'channel', chat: { id: -1009000000001, type: 'channel', title: 'Crypto Gifts' }, message_id: 7, date },
    });
    const fromPerson = await h.client.sendSupportMessage({
      chat_id: COMMUNITY,
      from_id: U,
      text: 'my friend says hello',
      forward_origin: { type: 'user', sender_user: { id: 9304, is_bot: false, first_name: 'Kim' }, date },
    });
    await waitCount(U, 1); // the person's forward is a real message: counted, kept
    const view = async (id: number) => (await h.client.getChatMessages(COMMUNITY, { includeDeleted: true })).find((m) => m.message_id === id);
    await h.client.waitFor(async () => (await view(channelPost.message_id))?.deleted === true, { what: 'the channel post held', timeoutMs: 10_000 });
    expect((await view(fromPerson.message_id))?.deleted).toBeUndefined();
    expect((await h.eventsOf('community_message_held')).filter(await ofCustomer(h, U)).map((e) => e.reason)).toEqual(['forward']);
  });
});

describe('clones of staff accounts', () => {
  it('a join request from a look-alike of @acme_support is flagged to the escalation chat, escaped; the event has no name', async () => {
    const U = 9401;
    await h.client.requestToJoin(COMMUNITY, { user_id: U, first_name: 'Acme <b>Support</b>', username: 'acme_supp0rt', language_code: 'en' });
    const flag = await h.client.waitForChatMessage(ESC, /Possible clone/, { timeoutMs: 10_000 });
    expect(flag.text).toContain('Acme <b>Support</b> · @acme_supp0rt · id 9401'); // shown as text: it was sent escaped
    expect(flag.text).toContain('@acme_support');
    const events = (await h.eventsOf('staff_clone_flagged')).filter(await ofCustomer(h, U));
    expect(events).toMatchObject([{ join_kind: 'join_request', reason: 'username' }]);
    expect(JSON.stringify(events)).not.toMatch(/acme_supp0rt|Support/);
    // An ordinary name is not flagged.
    await h.client.requestToJoin(COMMUNITY, { user_id: 9402, first_name: 'Vera', username: 'vera_k', language_code: 'en' });
    await privateCaptcha(9402);
    expect((await h.client.getChatMessages(ESC)).filter((m) => /Possible clone/.test(m.text ?? ''))).toHaveLength(1);
  });

  it('a member who renames into a look-alike later is flagged on their next message; an ordinary rename is not', async () => {
    const U = 9403;
    await h.client.requestToJoin(COMMUNITY, { user_id: U, first_name: 'Lena', username: 'lena_p', language_code: 'en' });
    await h.client.pressCustomerButton(U, (await privateCaptcha(U)).right);
    await waitStatus(U, 'member');
    const flags = async () => (await h.client.getChatMessages(ESC)).filter((m) => /renamed themselves/.test(m.text ?? ''));

    await h.client.sendSupportMessage({ chat_id: COMMUNITY, from_id: U, text: 'hello everyone', first_name: 'Lena' });
    await waitCount(U, 1);
    await h.client.sendSupportMessage({ chat_id: COMMUNITY, from_id: U, text: 'new surname here', first_name: 'Lena', last_name: 'Petrova' });
    await waitCount(U, 2);
    expect(await flags()).toHaveLength(0);

    await h.client.sendSupportMessage({
      chat_id: COMMUNITY,
      from_id: U,
      text: 'DM me for refunds',
      first_name: 'Acme',
      last_name: 'Support',
      username: 'acme_supp0rt',
    });
    const flag = await h.client.waitForChatMessage(ESC, /renamed themselves/, { timeoutMs: 10_000 });
    expect(flag.text).toContain('@acme_supp0rt · id 9403');
    await h.client.sendSupportMessage({ chat_id: COMMUNITY, from_id: U, text: 'anyone there?' });
    await waitCount(U, 4);
    expect(await flags()).toHaveLength(1); // flagged once per rename, not per message
    const events = (await h.eventsOf('staff_clone_flagged')).filter(await ofCustomer(h, U));
    expect(events).toMatchObject([{ join_kind: 'renamed', reason: 'username' }]);
    const stored = await h.db.query<{ identity_hash: string }>('SELECT identity_hash FROM community_members WHERE chat_id = $1 AND customer_id = $2', [
      COMMUNITY,
      U,
    ]);
    expect(stored.rows[0]!.identity_hash).toMatch(/^[0-9a-f]{32}$/); // a hash, never the name
  });

  it('skeletons undo case, Cyrillic and Greek look-alikes, digits and separators', () => {
    expect(skeleton('Acme_Supp0rt')).toBe(skeleton('acmesupport'));
    expect(skeleton('аcmе_suрроrt')).toBe(skeleton('acme_support')); // Cyrillic а е р о
    expect(skeleton('ACME.SUPP0RT')).toBe(skeleton('acme support'));
    expect(skeleton('acrne')).toBe(skeleton('acme'));
    expect(skeleton('heIIo')).toBe(skeleton('he11o'));
    const targets = { usernames: ['@acme_support', 'support_desk_bot'], names: ['Support Desk', 'Anna K.'] };
    expect(cloneOf({ username: 'acme_support_help', name: 'Help' }, targets)).toEqual({ reason: 'username', target: '@acme_support' });
    expect(cloneOf({ username: 'acme_suport', name: 'x' }, targets)).toEqual({ reason: 'username', target: '@acme_support' });
    expect(cloneOf({ name: 'Ѕuрроrt Dеѕk' }, targets)).toEqual({ reason: 'name', target: 'Support Desk' });
    expect(cloneOf({ username: 'support_desk_b0t', name: 'x' }, targets)).toEqual({ reason: 'username', target: '@support_desk_bot' });
    expect(cloneOf({ name: 'Anna K' }, targets)).toEqual({ reason: 'name', target: 'Anna K.' });
    // The real account, and ordinary people, are not clones.
    expect(cloneOf({ username: 'Acme_Support', name: 'Acme' }, targets)).toBeUndefined();
    expect(cloneOf({ username: 'annakowalski', name: 'Anna Kowalski' }, targets)).toBeUndefined();
    expect(cloneOf({ username: 'acme_fan', name: 'Jo' }, targets)).toBeUndefined();
  });
});

describe('the pinned official accounts', () => {
  it('sent and pinned once (en, ru, fa); edited in place when the accounts change', async () => {
    await h.runJobs();
    const pinned = async () => (await h.client.getGroup(COMMUNITY)).pinned;
    const [id] = await h.client.waitFor(async () => ((await pinned()).length ? pinned() : undefined), { what: 'a pin', timeoutMs: 10_000 });
    const view = async () => (await h.client.getChatMessages(COMMUNITY)).find((m) => m.message_id === id)!;
    expect((await view()).text).toMatch(
      /Our official accounts: @acme_support[\s\S]*Наши официальные аккаунты: @acme_support[\s\S]*حساب‌های رسمی ما: @acme_support/,
    );
    await h.runJobs();
    await ensureOfficialPin(h.desk.services, COMMUNITY, ['@acme_support'], new Date()); // unchanged: nothing sent
    expect(await pinned()).toEqual([id]);

    await ensureOfficialPin(h.desk.services, COMMUNITY, ['@acme_support', '@acme_status'], new Date());
    expect(await pinned()).toEqual([id]);
    expect((await view()).text).toContain('@acme_support, @acme_status');
    expect((await view()).edited).toBe(true);
    expect((await h.client.getChatMessages(COMMUNITY)).filter((m) => m.from === 'bot' && /official accounts/.test(m.text ?? ''))).toHaveLength(1);
  });
});
