/**
 * Who the playground can act as: the customers who have a private chat with
 * the bot (most recent first) and the members of the support group. The
 * control API addresses people by id but has no way to list them, and a
 * person picking "a customer" in the browser needs one.
 */
import type { SandboxChatIds } from '../identities.js';
import type { ChatState } from '../state.js';
import type { World } from '../world.js';

export interface PlaygroundCustomer {
  id: number;
  first_name: string;
  /** First and last name, for display. */
  name: string;
  language_code?: string;
  /** Date of the latest message in the chat (unix seconds); 0 when the chat is empty. */
  last_date: number;
  messages: number;
  blocked: boolean;
}

export interface PlaygroundAgent {
  id: number;
  first_name: string;
  name: string;
  status: string;
}

export interface PlaygroundPeople {
  chat_ids: SandboxChatIds;
  customers: PlaygroundCustomer[];
  /** How many customers exist in all (only the most recent `customers.length` are listed). */
  customers_total: number;
  agents: PlaygroundAgent[];
  /** The customer asked about (`?customer=`), listed or not; null when they have never written. The page
   * asks this instead of probing the control API, whose 404 for a customer-to-be would be a console error. */
  current?: PlaygroundCustomer | null;
}

/** A long simulator run has thousands of customers; a picker needs the recent ones. */
export const MAX_LISTED_CUSTOMERS = 100;

const ACTIVE_MEMBER = new Set(['creator', 'administrator', 'member', 'restricted']);

function lastDate(chat: ChatState): number {
  // Ids are dense per chat and deleted messages stay stored (flagged), so the newest is the last id.
  return chat.messages.get(chat.nextMessageId - 1)?.message.date ?? 0;
}

function customerOf(chat: ChatState): PlaygroundCustomer | undefined {
  if (chat.type !== 'private' || !chat.user || chat.user.is_bot) return undefined;
  const u = chat.user;
  return {
    id: u.id,
    first_name: u.first_name,
    name: [u.first_name, u.last_name].filter(Boolean).join(' '),
    ...(u.language_code ? { language_code: u.language_code } : {}),
    last_date: lastDate(chat),
    messages: chat.messages.size,
    blocked: chat.blocked,
  };
}

export function playgroundPeople(world: World, opts: { customerId?: number } = {}): PlaygroundPeople {
  const customers: PlaygroundCustomer[] = [];
  for (const chat of world.chats.values()) {
    const c = customerOf(chat);
    if (c) customers.push(c);
  }
  customers.sort((a, b) => b.last_date - a.last_date || b.id - a.id);
  const support = world.chats.get(world.chatIds.support);
  const agents: PlaygroundAgent[] = [];
  for (const m of support?.members.values() ?? []) {
    if (m.user.is_bot || !ACTIVE_MEMBER.has(m.status)) continue;
    agents.push({ id: m.user.id, first_name: m.user.first_name, name: [m.user.first_name, m.user.last_name].filter(Boolean).join(' '), status: m.status });
  }
  agents.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  const people: PlaygroundPeople = { chat_ids: world.chatIds, customers: customers.slice(0, MAX_LISTED_CUSTOMERS), customers_total: customers.length, agents };
  if (opts.customerId !== undefined) {
    const chat = world.chats.get(opts.customerId);
    people.current = (chat && customerOf(chat)) ?? null;
  }
  return people;
}
