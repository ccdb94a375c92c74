/**
 * The sandbox world: the bot's identity, the chats it can see, the update
 * queue and the machinery (faults, flood limits, webhook) shared by the Bot
 * API and the control API. Both APIs mutate the world only through this class
 * and the action modules, so the two views of a chat can never disagree.
 */
import type { MenuButton } from './web-app-rules.js';
import { TelegramErrors } from './errors.js';
import { FaultInjector } from './faults.js';
import { FloodControl, TELEGRAM_FLOOD_LIMITS, type FloodLimits } from './flood.js';
import { botUser, DEFAULT_CHAT_IDS, type SandboxChatIds } from './identities.js';
import { newMediaGroupId } from './ids.js';
import { FileRegistry } from './media.js';
import type { ChatIdParam } from './params.js';
import {
  newForumChat,
  newPrivateChat,
  privateChatInfo,
  type CallbackAnswerRecord,
  type ChatState,
  type MemberStatus,
  type StoredMessage,
  type Topic,
  type TgUser,
} from './state.js';
import { SandboxStats } from './stats.js';
import { UpdateQueue } from './updates.js';
import { WebhookDeliverer } from './webhook.js';

export interface WorldOptions {
  chatIds?: Partial<SandboxChatIds>;
  /** Enforce Telegram's flood limits (429 with retry_after). */
  floodLimits?: boolean | Partial<FloodLimits>;
  /** Milliseconds since the epoch; injectable so flood-limit tests need no waiting. */
  clock?: () => number;
  /** Source of randomness for probabilistic faults. */
  random?: () => number;
  /** First webhook retry delay; doubles per failure up to webhookRetryMaxMs. */
  webhookRetryMs?: number;
  webhookRetryMaxMs?: number;
  /** Accept only the sandbox token (others → 401 Unauthorized). Default: any well-formed token. */
  strictToken?: boolean;
  /**
   * Messages kept per chat; older ones are forgotten (replies to them then fail
   * like replies to deleted messages). Bounds memory in long benchmark runs.
   */
  maxMessagesPerChat?: number;
  /**
   * Accept webhooks as a local Bot API server in `--local` mode does: HTTP, any port, loopback and private addresses.
   * Off by default, so setWebhook refuses what api.telegram.org refuses; tests of webhook mode that serve
   * http://127.0.0.1:<port> turn it on.
   */
  allowInsecureWebhook?: boolean;
}

export interface PendingCallback {
  id: string;
  chatId: number;
  messageId: number;
  userId: number;
  /** Real time (ms) of the press; Telegram refuses answers after ~15 minutes. */
  pressedAt: number;
  answered: boolean;
}

/** How long a callback query can be answered (Telegram: "query is too old" afterwards). */
export const CALLBACK_ANSWER_WINDOW_MS = 15 * 60 * 1000;

/** How long the bot may write to a user who asked to join a group (ChatJoinRequest.user_chat_id), until the request is processed. */
export const JOIN_REQUEST_WRITE_WINDOW_SECONDS = 5 * 60;

/** A replay quiet for this long (live time) is over: its conversations are back on the live clock. */
export const HISTORY_IDLE_MS = 15 * 60 * 1000;

/** Where a conversation happens: a private chat, a group's General topic or one of its topics. */
const conversationKey = (chatId: number, threadId: number | undefined) => (threadId === undefined || threadId === 1 ? `${chatId}` : `${chatId}:${threadId}`);

export class World {
  readonly bot = botUser();
  readonly chatIds: SandboxChatIds;
  /** Milliseconds since the epoch as the sandbox sees them (base clock + offset set via the control API). */
  readonly clock: () => number;
  private readonly baseClock: () => number;
  private clockOffsetMs = 0;
  /**
   * Replayed history: the date of the latest action given with an explicit past
   * `date`, and the live time it came at. Conversations whose people last acted
   * that way see this time (see `unixNowIn`); the clock itself never moves.
   */
  private history: { atMs: number; sinceMs: number } | undefined;
  private readonly historyConversations = new Set<string>();
  readonly strictToken: boolean;
  readonly maxMessagesPerChat: number;
  readonly allowInsecureWebhook: boolean;
  readonly chats = new Map<number, ChatState>();
  readonly users = new Map<number, TgUser>();
  readonly callbacks = new Map<string, PendingCallback>();
  readonly files = new FileRegistry();
  readonly updates = new UpdateQueue();
  readonly webhook: WebhookDeliverer;
  readonly faults: FaultInjector;
  readonly stats = new SandboxStats();
  readonly flood: FloodControl | undefined;
  commands: Record<string, unknown[]> = {};
  /** setChatMenuButton: 'default' and private chats by id (sandbox/webapp.ts). */
  menuButtons: Record<string, MenuButton> = {};

  constructor(opts: WorldOptions = {}) {
    this.chatIds = { ...DEFAULT_CHAT_IDS, ...opts.chatIds };
    this.baseClock = opts.clock ?? Date.now;
    this.clock = () => this.baseClock() + this.clockOffsetMs;
    this.strictToken = opts.strictToken ?? false;
    this.maxMessagesPerChat = opts.maxMessagesPerChat ?? 200_000;
    this.allowInsecureWebhook = opts.allowInsecureWebhook ?? false;
    this.faults = new FaultInjector(opts.random ?? Math.random);
    if (opts.floodLimits) {
      const limits = opts.floodLimits === true ? TELEGRAM_FLOOD_LIMITS : { ...TELEGRAM_FLOOD_LIMITS, ...opts.floodLimits };
      this.flood = new FloodControl(limits, this.clock);
    }
    this.webhook = new WebhookDeliverer(this.updates, {
      retryBaseMs: opts.webhookRetryMs ?? 1000,
      retryMaxMs: opts.webhookRetryMaxMs ?? 60_000,
      requestTimeoutMs: 30_000,
      unixNow: () => this.unixNow(),
    });
    this.seed();
  }

  unixNow(): number {
    return Math.floor(this.clock() / 1000);
  }

  /**
   * Moves the sandbox's clock for everyone (tests of expiry): dates of new
   * messages and the callback answer window follow it. Replaying history does
   * not move it: replayed actions carry their own `date` (see `noteAction`).
   */
  setClock(opts: { unix?: number; advanceSeconds?: number }): void {
    if (opts.unix !== undefined) this.clockOffsetMs = opts.unix * 1000 - this.baseClock();
    if (opts.advanceSeconds !== undefined) this.clockOffsetMs += opts.advanceSeconds * 1000;
  }

  get clockOffsetSeconds(): number {
    return Math.round(this.clockOffsetMs / 1000);
  }

  /**
   * A person acted in a conversation. With a past `date` (a simulator replaying
   * history) the conversation is replayed: the bot's messages and edits there
   * are dated in that past, so its answers follow the replayed people and not
   * the present. Without one it is live again. Only that conversation changes:
   * people writing at the same time elsewhere keep the live clock.
   */
  noteAction(chatId: number, threadId: number | undefined, date: number | undefined): void {
    const key = conversationKey(chatId, threadId);
    const now = this.clock();
    if (date !== undefined && date * 1000 < now) {
      this.history = { atMs: date * 1000, sinceMs: now };
      this.historyConversations.add(key);
    } else this.historyConversations.delete(key);
  }

  /**
   * Unix seconds for what happens now in a conversation (the bot sends or edits
   * a message): the clock's, or in a replayed one the replay's time — its latest
   * date plus the live time since, never ahead of the clock. A replay idle for
   * HISTORY_IDLE_MS is over: its conversations are live again.
   */
  unixNowIn(chatId: number, threadId?: number): number {
    const now = this.clock();
    const h = this.history;
    if (h && now - h.sinceMs > HISTORY_IDLE_MS) {
      this.history = undefined;
      this.historyConversations.clear();
    } else if (h && this.historyConversations.has(conversationKey(chatId, threadId))) {
      return Math.floor(Math.min(now, h.atMs + (now - h.sinceMs)) / 1000);
    }
    return Math.floor(now / 1000);
  }

  /** Back to a clean state: the two group chats with the bot as admin, nothing else. */
  reset(): void {
    this.webhook.stop();
    this.updates.reset();
    this.chats.clear();
    this.users.clear();
    this.callbacks.clear();
    this.files.clear();
    this.faults.clear();
    this.stats.reset();
    this.flood?.reset();
    this.commands = {};
    this.menuButtons = {};
    this.clockOffsetMs = 0;
    this.history = undefined;
    this.historyConversations.clear();
    this.seed();
  }

  private seed(): void {
    this.users.set(this.bot.id, this.bot);
    const support = newForumChat(this.chatIds.support, 'Support');
    const escalation = newForumChat(this.chatIds.escalation, 'Escalations');
    for (const chat of [support, escalation]) {
      chat.members.set(this.bot.id, { user: this.bot, status: 'administrator', canManageTopics: true });
      this.chats.set(chat.id, chat);
    }
  }

  newMediaGroupId(): string {
    return newMediaGroupId();
  }

  // ---- users and chats -------------------------------------------------------

  /** Creates or refreshes a user; names given later win, as Telegram shows the latest profile. */
  upsertUser(id: number, profile: Partial<Omit<TgUser, 'id' | 'is_bot'>> = {}, defaultName = `User ${id}`): TgUser {
    const prev = this.users.get(id);
    const user: TgUser = { id, is_bot: false, first_name: profile.first_name ?? prev?.first_name ?? defaultName };
    const last_name = profile.last_name ?? prev?.last_name;
    const username = profile.username ?? prev?.username;
    const language_code = profile.language_code ?? prev?.language_code;
    if (last_name) user.last_name = last_name;
    if (username) user.username = username;
    if (language_code) user.language_code = language_code;
    this.users.set(id, user);
    return user;
  }

  /** The private chat with a customer, created on first contact. */
  privateChat(user: TgUser): ChatState {
    let chat = this.chats.get(user.id);
    if (!chat) {
      chat = newPrivateChat(user);
      this.chats.set(user.id, chat);
    } else if (chat.user !== user) {
      chat.user = user;
      chat.info = privateChatInfo(user);
    }
    return chat;
  }

  /**
   * The chat a Bot API call names, with Telegram's errors: unknown → "chat not
   * found", a customer who blocked the bot → 403, a group the bot left → 403.
   */
  chatForBot(id: ChatIdParam, opts: { forSending?: boolean } = {}): ChatState {
    let chat = typeof id === 'number' ? this.chats.get(id) : this.chatByUsername(id);
    // A user who asked to join a group the bot administers may be written to for 5 minutes (sandbox/groups.ts).
    if (typeof id === 'number' && id > 0 && opts.forSending && (!chat || chat.joinRequestOnly) && this.joinRequestOpen(id)) {
      chat ??= this.privateChat(this.users.get(id)!);
      chat.joinRequestOnly = true;
    } else if (chat?.joinRequestOnly && opts.forSending) throw TelegramErrors.botCantInitiate();
    if (!chat) {
      // A user the bot knows (e.g. an agent from the group) who never started it: Telegram's 403.
      if (typeof id === 'number' && id > 0 && this.users.has(id) && opts.forSending) throw TelegramErrors.botCantInitiate();
      throw TelegramErrors.chatNotFound();
    }
    if (chat.type === 'private' && chat.blocked && opts.forSending) throw TelegramErrors.botBlocked();
    if (chat.type === 'supergroup') {
      const me = chat.members.get(this.bot.id);
      if (!me || me.status === 'left') throw TelegramErrors.chatNotFound();
      if (me.status === 'kicked') throw TelegramErrors.botKicked();
    }
    return chat;
  }

  /** Whether a join request of this user, not yet approved or declined, is younger than JOIN_REQUEST_WRITE_WINDOW_SECONDS. */
  joinRequestOpen(userId: number): boolean {
    const now = this.unixNow();
    for (const chat of this.chats.values())
      for (const r of chat.joinRequests ?? []) if (r.user_id === userId && now - r.date < JOIN_REQUEST_WRITE_WINDOW_SECONDS) return true;
    return false;
  }

  private chatByUsername(name: string): ChatState | undefined {
    const u = name.replace(/^@/, '').toLowerCase();
    for (const c of this.chats.values()) if (c.info.username?.toLowerCase() === u) return c;
    return undefined;
  }

  botIsAdmin(chat: ChatState): boolean {
    if (chat.type === 'private') return false;
    const s = chat.members.get(this.bot.id)?.status;
    return s === 'administrator' || s === 'creator';
  }

  botCanManageTopics(chat: ChatState): boolean {
    const me = chat.members.get(this.bot.id);
    return me?.status === 'creator' || (me?.status === 'administrator' && me.canManageTopics === true);
  }

  memberStatus(chat: ChatState, userId: number): MemberStatus {
    return chat.members.get(userId)?.status ?? 'left';
  }

  // ---- messages and topics ---------------------------------------------------

  message(chat: ChatState, messageId: number): StoredMessage | undefined {
    const m = chat.messages.get(messageId);
    return m && !m.deleted ? m : undefined;
  }

  /** A live topic or Telegram's "message thread not found". */
  topicForSending(chat: ChatState, threadId: number): Topic {
    const topic = chat.topics.get(threadId);
    if (!topic || topic.deleted) throw TelegramErrors.threadNotFound();
    return topic;
  }

  /** Remembers a pressed button's query; expired ones are forgotten now and then so the map stays small. */
  registerCallback(cb: PendingCallback): void {
    this.callbacks.set(cb.id, cb);
    if (this.callbacks.size % 1024 === 0) {
      const horizon = this.clock() - CALLBACK_ANSWER_WINDOW_MS;
      for (const [id, c] of this.callbacks) if (c.pressedAt < horizon) this.callbacks.delete(id);
    }
  }

  recordCallbackAnswer(cb: PendingCallback, answer: CallbackAnswerRecord): void {
    const chat = this.chats.get(cb.chatId);
    chat?.messages.get(cb.messageId)?.callbackAnswers.push(answer);
  }
}
