/**
 * One forum topic per customer in the support group.
 *
 * Created exactly once: the bot already runs a customer's updates one at a
 * time (sequentialize), calls inside this process share one in-flight
 * creation, and across processes a lease on the customer row
 * (customers.topic_claim) lets only one creator through while the others wait
 * for thread_id. Recreated when someone deleted it: a send that fails with
 * "message thread not found" forgets the old id, creates a new topic and
 * sends again — unless the customer's topic was replaced already (the caller
 * held an old id), then it just sends there. Whoever created a topic runs
 * onCreated once, so the desk posts the ticket card once however many
 * senders met the deleted topic. Titles follow the ticket status
 * (editForumTopic), only when they actually change.
 */
import { randomUUID } from 'node:crypto';
import type { Api } from 'grammy';
import type { Logger } from '../../core/log.js';
import type { Category } from '../routing.js';
import type { CustomerRepo } from '../store/customers.js';
import type { Customer, Ticket } from '../store/types.js';
import { isHarmlessEditError, isThreadGone } from './errors.js';
import { topicTitle } from './topic-title.js';

const LEASE_SECONDS = 30;
const WAIT_STEP_MS = 50;

export class TopicManager {
  private inflight = new Map<number, Promise<number>>();
  /** Last title we set per thread, so unchanged titles cost no API call. */
  private titles = new Map<number, string>();
  private onCreated: ((customerId: number, threadId: number) => Promise<void>) | undefined;

  constructor(
    private readonly api: Api,
    private readonly customers: CustomerRepo,
    private readonly supportChatId: number,
    private readonly categories: readonly Category[],
    private readonly log: Logger,
  ) {}

  /**
   * The one receiver (the desk's notifier) of each topic this process created
   * for a customer — the first one or one replacing a deleted topic (the desk
   * puts the open ticket's card there). Called after the creation finished, so
   * it may send through withThread.
   */
  subscribe(onCreated: (customerId: number, threadId: number) => Promise<void>): void {
    if (this.onCreated) throw new Error('TopicManager has a subscriber already');
    this.onCreated = onCreated;
  }

  titleFor(ticket: Pick<Ticket, 'id' | 'status' | 'category'>, customer: Pick<Customer, 'first_name'>): string {
    const label = this.categories.find((c) => c.key === ticket.category)?.label ?? ticket.category;
    return topicTitle({ status: ticket.status, firstName: customer.first_name, ticketId: ticket.id, category: label });
  }

  /** The customer's topic, created (once) with `title` if it does not exist. */
  async ensureTopic(customerId: number, title: string): Promise<number> {
    const running = this.inflight.get(customerId);
    if (running) return running;
    const creation = this.createOnce(customerId, title).finally(() => this.inflight.delete(customerId));
    const shared = creation.then((c) => c.threadId);
    // Callers that join get the failure; when none does, it is not an unhandled rejection (this call throws it).
    shared.catch(() => undefined);
    this.inflight.set(customerId, shared);
    const { threadId, created } = await creation;
    // Only the call that created the topic follows up; callers that joined it (or found it) do not.
    if (created) await this.onCreated?.(customerId, threadId).catch((err: unknown) => this.log.error({ err, customerId }, 'topic creation follow-up failed'));
    return threadId;
  }

  /** The customer's topic id, and whether this call created it (false: it existed, or another creator won). */
  private async createOnce(customerId: number, title: string): Promise<{ threadId: number; created: boolean }> {
    const deadline = Date.now() + (LEASE_SECONDS + 5) * 1000;
    for (;;) {
      const c = await this.customers.get(customerId);
      if (!c) throw new Error(`customer ${customerId} is unknown`);
      if (c.thread_id !== null) return { threadId: c.thread_id, created: false };
      const token = randomUUID();
      if (await this.customers.claimTopic(customerId, token, LEASE_SECONDS)) {
        let threadId: number;
        try {
          threadId = (await this.api.createForumTopic(this.supportChatId, title)).message_thread_id;
        } catch (e) {
          await this.customers.releaseClaim(customerId, token);
          throw e;
        }
        const { set, evicted } = await this.customers.setThread(customerId, threadId, token);
        if (!set) this.log.warn({ customerId, threadId }, 'topic lease expired while creating the topic; keeping the other one');
        if (evicted.length)
          this.log.warn(
            { customerId, threadId, staleCustomers: evicted },
            'the new topic has an id other customers were mapped to: their mapping was stale (support group replaced or sandbox restarted) and is dropped',
          );
        this.titles.set(threadId, title);
        const current = (await this.customers.get(customerId))!.thread_id ?? threadId;
        return { threadId: current, created: set && current === threadId };
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for another process to create the topic of customer ${customerId}`);
      await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
    }
  }

  /**
   * Runs `send` with the customer's topic id; if the topic was deleted,
   * creates a new one, updates the mapping and runs `send` once more.
   */
  async withThread<T>(customerId: number, title: () => Promise<string>, send: (threadId: number) => Promise<T>, knownThreadId?: number): Promise<T> {
    const threadId = knownThreadId ?? (await this.customers.get(customerId))?.thread_id ?? (await this.ensureTopic(customerId, await title()));
    try {
      return await send(threadId);
    } catch (e) {
      if (!isThreadGone(e)) throw e;
      return send(await this.replaceThread(customerId, threadId, title));
    }
  }

  /** The topic to use instead of `goneThreadId`: the one that already replaced it, else a new one. */
  private async replaceThread(customerId: number, goneThreadId: number, title: () => Promise<string>): Promise<number> {
    const current = (await this.customers.get(customerId))?.thread_id ?? null;
    // Another sender met the deleted topic first and replaced it; this caller held the old id.
    if (current !== null && current !== goneThreadId) return current;
    this.log.warn({ customerId, threadId: goneThreadId }, 'topic was deleted; recreating it');
    await this.customers.forgetThread(customerId, goneThreadId);
    this.titles.delete(goneThreadId);
    return this.ensureTopic(customerId, await title());
  }

  /** Sets the topic title when it differs from the last one set. */
  async syncTitle(ticket: Ticket, customer: Customer): Promise<void> {
    if (customer.thread_id === null) return;
    const title = this.titleFor(ticket, customer);
    if (this.titles.get(customer.thread_id) === title) return;
    try {
      await this.api.editForumTopic(this.supportChatId, customer.thread_id, { name: title });
      this.titles.set(customer.thread_id, title);
    } catch (e) {
      // A deleted topic is recreated, with the right title, on the next message.
      if (isHarmlessEditError(e)) this.titles.set(customer.thread_id, title);
      else if (!isThreadGone(e)) throw e;
    }
  }
}
