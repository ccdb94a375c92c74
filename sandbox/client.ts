/**
 * Typed client for the sandbox control API, used by the bot's end-to-end tests,
 * the traffic simulator, the demo and the benchmarks. Every endpoint of
 * sandbox/README.md has a method here, plus `waitFor…` helpers that poll until
 * the bot has reacted (no fixed sleeps in tests).
 */
import type { FaultSpec } from './faults.js';
import type { SandboxChatIds } from './identities.js';
import type { MemberStatus, TgUser } from './state.js';
import type { MessageView, TopicView } from './views.js';

export type { FaultSpec, MessageView, TopicView, MemberStatus };

/** Media given as small objects: `{ photo: {} }`, `{ document: { file_name: 'a.pdf' } }`, `{ location: { latitude, longitude } }`. */
export interface MediaInput {
  photo?: { width?: number; height?: number; file_size?: number };
  document?: { file_name?: string; mime_type?: string; file_size?: number };
  video?: { width?: number; height?: number; duration?: number; file_name?: string; mime_type?: string };
  audio?: { duration?: number; performer?: string; title?: string; file_name?: string };
  voice?: { duration?: number };
  video_note?: { length?: number; duration?: number };
  animation?: { width?: number; height?: number; duration?: number; file_name?: string };
  sticker?: { emoji?: string; set_name?: string; is_animated?: boolean; is_video?: boolean };
  location?: { latitude: number; longitude: number; horizontal_accuracy?: number };
  venue?: { latitude: number; longitude: number; title: string; address: string; foursquare_id?: string };
  contact?: { phone_number: string; first_name: string; last_name?: string; user_id?: number; vcard?: string };
  /** A quiz without `correct_option_id(s)` behaves like a forwarded one: the bot cannot copy it. */
  poll?: {
    question: string;
    options: string[];
    type?: 'regular' | 'quiz';
    correct_option_id?: number;
    correct_option_ids?: number[];
    is_anonymous?: boolean;
    allows_multiple_answers?: boolean;
  };
  dice?: { emoji?: '🎲' | '🎯' | '🏀' | '⚽' | '🎳' | '🎰'; value?: number };
}

export interface ProfileInput {
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface CustomerMessageInput extends MediaInput, ProfileInput {
  text?: string;
  caption?: string;
  /** Unix seconds; the update's message date is exactly this (history replay). */
  date?: number;
  reply_to_message_id?: number;
  media_group_id?: string;
  /** A forwarded message: Telegram's MessageOrigin (`{ type: 'user', sender_user: { id, is_bot, first_name, username }, date }`, `hidden_user`, `chat`, `channel`). */
  forward_origin?: Record<string, unknown> & { type: 'user' | 'hidden_user' | 'chat' | 'channel'; date: number };
}

export interface SupportMessageInput extends CustomerMessageInput {
  from_id: number;
  /** Omitted → the General topic. */
  thread_id?: number;
  /** Defaults to the support chat; e.g. the escalation chat id. */
  chat_id?: number;
  /** Write as a user who is not a member of the group (the bot should ignore outsiders). */
  not_member?: boolean;
}

export interface EditInput {
  text?: string;
  caption?: string;
  date?: number;
}

export interface PressOptions {
  /** Unix seconds: when the press happened (history replay). Telegram's callback_query has no date; the bot's answers carry it. */
  date?: number;
}

export interface PressResult {
  callback_query_id: string;
  message_id: number;
  data: string;
}

export interface SandboxStatsView {
  calls: Record<string, number>;
  faults_served: Record<string, number>;
  too_many_requests: number;
  flood_limited: number;
  errors: Record<string, number>;
  updates: { queued: number; pending: number };
  webhook: { delivered: number; failed: number };
  chats: number;
  messages: number;
}

export interface SandboxInfo {
  bot: TgUser;
  token: string;
  api_root: string;
  chat_ids: SandboxChatIds;
  webhook: Record<string, unknown>;
}

export interface WaitOptions {
  /** Default 5000 ms. */
  timeoutMs?: number;
  /** Poll interval, default 25 ms. */
  intervalMs?: number;
}

export type MessageMatch = string | RegExp | ((m: MessageView) => boolean);
export type TopicMatch = string | RegExp | ((t: TopicView) => boolean);

export class SandboxControlError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly path: string,
  ) {
    super(`sandbox ${path}: ${status} ${reason}`);
    this.name = 'SandboxControlError';
  }
}

export class SandboxTimeoutError extends Error {
  constructor(what: string, timeoutMs: number, lastSeen: unknown) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(lastSeen, null, 1)?.slice(0, 2000)}`);
    this.name = 'SandboxTimeoutError';
  }
}

function matches(m: MessageView, match: MessageMatch): boolean {
  if (typeof match === 'function') return match(m);
  const text = m.text ?? m.caption ?? '';
  return typeof match === 'string' ? text.includes(match) : match.test(text);
}

function topicMatches(t: TopicView, match: TopicMatch): boolean {
  if (typeof match === 'function') return match(t);
  return typeof match === 'string' ? t.name.includes(match) : match.test(t.name);
}

export class SandboxClient {
  private readonly base: string;

  /** `baseUrl` is the sandbox root (the same as grammY's apiRoot), e.g. http://127.0.0.1:8081. */
  constructor(baseUrl: string) {
    this.base = `${baseUrl.replace(/\/$/, '')}/sandbox`;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    const payload = (await res.json().catch(() => ({}))) as { error?: string };
    if (!res.ok) throw new SandboxControlError(res.status, payload.error ?? res.statusText, `${method} ${path}`);
    return payload as T;
  }

  private static query(q: Record<string, string | number | boolean | undefined>): string {
    const parts = Object.entries(q)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
    return parts.length ? `?${parts.join('&')}` : '';
  }

  // ---- customers ----

  /** A customer writes to the bot in private; a string is shorthand for `{ text }`. */
  sendCustomerMessage(userId: number, input: CustomerMessageInput | string): Promise<{ message_id: number }> {
    return this.call('POST', `/customers/${userId}/messages`, typeof input === 'string' ? { text: input } : input);
  }

  editCustomerMessage(userId: number, messageId: number, input: EditInput): Promise<{ message_id: number; edit_date: number }> {
    return this.call('PATCH', `/customers/${userId}/messages/${messageId}`, input);
  }

  /** The private chat as the customer sees it, both directions, oldest first. */
  getCustomerMessages(userId: number, opts: { includeDeleted?: boolean; since?: number } = {}): Promise<MessageView[]> {
    return this.call('GET', `/customers/${userId}/messages${SandboxClient.query({ include_deleted: opts.includeDeleted, since: opts.since })}`);
  }

  /** The customer's profile, whether they blocked the bot, the reply keyboard shown and the last chat action. */
  getCustomer(userId: number): Promise<{
    user: TgUser;
    blocked: boolean;
    messages: number;
    reply_keyboard?: Record<string, unknown>;
    last_chat_action?: { action: string; date: number };
  }> {
    return this.call('GET', `/customers/${userId}`);
  }

  /**
   * Presses the button labelled `text` (exact, else containing) on the latest bot message that has it.
   * `date` (unix seconds, replaying history): the bot's answers to the press are dated then.
   */
  pressCustomerButton(userId: number, text: string, opts: PressOptions = {}): Promise<PressResult> {
    return this.call('POST', `/customers/${userId}/press`, { text, ...opts });
  }

  /** Presses a button of the reply keyboard shown to the customer: its label is sent as a message (dated `date`, if given) or the contact/location it requests. */
  pressKeyboardButton(userId: number, text: string, opts: PressOptions = {}): Promise<{ message_id: number }> {
    return this.call('POST', `/customers/${userId}/keyboard`, { text, ...opts });
  }

  /** The customer reacts to a message; `[]` removes their reaction. A `message_reaction` update reaches bots that asked for it. */
  reactToMessage(userId: number, messageId: number, emoji: string[], date?: number): Promise<{ message_id: number; emoji: string[] }> {
    return this.call('POST', `/customers/${userId}/messages/${messageId}/reaction`, { emoji, ...(date !== undefined ? { date } : {}) });
  }

  blockBot(userId: number): Promise<{ blocked: true }> {
    return this.call('POST', `/customers/${userId}/block`, {});
  }

  /**
   * The customer opens the bot's Mini App (its menu button, or a web_app button with `url`): launch data
   * signed with the sandbox's token, and the URL with #tgWebAppData as Telegram's client opens it (null when
   * the bot set no web_app menu button and no `url` is given).
   */
  openWebApp(
    userId: number,
    opts: { start_param?: string; url?: string; auth_date?: number } = {},
  ): Promise<{ url: string | null; init_data: string; user: { id: number; first_name: string; language_code?: string } }> {
    const q = new URLSearchParams(Object.entries(opts).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
    return this.call('GET', `/customers/${userId}/webapp${q.size ? `?${q}` : ''}`);
  }

  unblockBot(userId: number): Promise<{ blocked: false }> {
    return this.call('POST', `/customers/${userId}/unblock`, {});
  }

  // ---- support group ----

  /** An agent writes in a topic of the support group (General when thread_id is omitted). */
  sendSupportMessage(input: SupportMessageInput): Promise<{ message_id: number; thread_id?: number }> {
    return this.call('POST', '/support/messages', input);
  }

  editSupportMessage(messageId: number, input: EditInput & { chat_id?: number }): Promise<{ message_id: number; edit_date: number }> {
    return this.call('PATCH', `/support/messages/${messageId}`, input);
  }

  /** An agent presses a button on a bot message in the group (by message_id, or the latest in thread_id/the chat). */
  pressSupportButton(
    input: PressOptions & { from_id: number; text: string; message_id?: number; thread_id?: number; chat_id?: number; not_member?: boolean },
  ): Promise<PressResult> {
    return this.call('POST', '/support/press', input);
  }

  setMember(input: {
    user_id: number;
    status: MemberStatus;
    chat_id?: number;
    first_name?: string;
    can_manage_topics?: boolean;
  }): Promise<{ user_id: number; status: MemberStatus }> {
    return this.call('POST', '/support/members', input);
  }

  /** The support group's (or chat_id's) settings: is_forum false makes it a group without topics. */
  setChat(input: { is_forum: boolean; chat_id?: number }): Promise<{ chat_id: number; is_forum: boolean }> {
    return this.call('PATCH', '/support/chat', input);
  }

  getTopics(chatId?: number): Promise<TopicView[]> {
    return this.call('GET', `/support/topics${SandboxClient.query({ chat_id: chatId })}`);
  }

  createTopic(input: { from_id: number; name: string; chat_id?: number; icon_color?: number }): Promise<TopicView> {
    return this.call('POST', '/support/topics', input);
  }

  /** An agent renames, closes or reopens a topic (the bot gets the service message). */
  updateTopic(threadId: number, input: { from_id: number; name?: string; closed?: boolean; chat_id?: number }): Promise<TopicView> {
    return this.call('PATCH', `/support/topics/${threadId}`, input);
  }

  /** Someone deletes the topic; later sends into it fail with "message thread not found". */
  deleteTopic(threadId: number, chatId?: number): Promise<{ thread_id: number; deleted: true }> {
    return this.call('DELETE', `/support/topics/${threadId}${SandboxClient.query({ chat_id: chatId })}`);
  }

  // ---- other groups (a community chat, sandbox/groups.ts) ----

  /** A supergroup (not a forum) with the bot as administrator; idempotent. */
  createGroup(input: { chat_id: number; title: string; username?: string }): Promise<{ chat_id: number; title: string }> {
    return this.call('POST', '/groups', input);
  }

  /** A group's members (status, a restricted member's permissions), pending join requests (user ids) and pinned message ids. */
  getGroup(chatId: number): Promise<{
    chat_id: number;
    title: string;
    members: Array<{ user_id: number; status: MemberStatus; permissions?: Record<string, boolean> }>;
    join_requests: number[];
    pinned: number[];
  }> {
    return this.call('GET', `/groups/${chatId}`);
  }

  /** A user asks to join the group: a chat_join_request update; the bot may then write to them for 5 minutes. */
  requestToJoin(
    chatId: number,
    input: { user_id: number; first_name?: string; last_name?: string; username?: string; language_code?: string; bio?: string; date?: number },
  ): Promise<{ user_chat_id: number; date: number }> {
    return this.call('POST', `/groups/${chatId}/join_requests`, input);
  }

  /** A user joins the group by a public link: a chat_member update and the new_chat_members service message. */
  joinGroup(
    chatId: number,
    input: { user_id: number; first_name?: string; last_name?: string; username?: string; language_code?: string; date?: number },
  ): Promise<{ user_id: number; status: 'member' }> {
    return this.call('POST', `/groups/${chatId}/join`, input);
  }

  /** Any chat's messages (the support group, the escalation chat, a private chat); `threadId` 1 = General. */
  getChatMessages(chatId: number, opts: { threadId?: number; includeDeleted?: boolean; since?: number } = {}): Promise<MessageView[]> {
    return this.call(
      'GET',
      `/chats/${chatId}/messages${SandboxClient.query({ thread_id: opts.threadId, include_deleted: opts.includeDeleted, since: opts.since })}`,
    );
  }

  // ---- faults, stats, reset ----

  injectFault(spec: FaultSpec): Promise<{ id: number }> {
    return this.call('POST', '/faults', spec);
  }

  getFaults(): Promise<Array<FaultSpec & { id: number; remaining: number | null; served: number }>> {
    return this.call('GET', '/faults');
  }

  clearFaults(): Promise<{ cleared: true }> {
    return this.call('DELETE', '/faults');
  }

  getStats(): Promise<SandboxStatsView> {
    return this.call('GET', '/stats');
  }

  /** Up to 100 updates waiting for the bot, not confirmed by this call. */
  getPendingUpdates(): Promise<Array<Record<string, unknown> & { update_id: number }>> {
    return this.call('GET', '/updates');
  }

  getInfo(): Promise<SandboxInfo> {
    return this.call('GET', '/info');
  }

  getClock(): Promise<{ now: number; offset_seconds: number }> {
    return this.call('GET', '/clock');
  }

  /**
   * Sets the sandbox clock to `unix` seconds and/or advances it, for everyone: new message dates and callback
   * expiry follow it. To replay history, give each action its `date` instead (live traffic keeps the present).
   */
  setClock(input: { unix?: number; advance_seconds?: number }): Promise<{ now: number; offset_seconds: number }> {
    return this.call('PUT', '/clock', input);
  }

  reset(): Promise<{ reset: true }> {
    return this.call('POST', '/reset', {});
  }

  // ---- waiting for the bot ----

  /** Polls `probe` until it returns a value other than undefined/false/null. */
  async waitFor<T>(probe: () => Promise<T | undefined | null | false>, opts: WaitOptions & { what?: string } = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    const intervalMs = opts.intervalMs ?? 25;
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const v = await probe();
        if (v !== undefined && v !== null && v !== false) return v;
        last = v;
      } catch (e) {
        // A customer chat may not exist yet; keep waiting.
        if (!(e instanceof SandboxControlError && e.status === 404)) throw e;
        last = e.message;
      }
      if (Date.now() >= deadline) throw new SandboxTimeoutError(opts.what ?? 'condition', timeoutMs, last);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  /** Waits until the bot has sent the customer a message matching `match` (text/caption substring, RegExp or predicate). */
  async waitForCustomerMessage(
    userId: number,
    match: MessageMatch,
    opts: WaitOptions & { after?: number; from?: 'bot' | 'customer' } = {},
  ): Promise<MessageView> {
    let seen: MessageView[] = [];
    try {
      return await this.waitFor(
        async () => {
          seen = await this.getCustomerMessages(userId, opts.after !== undefined ? { since: opts.after } : {});
          return seen.find((m) => m.from === (opts.from ?? 'bot') && matches(m, match));
        },
        { ...opts, what: `a message to customer ${userId} matching ${String(match)}` },
      );
    } catch (e) {
      if (e instanceof SandboxTimeoutError)
        throw new SandboxTimeoutError(
          `a message to customer ${userId} matching ${String(match)}`,
          opts.timeoutMs ?? 5000,
          seen.map((m) => `${m.from}: ${m.text ?? m.caption ?? m.media ?? m.service}`),
        );
      throw e;
    }
  }

  /** Waits for a message in any chat (optionally a thread) matching `match`; by default from the bot. */
  waitForChatMessage(
    chatId: number,
    match: MessageMatch,
    opts: WaitOptions & { threadId?: number; after?: number; from?: 'bot' | 'agent' | 'customer' | 'any' } = {},
  ): Promise<MessageView> {
    return this.waitFor(
      async () => {
        const list = await this.getChatMessages(chatId, {
          ...(opts.threadId !== undefined ? { threadId: opts.threadId } : {}),
          ...(opts.after !== undefined ? { since: opts.after } : {}),
        });
        return list.find((m) => (opts.from === 'any' || m.from === (opts.from ?? 'bot')) && matches(m, match));
      },
      { ...opts, what: `a message in chat ${chatId} matching ${String(match)}` },
    );
  }

  /** Waits for a topic (not deleted) whose name matches, in the support chat unless `chatId` is given. */
  waitForTopic(match: TopicMatch, opts: WaitOptions & { chatId?: number } = {}): Promise<TopicView> {
    return this.waitFor(async () => (await this.getTopics(opts.chatId)).find((t) => !t.deleted && topicMatches(t, match)), {
      ...opts,
      what: `a topic matching ${String(match)}`,
    });
  }

  /** Waits until the bot answered the callback query pressed on `messageId` in the customer's chat. */
  waitForCallbackAnswer(userId: number, messageId: number, opts: WaitOptions = {}) {
    return this.waitFor(async () => (await this.getCustomerMessages(userId)).find((m) => m.message_id === messageId)?.callback_answers[0], {
      ...opts,
      what: `an answer to the callback on message ${messageId}`,
    });
  }

  /** Waits until every queued update has been fetched and confirmed by the bot. */
  waitForIdle(opts: WaitOptions = {}): Promise<true> {
    return this.waitFor(async () => (await this.getStats()).updates.pending === 0 || undefined, { ...opts, what: 'the bot to confirm all updates' });
  }
}
