/**
 * The relay between a customer's private chat and their topic.
 *
 * - copyMessage / copyMessages (albums) keep every kind of message as it was
 *   sent, without a "forwarded from" header.
 * - message_pairs makes each source message relay once (a redelivered update
 *   that was recorded is skipped), maps replies to the counterpart message,
 *   and edits to the copy (editMessageText / editMessageCaption). The source
 *   message is claimed (relay_inflight) before its copy and the claim ends
 *   with the pair; a copy that throws gives the claim back. A crash between
 *   claim and record leaves the claim: the next start marks it orphaned and
 *   the redelivered update is copied again — at least once, never lost (a
 *   duplicate is better than a loss) — and flagged: a note in the topic
 *   follows the re-copy (agent-relay-resent, or agent-relay-resent-reply for
 *   an agent's reply; the customer gets no note). Events stay once
 *   (relay_event_keys, TicketService.recordAgentReply).
 * - Per customer, jobs run in order (KeyedQueue): an album is gathered for a
 *   moment (ALBUM_BUFFER) by media_group_id, then copied as one group, before
 *   whatever the customer sent after it.
 * - A customer who blocked the bot is marked (customers.blocked_bot) and the
 *   agents are told once; such sends are not retried.
 */
import type { Api, InputFile } from 'grammy';
import type { Message, MessageEntity, ReplyParameters } from 'grammy/types';
import type { Logger } from '../../core/log.js';
import type { CustomerRepo } from '../store/customers.js';
import type { MessagePairRepo } from '../store/message-pairs.js';
import { historyOf, type TicketMessageRepo } from '../store/ticket-messages.js';
import type { Ticket } from '../store/types.js';
import type { TicketService } from '../tickets/service.js';
import { claimGuard, withAttemptGuard } from './attempts.js';
import { isBlockedByUser, isHarmlessEditError, isReplyGone, isUncopyable } from './errors.js';
import { KeyedQueue } from './keyed-queue.js';
import { messageKind } from './message-kind.js';
import { holdUpdateUntil } from './polling.js';
import type { TopicManager } from './topics.js';

type SendOther = Parameters<Api['sendMessage']>[2];
type Translate = (key: string, vars?: Record<string, string | number>) => string;

export interface RelayOptions {
  api: Api;
  supportChatId: number;
  customers: CustomerRepo;
  pairs: MessagePairRepo;
  tickets: TicketService;
  topics: TopicManager;
  albumBufferMs: number;
  /** Texts the bot posts for agents (AGENT_LANGUAGE). */
  agentText: Translate;
  /** The conversation as the customer's Mini App shows it (ticket_messages): every relayed message is recorded. */
  history?: TicketMessageRepo;
  log: Logger;
}

/** What the caller already knows, to save lookups on the hot path. */
export interface RelayHint {
  /** The customer's topic as just read from the database (null: none yet). */
  threadId?: number | null;
  /** The caller checked message_pairs for this (single) message already. */
  checked?: boolean;
}

/**
 * Where customer messages wait while they cannot reach the support group (bot/delivery-repair.ts): a customer
 * with messages waiting has every later one queued behind them, so the topic gets them in order.
 */
export interface DeliveryHolds {
  isWaiting(customerId: number): boolean;
  /** Keeps `msgs` for the repair; `cause`: the failure that stopped their delivery (none: queued behind others). */
  hold(customerId: number, ticketId: number, msgs: Message[], cause?: unknown): Promise<void>;
  /** A new ticket's card could not be posted (its topic could not be created). */
  cardFailed(ticket: Ticket, cause: unknown): Promise<void>;
  /** Keeps a message written in the Mini App (its ticket_messages row `historyId`) for the repair, like `hold`. */
  holdWritten(customerId: number, ticketId: number, historyId: number, cause?: unknown): Promise<void>;
}

/** Marks a message written in the Mini App for the agents (it is not a copy of a chat message they could reply to). */
export const APP_MARK = '📱';

interface PendingAlbum {
  messages: Message[];
  timer: NodeJS.Timeout | undefined;
  release: () => void;
  /** Settles when the album's copy is done (or failed and was logged). */
  done: Promise<void>;
}

export class Relay {
  private readonly queue = new KeyedQueue();
  private readonly albums = new Map<string, PendingAlbum>();
  private holds: DeliveryHolds | undefined;

  constructor(private readonly o: RelayOptions) {}

  /** Installs the store of messages waiting for delivery (the desk's DeliveryRepair). */
  holdWith(holds: DeliveryHolds): void {
    this.holds = holds;
  }

  /** A new ticket's card could not be posted: the repair posts it (rethrows without a repair installed). */
  async cardFailed(ticket: Ticket, cause: unknown): Promise<void> {
    if (!this.holds) throw cause;
    await this.holds.cardFailed(ticket, cause);
  }

  /** Runs `job` in the customer's relay order: after what is queued for them, before anything queued later. */
  exclusive<T>(customerId: number, job: () => Promise<T>): Promise<T> {
    return this.queue.run(`c:${customerId}`, job);
  }

  /**
   * Copies one waiting customer message (by id, from their private chat) into their topic, creating the topic
   * if needed, unless message_pairs has it already. Call inside exclusive(); throws what the copy threw.
   */
  async copyWaiting(customerId: number, ticketId: number, messageId: number, replyToMessageId: number | null): Promise<void> {
    if (await this.o.pairs.bySource(customerId, messageId)) return;
    const got = await this.o.pairs.claim(customerId, [messageId]);
    if (got.size === 0) return this.claimedBefore(customerId, [messageId]);
    const counterpart = replyToMessageId === null ? undefined : await this.o.pairs.counterpart(customerId, replyToMessageId);
    const reply = counterpart === undefined ? undefined : { message_id: counterpart, allow_sending_without_reply: true };
    const title = async () => {
      const [c, t] = await Promise.all([this.o.customers.get(customerId), this.o.tickets.get(ticketId)]);
      return this.o.topics.titleFor(t!, c!);
    };
    const stub = { message_id: messageId, chat: { id: customerId, type: 'private' } } as Message;
    const again = new Set(got.get(messageId) ? [messageId] : []);
    let topic: number | undefined;
    const [copied] = await this.released(
      customerId,
      [messageId],
      () =>
        this.o.topics.withThread(customerId, title, (thread) => {
          topic = thread;
          return this.copy(this.o.supportChatId, customerId, [stub], { message_thread_id: thread }, reply, again);
        }),
      again,
    );
    if (again.size) await this.flagResent(topic, 'agent-relay-resent', [copied!]);
    await this.o.pairs.save([
      {
        source_chat_id: customerId,
        source_message_id: messageId,
        target_chat_id: this.o.supportChatId,
        target_message_id: copied!,
        ticket_id: ticketId,
        direction: 'in' as const,
      },
    ]);
  }

  /**
   * A message written in the Mini App, kept in ticket_messages (`historyId`) first, into the customer's topic:
   * now, or — behind messages already waiting, or when the topic cannot be reached (Telegram down, topics off) —
   * by the repair (bot/delivery-repair.ts), so it is never lost. Call inside exclusive().
   */
  async deliverWritten(customerId: number, ticketId: number, historyId: number): Promise<void> {
    if (this.holds?.isWaiting(customerId)) return this.holds.holdWritten(customerId, ticketId, historyId);
    try {
      await this.sendWritten(customerId, historyId);
    } catch (e) {
      if (!this.holds) throw e;
      await this.holds.holdWritten(customerId, ticketId, historyId, e);
    }
  }

  /** Sends a kept Mini App message into the topic unless it was sent already (its row records the copy). Call inside exclusive(). */
  async sendWritten(customerId: number, historyId: number): Promise<void> {
    const history = this.o.history;
    const row = history && (await history.written(historyId));
    if (!history || !row || row.delivered) return;
    const sent = await this.sendToTopic(customerId, `${APP_MARK} ${row.text ?? ''}`.slice(0, 4096), { link_preview_options: { is_disabled: true } });
    await history.delivered(historyId, sent.chat.id, sent.message_id);
  }

  // ---- customer → topic ----------------------------------------------------

  /**
   * Copies a customer's message into their topic. Resolves once copied, except
   * for album parts: those resolve at once and are copied together shortly after.
   */
  toTopic(customerId: number, ticketId: number, msg: Message, hint: RelayHint = {}): Promise<void> {
    return this.schedule(`c:${customerId}`, msg, (batch) => this.copyIn(customerId, ticketId, batch, hint));
  }

  private async copyIn(customerId: number, ticketId: number, batch: Message[], hint: RelayHint): Promise<void> {
    const unclaimed = hint.checked && batch.length === 1 ? batch : await this.notYetRelayed(batch);
    if (unclaimed.length === 0) return;
    // Earlier messages of this customer wait for delivery: this one waits behind them (order kept).
    if (this.holds?.isWaiting(customerId)) return this.holds.hold(customerId, ticketId, unclaimed);
    const chatId = batch[0]!.chat.id;
    const reply = await this.replyTo(unclaimed[0]!, chatId);
    const title = async () => {
      const [c, t] = await Promise.all([this.o.customers.get(customerId), this.o.tickets.get(ticketId)]);
      return this.o.topics.titleFor(t!, c!);
    };
    // Claimed right before the copy, once the topic exists (the narrowest gap a crash can fall into); once, if
    // withThread copies again into a recreated topic.
    let claimed: Message[] | undefined;
    let again = new Set<number>();
    let topic: number | undefined;
    let copied: number[];
    try {
      copied = await this.o.topics.withThread(
        customerId,
        title,
        async (thread) => {
          topic = thread;
          if (!claimed) ({ msgs: claimed, again } = await this.claimed(chatId, unclaimed));
          return claimed.length ? this.copy(this.o.supportChatId, chatId, claimed, { message_thread_id: thread }, reply, again) : [];
        },
        hint.threadId ?? undefined,
      );
    } catch (e) {
      // Nothing was copied: the claims go back, so the repair (or a redelivery) copies them.
      await this.o.pairs.release(
        chatId,
        (claimed ?? []).map((m) => m.message_id),
        again,
      );
      const pending = claimed ?? unclaimed;
      // Anything but a message that cannot be copied is retried: the topic cannot be created (wrong chat, topics
      // off, no can_manage_topics), Telegram failed for good after the retries… The repair delivers it later.
      if (!isUncopyable(e)) {
        if (!this.holds) throw e;
        return this.holds.hold(customerId, ticketId, pending, e);
      }
      // Some messages cannot be copied (e.g. a quiz poll): tell the agents instead of losing it silently.
      this.o.log.warn({ err: e, customerId }, 'customer message could not be copied');
      await this.sendToTopic(customerId, this.o.agentText('agent-uncopyable', { kind: messageKind(pending[0]!) }));
      return;
    }
    const pending = claimed ?? [];
    if (pending.length === 0) return;
    if (again.size)
      await this.flagResent(
        topic,
        'agent-relay-resent',
        pending.flatMap((m, i) => (again.has(m.message_id) ? [copied[i]!] : [])),
      );
    await this.o.pairs.save(
      pending.map((m, i) => ({
        source_chat_id: chatId,
        source_message_id: m.message_id,
        target_chat_id: this.o.supportChatId,
        target_message_id: copied[i]!,
        ticket_id: ticketId,
        direction: 'in' as const,
      })),
    );
    await this.remember(
      pending.map((m) => ({
        ticketId,
        customerId,
        sender: 'customer' as const,
        ...historyOf(m),
        chatId,
        messageId: m.message_id,
        at: new Date(m.date * 1000),
      })),
    );
  }

  /**
   * A customer's message whose secrets were masked (bot/features/secrets/): the topic gets `body` (the note and
   * the masked text) instead of the original — sent as a new text, or for media the copy with `body` as its
   * caption — so nothing of the original reaches the agents. Album parts go one by one.
   */
  toTopicMasked(customerId: number, ticketId: number, msg: Message, body: string, hint: RelayHint = {}): Promise<void> {
    return this.queue.run(`c:${customerId}`, () => this.copyMasked(customerId, ticketId, msg, body, hint));
  }

  private async copyMasked(customerId: number, ticketId: number, msg: Message, body: string, hint: RelayHint): Promise<void> {
    if (!hint.checked && (await this.o.pairs.bySource(msg.chat.id, msg.message_id))) return;
    const chatId = msg.chat.id;
    const { msgs: claimed, again } = await this.claimed(chatId, [msg]);
    if (claimed.length === 0) return;
    let topic: number | undefined;
    const reply = await this.replyTo(msg, chatId);
    const title = async () => {
      const [c, t] = await Promise.all([this.o.customers.get(customerId), this.o.tickets.get(ticketId)]);
      return this.o.topics.titleFor(t!, c!);
    };
    const sent = await this.released(
      chatId,
      [msg.message_id],
      () =>
        this.o.topics.withThread(
          customerId,
          title,
          (thread) => {
            topic = thread;
            return withAttemptGuard(claimGuard(this.o.pairs, chatId, [msg.message_id], again), () =>
              msg.text !== undefined
                ? this.o.api.sendMessage(this.o.supportChatId, body.slice(0, 4096), {
                    message_thread_id: thread,
                    reply_parameters: reply,
                    link_preview_options: { is_disabled: true },
                  })
                : this.o.api.copyMessage(this.o.supportChatId, chatId, msg.message_id, {
                    message_thread_id: thread,
                    reply_parameters: reply,
                    caption: body.slice(0, 1024),
                  }),
            );
          },
          hint.threadId ?? undefined,
        ),
      again,
    );
    if (again.size) await this.flagResent(topic, 'agent-relay-resent', [sent.message_id]);
    await this.o.pairs.save([
      {
        source_chat_id: chatId,
        source_message_id: msg.message_id,
        target_chat_id: this.o.supportChatId,
        target_message_id: sent.message_id,
        ticket_id: ticketId,
        direction: 'in' as const,
      },
    ]);
    // The history keeps what the topic saw: the masked body, never the original.
    await this.remember([
      { ticketId, customerId, sender: 'customer', ...historyOf(msg, body), chatId, messageId: msg.message_id, at: new Date(msg.date * 1000) },
    ]);
  }

  // ---- topic → customer ----------------------------------------------------

  /**
   * Copies an agent's message from the topic to the customer and records it
   * (message_out, first response) once delivered. Album parts resolve at once.
   */
  toCustomer(customerId: number, ticketId: number, msg: Message): Promise<void> {
    return this.schedule(`c:${customerId}`, msg, (batch) => this.copyOut(customerId, ticketId, batch));
  }

  private async copyOut(customerId: number, ticketId: number, batch: Message[]): Promise<void> {
    const unpaired = await this.notYetRelayed(batch);
    const { msgs: pending, again } = await this.claimed(this.o.supportChatId, unpaired);
    let copied: number[] = [];
    if (pending.length) {
      const reply = await this.replyTo(pending[0]!, this.o.supportChatId);
      try {
        copied = await this.copy(customerId, this.o.supportChatId, pending, {}, reply, again);
      } catch (e) {
        await this.o.pairs.release(
          this.o.supportChatId,
          pending.map((m) => m.message_id),
          again,
        );
        if (isBlockedByUser(e)) return this.markBlocked(customerId);
        throw e;
      }
      // Nothing to the customer: the agents are told in the topic, under their reply.
      if (again.size)
        await this.flagResent(
          pending[0]!.message_thread_id,
          'agent-relay-resent-reply',
          pending.filter((m) => again.has(m.message_id)).map((m) => m.message_id),
        );
    }
    // Each reply's pair (ending its claim), its history row and its message_out in one transaction, keyed by
    // the agent's message (TicketService.recordAgentReply). A redelivered update records what a crash cut off
    // — a reply claimed and never recorded (copied again after the restart, flagged) gets its event — and
    // nothing twice. A paired reply has its event (the same transaction wrote both).
    for (const m of unpaired) {
      const i = pending.indexOf(m);
      const pair =
        i < 0
          ? undefined
          : {
              source_chat_id: this.o.supportChatId,
              source_message_id: m.message_id,
              target_chat_id: customerId,
              target_message_id: copied[i]!,
              ticket_id: ticketId,
              direction: 'out' as const,
            };
      const history = pair
        ? [
            {
              ticketId,
              customerId,
              sender: 'agent' as const,
              agentId: m.from?.id ?? null,
              ...historyOf(m),
              chatId: this.o.supportChatId,
              messageId: m.message_id,
              at: new Date(m.date * 1000),
            },
          ]
        : undefined;
      await this.o.tickets.recordAgentReply(
        ticketId,
        { agentId: m.from!.id, kind: messageKind(m), at: new Date(m.date * 1000) },
        {
          source: { chatId: this.o.supportChatId, messageId: m.message_id },
          ...(pair ? { pairs: [pair] } : {}),
          ...(this.o.history && history ? { history } : {}),
        },
      );
    }
  }

  // ---- edits ---------------------------------------------------------------

  /** An edited customer message updates its copy in the topic. */
  editInTopic(customerId: number, msg: Message): Promise<void> {
    return this.queue.run(`c:${customerId}`, () => this.applyEdit(msg));
  }

  /** An edited agent message updates its copy in the customer's chat. */
  editAtCustomer(customerId: number, msg: Message): Promise<void> {
    return this.queue.run(`c:${customerId}`, () => this.applyEdit(msg));
  }

  private async applyEdit(msg: Message): Promise<void> {
    const pair = await this.o.pairs.bySource(msg.chat.id, msg.message_id);
    if (!pair) return;
    if (msg.text !== undefined || msg.caption !== undefined)
      await this.o.history
        ?.edited(msg.chat.id, msg.message_id, (msg.text ?? msg.caption)!, new Date((msg.edit_date ?? msg.date) * 1000))
        .catch((err: unknown) => this.o.log.warn({ err }, 'could not record an edit in the ticket history'));
    try {
      if (msg.text !== undefined) {
        await this.o.api.editMessageText(pair.target_chat_id, pair.target_message_id, msg.text, { entities: msg.entities as MessageEntity[] | undefined });
      } else if (msg.caption !== undefined || hasCaptionSlot(msg)) {
        await this.o.api.editMessageCaption(pair.target_chat_id, pair.target_message_id, {
          caption: msg.caption ?? '',
          caption_entities: msg.caption_entities,
        });
      }
    } catch (e) {
      if (isHarmlessEditError(e)) return;
      if (isBlockedByUser(e)) return this.markBlocked(pair.target_chat_id);
      throw e;
    }
  }

  // ---- bot's own messages --------------------------------------------------

  /** Sends a text to the customer. Null when the customer blocked the bot (then marked, and the agents told once). */
  async sendToCustomer(customerId: number, text: string, other?: SendOther): Promise<Message.TextMessage | null> {
    try {
      return await this.o.api.sendMessage(customerId, text, other);
    } catch (e) {
      if (!isBlockedByUser(e)) throw e;
      await this.markBlocked(customerId);
      return null;
    }
  }

  /** Sends a text into the customer's topic, creating or recreating the topic as needed. */
  async sendToTopic(customerId: number, text: string, other?: SendOther): Promise<Message.TextMessage> {
    const title = async () => {
      const c = (await this.o.customers.get(customerId))!;
      const t = await this.o.tickets.latest(customerId);
      return t ? this.o.topics.titleFor(t, c) : c.first_name;
    };
    return this.o.topics.withThread(customerId, title, (thread) => this.o.api.sendMessage(this.o.supportChatId, text, { ...other, message_thread_id: thread }));
  }

  /** Sends a photo or document (the Mini App's attachment) into the customer's topic, creating or recreating the topic as needed. */
  async sendFileToTopic(customerId: number, kind: 'photo' | 'document', file: InputFile, caption?: string): Promise<Message> {
    const title = async () => {
      const c = (await this.o.customers.get(customerId))!;
      const t = await this.o.tickets.latest(customerId);
      return t ? this.o.topics.titleFor(t, c) : c.first_name;
    };
    const other = { ...(caption ? { caption: caption.slice(0, 1024) } : {}) };
    return this.o.topics.withThread<Message>(customerId, title, (thread) =>
      kind === 'photo'
        ? this.o.api.sendPhoto(this.o.supportChatId, file, { ...other, message_thread_id: thread })
        : this.o.api.sendDocument(this.o.supportChatId, file, { ...other, message_thread_id: thread }),
    );
  }

  /** Resolves when every queued relay job has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.albums.size) await new Promise((r) => setTimeout(r, 10));
    await this.queue.idle();
  }

  // ---- internals -----------------------------------------------------------

  private schedule(key: string, msg: Message, job: (batch: Message[]) => Promise<void>): Promise<void> {
    if (!msg.media_group_id) return this.queue.run(key, () => job([msg]));
    const albumKey = `${msg.chat.id}:${msg.media_group_id}`;
    let album = this.albums.get(albumKey);
    if (!album) {
      let release!: () => void;
      const ready = new Promise<void>((r) => (release = r));
      const created: PendingAlbum = { messages: [], timer: undefined, release, done: Promise.resolve() };
      album = created;
      this.albums.set(albumKey, created);
      created.done = this.queue
        .run(key, async () => {
          await ready;
          this.albums.delete(albumKey);
          await job(created.messages.sort((a, b) => a.message_id - b.message_id));
        })
        .catch((err: unknown) => this.o.log.error({ err, albumKey }, 'album relay failed'));
    }
    // Each part's update counts as processed only once the album is copied and recorded (bot/telegram/polling.ts):
    // a crash before that redelivers the parts instead of losing the album.
    holdUpdateUntil(album.done);
    album.messages.push(msg);
    clearTimeout(album.timer);
    const a = album;
    a.timer = setTimeout(() => a.release(), this.o.albumBufferMs);
    return Promise.resolve();
  }

  /**
   * Claims `msgs` (all of chat `chatId`) before their copy — their idempotency key, bot/store/message-pairs.ts.
   * Returns those claimed now (`msgs`) and, among them, the ids whose claim a dead process left (`again`):
   * their copy may have been done already, they are copied again and flagged (flagResent). One claimed by this
   * process and not recorded yet is a copy under way: skipped.
   */
  private async claimed(chatId: number, msgs: Message[]): Promise<{ msgs: Message[]; again: Set<number> }> {
    if (msgs.length === 0) return { msgs, again: new Set() };
    const got = await this.o.pairs.claim(
      chatId,
      msgs.map((m) => m.message_id),
    );
    const out = msgs.filter((m) => got.has(m.message_id));
    if (out.length < msgs.length)
      this.claimedBefore(
        chatId,
        msgs.filter((m) => !got.has(m.message_id)).map((m) => m.message_id),
      );
    const again = new Set([...got].filter(([, orphaned]) => orphaned).map(([id]) => id));
    if (again.size) this.o.log.warn({ chatId, messageIds: [...again] }, 'relay claim left by a stopped process: copied again, flagged');
    return { msgs: out, again };
  }

  private claimedBefore(chatId: number, messageIds: number[]): void {
    this.o.log.warn({ chatId, messageIds }, 'relay claimed by this process and not recorded (a copy under way, or its record failed): skipped');
  }

  /**
   * After a re-copy of an orphaned claim (before its record): one note in the customer's topic `thread` (the one
   * the copy went to), a reply to the first message that may now be there twice (`replyTo`, ids in the support
   * chat; an album gets one note). Sent straight to the thread, not through TopicManager.withThread: the copy may
   * run inside a topic's creation (a new ticket's opening message). A failed note is logged, never fails the
   * relay: the message was delivered.
   */
  private async flagResent(thread: number | undefined, key: 'agent-relay-resent' | 'agent-relay-resent-reply', replyTo: number[]): Promise<void> {
    const first = replyTo[0];
    if (first === undefined) return;
    await this.o.api
      .sendMessage(this.o.supportChatId, this.o.agentText(key), {
        ...(thread === undefined ? {} : { message_thread_id: thread }),
        reply_parameters: { message_id: first, allow_sending_without_reply: true },
      })
      .catch((err: unknown) => this.o.log.error({ err, thread }, 'could not flag a message sent again'));
  }

  /** Runs a copy of claimed messages; if it throws, nothing was copied and the claims go back. */
  private async released<T>(chatId: number, messageIds: number[], copy: () => Promise<T>, again?: ReadonlySet<number>): Promise<T> {
    try {
      return await copy();
    } catch (e) {
      await this.o.pairs.release(chatId, messageIds, again);
      throw e;
    }
  }

  private async notYetRelayed(batch: Message[]): Promise<Message[]> {
    const out: Message[] = [];
    for (const m of batch) if (!(await this.o.pairs.bySource(m.chat.id, m.message_id))) out.push(m);
    return out;
  }

  /** Reply threading: a reply to X becomes a reply to X's counterpart on the other side. */
  private async replyTo(msg: Message, chatId: number): Promise<ReplyParameters | undefined> {
    const r = msg.reply_to_message;
    // In a forum, a message that is not a reply points at the topic's first message.
    if (!r || r.message_id === msg.message_thread_id || r.forum_topic_created) return undefined;
    const counterpart = await this.o.pairs.counterpart(chatId, r.message_id);
    return counterpart === undefined ? undefined : { message_id: counterpart, allow_sending_without_reply: true };
  }

  private async copy(
    toChat: number,
    fromChat: number,
    msgs: Message[],
    other: { message_thread_id?: number },
    reply: ReplyParameters | undefined,
    again?: ReadonlySet<number>,
  ): Promise<number[]> {
    // Every copy here is of claimed messages: the claim is held only while an attempt may be under way (attempts.ts).
    const ids = msgs.map((m) => m.message_id);
    return withAttemptGuard(claimGuard(this.o.pairs, fromChat, ids, again), () => this.copyNow(toChat, fromChat, msgs, other, reply));
  }

  private async copyNow(
    toChat: number,
    fromChat: number,
    msgs: Message[],
    other: { message_thread_id?: number },
    reply: ReplyParameters | undefined,
  ): Promise<number[]> {
    if (msgs.length === 1) {
      try {
        return [(await this.o.api.copyMessage(toChat, fromChat, msgs[0]!.message_id, { ...other, reply_parameters: reply })).message_id];
      } catch (e) {
        if (!reply || !isReplyGone(e)) throw e;
        return [(await this.o.api.copyMessage(toChat, fromChat, msgs[0]!.message_id, other)).message_id];
      }
    }
    const ids = await this.o.api.copyMessages(
      toChat,
      fromChat,
      msgs.map((m) => m.message_id),
      other,
    );
    return ids.map((m) => m.message_id);
  }

  /** Into the Mini App's history; a failure there never fails the relay (the message was delivered). */
  private async remember(rows: Parameters<TicketMessageRepo['record']>[0]): Promise<void> {
    if (!this.o.history || rows.length === 0) return;
    await this.o.history.record(rows).catch((err: unknown) => this.o.log.warn({ err }, 'could not record messages in the ticket history'));
  }

  private async markBlocked(customerId: number): Promise<void> {
    if (await this.o.customers.setBlockedBot(customerId, true)) {
      this.o.log.info({ customerId }, 'customer blocked the bot');
      await this.sendToTopic(customerId, this.o.agentText('agent-customer-blocked')).catch((err: unknown) =>
        this.o.log.error({ err }, 'could not tell agents about a block'),
      );
    }
  }
}

function hasCaptionSlot(m: Message): boolean {
  return Boolean(m.photo || m.video || m.document || m.audio || m.animation || m.voice);
}
