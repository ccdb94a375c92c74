/**
 * The community chat guard (issue 17, item 6): the bot protects the company's public chat, `COMMUNITY_CHAT_ID`
 * (off when unset). The bot must be an administrator there with the rights to invite (approve join requests),
 * restrict and ban members, delete messages and pin.
 *
 * - **Captcha.** A join request (`chat_join_request`) gets a button captcha in a private message — Telegram lets a
 *   bot write to a requester for 5 minutes — "press the apple" over four emoji buttons; the right one approves the
 *   request, a wrong one declines it. Someone who joins directly (`chat_member` left → member, by themselves) is
 *   restricted at once (no messages) and gets the captcha in the chat, addressed to them; the right button lifts
 *   the restriction, a wrong one removes them. Restrict-then-kick is what the common anti-spam bots (Shieldy,
 *   Combot, Rose) do: a spam bot can post nothing before it answers, and a kick (ban + unban) rather than a ban lets
 *   a human who missed it come back and try again. No answer within `COMMUNITY_CAPTCHA_TIMEOUT` (2 min) is a
 *   failure too. Only the person the captcha is for can answer it: anyone else pressing gets an alert and changes
 *   nothing (`from.id` is checked). The deadline is a row in PostgreSQL (`community_captchas`) and a scheduler
 *   sweep settles what is overdue, so a restart loses no timeout; a press and the sweep settle a captcha once.
 * - **Newcomers' links, media and forwards** (a URL or text link, a photo, video, document, animation, audio, voice
 *   or video note, a post forwarded from a channel — the usual shapes of spam) from a member with fewer than
 *   `COMMUNITY_NEWCOMER_MESSAGES` real messages (text with letters, not a command) are deleted, with a short notice
 *   at most every 10 minutes per person; administrators are exempt.
 * - **Join and leave notices.** The "X joined" / "X left" service messages are deleted: they are noise, and a
 *   spam bot's name in them is an advert.
 * - **Clones.** A person joining whose display name or username imitates an official account (`OFFICIAL_ACCOUNTS`),
 *   the bot or an agent (clones.ts) is flagged to the escalation chat (HTML-escaped); logs carry ids only. So is a
 *   member who renames themselves into one later: Telegram sends no update for a new name, so the guard keeps a hash
 *   of each member's name and username (never the name) and checks again when a message shows another.
 * - **Official accounts.** A message naming `OFFICIAL_ACCOUNTS` (en, ru, fa) is sent and pinned once, and edited
 *   in place when the list changes (the scheduler's tick checks; community_pins keeps its id and text hash).
 *
 * Events: `captcha_passed`, `captcha_failed(timeout | wrong_answer)`, `community_message_held(link | media | forward)`,
 * `staff_clone_flagged(username | name; join_request | member | renamed)` — the person as their pseudonym
 * (customer_id), never a name.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { Composer, GrammyError, InlineKeyboard } from 'grammy';
import type { ChatMember, Message, User } from 'grammy/types';
import { loadAlertsConfig } from '../../alerts/config.js';
import type { BotContext, Desk } from '../../context.js';
import type { FeatureRuntime } from '../../runtime/runtime.js';
import { messageKind } from '../../telegram/message-kind.js';
import { escapeHtml, formatDurationWords, pickLocale } from '../../telegram/present.js';
import { ack } from '../../telegram/update.js';
import { cloneOf, type CloneMatch } from './clones.js';
import {
  captchaOf,
  claimHeldNotice,
  countMessage,
  expireCaptchas,
  messagesOf,
  noteIdentity,
  pinOf,
  savePin,
  setPromptMessage,
  settleCaptcha,
  startCaptcha,
  type Captcha,
  type JoinKind,
} from './store.js';

/** The captcha's pictures: the question names one in words, the buttons show four as emoji. */
const OBJECTS = [
  ['apple', '🍎'],
  ['car', '🚗'],
  ['cat', '🐱'],
  ['house', '🏠'],
  ['star', '⭐'],
  ['umbrella', '☂️'],
] as const;
const BUTTONS = 4;
/** One "links after N messages" notice per person per this long. */
const HELD_NOTICE_EVERY_SECONDS = 600;
/** After a failed attempt to pin, the tick tries again this much later. */
const PIN_RETRY_MS = 10 * 60 * 1000;
const CALLBACK = /^cg:(-?\d+):(\d+):([0-9a-f]{8})$/;
/** Message kinds held for newcomers (stickers, polls, locations… are neither links nor media here). */
const MEDIA = new Set(['photo', 'video', 'document', 'animation', 'audio', 'voice', 'video_note']);
/** Every sending permission: passing them all lifts a restriction (restrictChatMember). */
const ALL_SEND = {
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
};
const NO_SEND = Object.fromEntries(Object.keys(ALL_SEND).map((k) => [k, false]));

export interface CommunityGuard {
  composer: Composer<BotContext>;
}

export function communityGuardFeature(rt: FeatureRuntime): CommunityGuard {
  const composer = new Composer<BotContext>();
  const { chatId, captchaTimeoutSeconds, newcomerMessages } = rt.config.community;
  if (chatId === undefined) return { composer };
  const accounts = rt.config.trust.officialAccounts;

  rt.onScheduler((scheduler, _rt, desk) => {
    let pinned: { hash: string } | { retryAt: number } | undefined;
    scheduler.sweep('community-guard', async (now) => {
      for (const c of await expireWithEvents(desk, now)) await enforceFailure(desk, c, 'timeout');
      const hash = pinHash(desk, accounts);
      if (accounts.length && !(pinned && 'hash' in pinned && pinned.hash === hash) && !(pinned && 'retryAt' in pinned && pinned.retryAt > now.getTime())) {
        try {
          await ensureOfficialPin(desk, chatId, accounts, now);
          pinned = { hash };
        } catch (err) {
          desk.log.warn({ err: brief(err), chat: chatId }, 'community guard: could not pin the official accounts');
          pinned = { retryAt: now.getTime() + PIN_RETRY_MS };
        }
      }
    });
  });

  // ---- join requests: the captcha in a private message -------------------------------------------------
  composer.on('chat_join_request', async (ctx, next) => {
    const req = ctx.chatJoinRequest;
    if (req.chat.id !== chatId) return next();
    const at = new Date(req.date * 1000);
    await flagClone(ctx.desk, req.from, 'join_request', ctx.me, at, accounts);
    await noteIdentity(ctx.desk.db, chatId, req.from.id, identityHash(req.from));
    await askCaptcha(ctx.desk, req.from, 'join_request', req.user_chat_id, rt.clock());
  });

  // ---- new members: restricted, then the captcha in the chat ------------------------------------------
  composer.on('chat_member', async (ctx, next) => {
    const change = ctx.chatMember;
    if (change.chat.id !== chatId) return next();
    const user = change.new_chat_member.user;
    // Joined by themselves (not added by an admin, not approved after a join request's captcha), not a bot.
    if (!joined(change.old_chat_member, change.new_chat_member) || change.from.id !== user.id || change.via_join_request || user.is_bot) return next();
    await flagClone(ctx.desk, user, 'member', ctx.me, new Date(change.date * 1000), accounts);
    await noteIdentity(ctx.desk.db, chatId, user.id, identityHash(user));
    // Without the right to restrict, the captcha still stands: a failure removes them all the same.
    await ctx.api
      .restrictChatMember(chatId, user.id, NO_SEND as never)
      .catch((err: unknown) => ctx.desk.log.warn({ err: brief(err), chat: chatId, user: user.id }, 'community guard: could not restrict a new member'));
    await askCaptcha(ctx.desk, user, 'member', chatId, rt.clock());
  });

  // ---- the buttons: only the person the captcha is for ------------------------------------------------
  composer.callbackQuery(CALLBACK, async (ctx) => {
    const [, chat, person, token] = ctx.match;
    const userId = Number(person);
    const desk = ctx.desk;
    const lang = pickLocale(desk.locales, ctx.from.language_code);
    if (Number(chat) !== chatId) return ack(ctx);
    if (ctx.from.id !== userId) {
      desk.log.info({ event: 'captcha_refused', chat: chatId, user: ctx.from.id, for: userId }, 'community guard: captcha pressed by someone else');
      return ack(ctx, { text: desk.translate(lang, 'community-guard-not-yours'), show_alert: true });
    }
    const c = await captchaOf(desk.db, chatId, userId);
    if (c?.status !== 'pending') return ack(ctx, { text: desk.translate(lang, 'community-guard-expired') });
    const now = rt.clock();
    if (now >= c.deadline) {
      const failed = await settleWithEvent(desk, c, 'failed', now, 'timeout');
      await ack(ctx, { text: desk.translate(c.language, 'community-guard-expired') });
      if (failed) await enforceFailure(desk, failed, 'timeout');
      return;
    }
    if (token === c.answer) {
      const passed = await settleWithEvent(desk, c, 'passed', now);
      await ack(ctx, passed ? { text: desk.translate(c.language, 'community-guard-passed-toast') } : undefined);
      if (passed) await enforcePass(desk, passed);
    } else {
      const failed = await settleWithEvent(desk, c, 'failed', now, 'wrong_answer');
      await ack(ctx, failed ? { text: desk.translate(c.language, 'community-guard-wrong-toast') } : undefined);
      if (failed) await enforceFailure(desk, failed, 'wrong_answer');
    }
  });

  // ---- messages: join/leave notices deleted; renames checked; newcomers' links held; real ones counted -
  composer.on('message', async (ctx, next) => {
    const msg = ctx.msg;
    if (msg.chat.id !== chatId) return next();
    const desk = ctx.desk;
    if (msg.new_chat_members || msg.left_chat_member) {
      await ctx.api.deleteMessage(chatId, msg.message_id).catch((err: unknown) => {
        desk.log.warn({ err: brief(err), chat: chatId, message: msg.message_id }, 'community guard: could not delete a join/leave notice');
      });
      return;
    }
    if (!ctx.from || ctx.from.is_bot || msg.sender_chat) return next();
    const before = await noteIdentity(desk.db, chatId, ctx.from.id, identityHash(ctx.from));
    if (before !== undefined && before !== identityHash(ctx.from)) await flagClone(desk, ctx.from, 'renamed', ctx.me, new Date(msg.date * 1000), accounts);
    const kind = heldKind(msg);
    if (kind && newcomerMessages > 0 && (await messagesOf(desk.db, chatId, ctx.from.id)) < newcomerMessages && !(await isAdmin(ctx, chatId))) {
      await ctx.api.deleteMessage(chatId, msg.message_id).catch((err: unknown) => {
        desk.log.warn({ err: brief(err), chat: chatId, message: msg.message_id }, 'community guard: could not delete a held message');
      });
      const at = new Date(msg.date * 1000);
      await desk.db.transaction((tx) =>
        desk.outbox.append(tx, [{ type: 'community_message_held', occurred_at: at.toISOString(), customer_id: ctx.from!.id, language: null, reason: kind }]),
      );
      desk.log.info({ event: 'community_message_held', chat: chatId, user: ctx.from.id, reason: kind }, 'community guard: newcomer link/media held');
      if (await claimHeldNotice(desk.db, chatId, ctx.from.id, rt.clock(), HELD_NOTICE_EVERY_SECONDS)) {
        const lang = pickLocale(desk.locales, ctx.from.language_code);
        await ctx.api
          .sendMessage(chatId, desk.translate(lang, 'community-guard-held', { who: mention(ctx.from), count: newcomerMessages }), { parse_mode: 'HTML' })
          .catch((err: unknown) => desk.log.warn({ err: brief(err), chat: chatId }, 'community guard: could not post the held notice'));
      }
      return;
    }
    if (isRealMessage(msg)) await countMessage(desk.db, chatId, ctx.from.id);
    return next();
  });

  // ---- the steps ---------------------------------------------------------------------------------------

  async function askCaptcha(desk: Desk, user: User, kind: JoinKind, promptChat: number, now: Date): Promise<void> {
    const lang = pickLocale(desk.locales, user.language_code);
    const choices = pickObjects();
    const right = choices[randomInt(choices.length)]!;
    const c = await startCaptcha(desk.db, {
      chat_id: chatId!,
      customer_id: user.id,
      join_kind: kind,
      answer: right.token,
      prompt_chat_id: promptChat,
      language: lang,
      created_at: now,
      deadline: new Date(now.getTime() + captchaTimeoutSeconds * 1000),
    });
    if (!c) return; // already waiting for this person's answer (the same join delivered again)
    const keyboard = new InlineKeyboard();
    for (const o of choices) keyboard.text(o.emoji, `cg:${chatId}:${user.id}:${o.token}`);
    const vars = {
      who: mention(user),
      object: desk.translate(lang, `community-guard-object-${right.name}`),
      time: formatDurationWords(captchaTimeoutSeconds, lang),
    };
    const text = desk.translate(lang, kind === 'join_request' ? 'community-guard-captcha-request' : 'community-guard-captcha-member', vars);
    try {
      const sent = await desk.api.sendMessage(promptChat, text, { parse_mode: 'HTML', reply_markup: keyboard });
      await setPromptMessage(desk.db, chatId!, user.id, sent.message_id);
    } catch (err) {
      // Unanswerable now: the sweep settles it as a timeout (declined / removed), so nobody stays in between for good.
      desk.log.warn({ err: brief(err), chat: chatId, user: user.id, kind }, 'community guard: could not send the captcha');
    }
    desk.log.info({ event: 'captcha_sent', chat: chatId, user: user.id, kind }, 'community guard: captcha sent');
  }

  /** Settles the captcha and writes its event in one transaction; undefined when it was settled already. */
  async function settleWithEvent(desk: Desk, c: Captcha, status: 'passed' | 'failed', now: Date, reason?: 'timeout' | 'wrong_answer') {
    return desk.db.transaction(async (tx) => {
      const settled = await settleCaptcha(tx, c.chat_id, c.customer_id, status, now);
      if (!settled) return undefined;
      const base = { occurred_at: now.toISOString(), customer_id: c.customer_id, language: c.language, join_kind: c.join_kind };
      await desk.outbox.append(tx, [
        status === 'passed'
          ? { type: 'captcha_passed', ...base, captcha_seconds: Math.max(0, (now.getTime() - new Date(c.created_at).getTime()) / 1000) }
          : { type: 'captcha_failed', ...base, reason: reason! },
      ]);
      return settled;
    });
  }

  async function expireWithEvents(desk: Desk, now: Date): Promise<Captcha[]> {
    return desk.db.transaction(async (tx) => {
      const expired = await expireCaptchas(tx, now);
      if (expired.length)
        await desk.outbox.append(
          tx,
          expired.map((c) => ({
            type: 'captcha_failed' as const,
            occurred_at: now.toISOString(),
            customer_id: c.customer_id,
            language: c.language,
            join_kind: c.join_kind,
            reason: 'timeout' as const,
          })),
        );
      return expired;
    });
  }

  async function enforcePass(desk: Desk, c: Captcha): Promise<void> {
    desk.log.info({ event: 'captcha_passed', chat: c.chat_id, user: c.customer_id, kind: c.join_kind }, 'community guard: captcha passed');
    if (c.join_kind === 'join_request') {
      // The message first: the bot may write to a requester only until their request is processed.
      await editPrompt(desk, c, desk.translate(c.language, 'community-guard-approved'));
      await desk.api.approveChatJoinRequest(c.chat_id, c.customer_id).catch(logged(desk, c, 'approve the join request'));
    } else {
      await desk.api.restrictChatMember(c.chat_id, c.customer_id, ALL_SEND).catch(logged(desk, c, 'lift the restriction'));
      await deletePrompt(desk, c);
    }
  }

  async function enforceFailure(desk: Desk, c: Captcha, reason: 'timeout' | 'wrong_answer'): Promise<void> {
    desk.log.info({ event: 'captcha_failed', chat: c.chat_id, user: c.customer_id, kind: c.join_kind, reason }, 'community guard: captcha failed');
    if (c.join_kind === 'join_request') {
      await editPrompt(desk, c, desk.translate(c.language, reason === 'timeout' ? 'community-guard-declined-timeout' : 'community-guard-declined-wrong'));
      await desk.api.declineChatJoinRequest(c.chat_id, c.customer_id).catch(logged(desk, c, 'decline the join request'));
    } else {
      // A kick, not a ban: removed now, free to join again and answer the next captcha.
      await desk.api.banChatMember(c.chat_id, c.customer_id).catch(logged(desk, c, 'remove the member'));
      await desk.api.unbanChatMember(c.chat_id, c.customer_id, { only_if_banned: true }).catch(logged(desk, c, 'unban the removed member'));
      await deletePrompt(desk, c);
    }
  }

  return { composer };
}

// ---- the pinned official accounts ----------------------------------------------------------------------

/** The pinned message's text: the official accounts in every language the desk speaks to customers in. */
function pinText(desk: Desk, accounts: readonly string[]): string {
  const langs = ['en', 'ru', 'fa'].filter((l) => desk.locales.includes(l));
  return langs.map((l) => desk.translate(l, 'community-guard-official', { accounts: accounts.join(', ') })).join('\n\n');
}

const pinHash = (desk: Desk, accounts: readonly string[]) => createHash('sha256').update(pinText(desk, accounts)).digest('hex').slice(0, 16);

/**
 * Keeps the community chat's "official accounts" message current: sent and pinned once; edited in place when the
 * accounts change; sent and pinned again only if it was deleted.
 */
export async function ensureOfficialPin(desk: Desk, chatId: number, accounts: readonly string[], now: Date): Promise<void> {
  const text = pinText(desk, accounts);
  const hash = pinHash(desk, accounts);
  const pin = await pinOf(desk.db, chatId);
  if (pin?.text_hash === hash) return;
  if (pin) {
    try {
      await desk.api.editMessageText(chatId, pin.message_id, text);
      await savePin(desk.db, chatId, pin.message_id, hash, now);
      desk.log.info({ event: 'community_pin_updated', chat: chatId, message: pin.message_id }, 'community guard: official accounts updated');
      return;
    } catch (err) {
      if (err instanceof GrammyError && /message is not modified/.test(err.description)) return savePin(desk.db, chatId, pin.message_id, hash, now);
      if (!(err instanceof GrammyError && /message to edit not found|message can't be edited/.test(err.description))) throw err;
      // Deleted by someone: send it again below.
    }
  }
  const sent = await desk.api.sendMessage(chatId, text);
  await desk.api.pinChatMessage(chatId, sent.message_id, { disable_notification: true });
  await savePin(desk.db, chatId, sent.message_id, hash, now);
  desk.log.info({ event: 'community_pin_sent', chat: chatId, message: sent.message_id }, 'community guard: official accounts pinned');
}

// ---- helpers -------------------------------------------------------------------------------------------

function pickObjects(): Array<{ name: string; emoji: string; token: string }> {
  const pool = [...OBJECTS];
  const out: Array<{ name: string; emoji: string; token: string }> = [];
  while (out.length < BUTTONS) {
    const [name, emoji] = pool.splice(randomInt(pool.length), 1)[0]!;
    out.push({ name, emoji, token: randomBytes(4).toString('hex') });
  }
  return out;
}

/** left/kicked (or restricted outside the chat) → a member: someone joined. */
function joined(before: ChatMember, after: ChatMember): boolean {
  const wasIn =
    before.status === 'member' || before.status === 'administrator' || before.status === 'creator' || (before.status === 'restricted' && before.is_member);
  const isIn = after.status === 'member' || (after.status === 'restricted' && after.is_member);
  return !wasIn && isIn;
}

/**
 * A link (URL or text link, in the text or the caption), a piece of media or a post forwarded from a channel: what a
 * newcomer's message is held for.
 */
function heldKind(msg: Message): 'link' | 'media' | 'forward' | undefined {
  if (msg.forward_origin?.type === 'channel') return 'forward';
  const entities = [...(msg.entities ?? []), ...(msg.caption_entities ?? [])];
  if (entities.some((e) => e.type === 'url' || e.type === 'text_link')) return 'link';
  return MEDIA.has(messageKind(msg)) ? 'media' : undefined;
}

/** A message that counts towards "N real messages": text with letters, not a command (service messages have none). */
function isRealMessage(msg: Message): boolean {
  const text = msg.text ?? '';
  return !text.startsWith('/') && /\p{L}.*\p{L}/su.test(text);
}

async function isAdmin(ctx: BotContext, chatId: number): Promise<boolean> {
  try {
    const m = await ctx.api.getChatMember(chatId, ctx.from!.id);
    return m.status === 'administrator' || m.status === 'creator';
  } catch {
    return false;
  }
}

/** A member's name and username as one short hash (salted by their id): tells a rename without keeping the name. */
function identityHash(user: User): string {
  return createHash('sha256')
    .update(`${user.id}\u0000${user.first_name}\u0000${user.last_name ?? ''}\u0000${user.username ?? ''}`)
    .digest('hex')
    .slice(0, 32);
}

/** The person, addressed in the chat (their name as Telegram shows it, escaped). */
function mention(user: User): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return `<a href="tg://user?id=${user.id}">${escapeHtml(name)}</a>`;
}

/** Flags a clone of the desk's accounts to the escalation chat (escaped); the event and the log carry no name. */
async function flagClone(
  desk: Desk,
  user: User,
  kind: JoinKind | 'renamed',
  me: User,
  at: Date,
  officials: readonly string[],
): Promise<CloneMatch | undefined> {
  const staff = await desk.db.query<{ id: string; display_name: string }>('SELECT id::text AS id, display_name FROM staff');
  if (user.id === me.id || staff.rows.some((s) => Number(s.id) === user.id)) return undefined;
  const match = cloneOf(
    { username: user.username, name: [user.first_name, user.last_name].filter(Boolean).join(' ') },
    { usernames: [...officials, ...(me.username ? [me.username] : [])], names: [me.first_name, ...staff.rows.map((s) => s.display_name)] },
  );
  if (!match) return undefined;
  const a = loadAlertsConfig();
  const who = [
    escapeHtml([user.first_name, user.last_name].filter(Boolean).join(' ')),
    user.username ? `@${escapeHtml(user.username)}` : undefined,
    `id ${user.id}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const text = desk.agentText(`community-guard-clone-${kind === 'join_request' ? 'request' : kind}`, {
    who,
    target: escapeHtml(match.target),
    what: desk.agentText(match.reason === 'username' ? 'community-guard-clone-by-username' : 'community-guard-clone-by-name'),
  });
  await desk.api
    .sendMessage(a.ESCALATION_CHAT_ID, text, { parse_mode: 'HTML', ...(a.ESCALATION_THREAD_ID ? { message_thread_id: a.ESCALATION_THREAD_ID } : {}) })
    .catch((err: unknown) => desk.log.warn({ err: brief(err), user: user.id }, 'community guard: could not flag a clone'));
  await desk.db.transaction((tx) =>
    desk.outbox.append(tx, [
      { type: 'staff_clone_flagged', occurred_at: at.toISOString(), customer_id: user.id, language: null, join_kind: kind, reason: match.reason },
    ]),
  );
  desk.log.warn({ event: 'staff_clone_flagged', user: user.id, kind, reason: match.reason }, 'community guard: possible clone of a staff account');
  return match;
}

async function editPrompt(desk: Desk, c: Captcha, text: string): Promise<void> {
  if (c.prompt_message_id === null) return;
  await desk.api.editMessageText(c.prompt_chat_id, c.prompt_message_id, text).catch(logged(desk, c, 'edit the captcha'));
}

async function deletePrompt(desk: Desk, c: Captcha): Promise<void> {
  if (c.prompt_message_id === null) return;
  await desk.api.deleteMessage(c.prompt_chat_id, c.prompt_message_id).catch(logged(desk, c, 'delete the captcha'));
}

const logged = (desk: Desk, c: Captcha, what: string) => (err: unknown) =>
  desk.log.warn({ err: brief(err), chat: c.chat_id, user: c.customer_id }, `community guard: could not ${what}`);

/** An API error without the request it carried (its payload may hold a name): the method's answer only. */
function brief(err: unknown): { code?: number; description: string } {
  return err instanceof GrammyError ? { code: err.error_code, description: err.description } : { description: err instanceof Error ? err.name : 'error' };
}
