/**
 * The order agents should work in, computed (the playbook: blocker > VIP >
 * waiting time > topic). Pure: the clock is passed in. One function, used by
 * `/sla` (the escalation chat's "next up"), the ticket card (its place in the
 * line) and the dashboard's live panel (its "next up" list, over ticket_facts):
 *
 *  1. urgent first — a stop word marked it (a payment failed, an account hacked);
 *  2. then VIP (the VIP queue);
 *  3. then by the deadline that is running: the first response while there is
 *     none, else the resolution. Overdue tickets come first (their deadline is
 *     the earliest), the most overdue first; then the least time left;
 *  4. then the category's weight (heavier first; CATEGORIES lists the heaviest first);
 *  5. then the older ticket (lower number).
 */

export interface PriorityTicket {
  id: number;
  urgent: boolean;
  queue: string;
  category: string | null;
  first_response_at: Date | null;
  first_response_due_at: Date;
  resolution_due_at: Date;
}

export interface PriorityOptions {
  /** The VIP queue's name (bot/routing.ts VIP_QUEUE). */
  vipQueue?: string;
  /** A category's weight: higher goes first among tickets equally due. Unknown or none: 0. */
  categoryWeight?: (category: string | null) => number;
}

/** The deadline the ticket is racing now: the first response until there is one, then the resolution. */
export function runningDeadline(t: Pick<PriorityTicket, 'first_response_at' | 'first_response_due_at' | 'resolution_due_at'>): Date {
  return t.first_response_at === null ? t.first_response_due_at : t.resolution_due_at;
}

/** Seconds until the running deadline (negative: overdue by that much). */
export function secondsToDeadline(t: Pick<PriorityTicket, 'first_response_at' | 'first_response_due_at' | 'resolution_due_at'>, now: Date): number {
  return (runningDeadline(t).getTime() - now.getTime()) / 1000;
}

/** Negative when `a` goes before `b`. */
export function comparePriority(a: PriorityTicket, b: PriorityTicket, o: PriorityOptions = {}): number {
  const vip = o.vipQueue ?? 'VIP';
  const weight = o.categoryWeight ?? (() => 0);
  return (
    Number(b.urgent) - Number(a.urgent) ||
    Number(b.queue === vip) - Number(a.queue === vip) ||
    runningDeadline(a).getTime() - runningDeadline(b).getTime() ||
    weight(b.category) - weight(a.category) ||
    a.id - b.id
  );
}

/** The tickets in the order to work them (a new array). */
export function prioritize<T extends PriorityTicket>(tickets: readonly T[], o: PriorityOptions = {}): T[] {
  return [...tickets].sort((a, b) => comparePriority(a, b, o));
}

/** Weights from an ordered category list (CATEGORIES): the first listed weighs most. */
export function categoryWeights(keys: readonly string[]): (category: string | null) => number {
  const w = new Map(keys.map((k, i) => [k, keys.length - i]));
  return (c) => (c === null ? 0 : (w.get(c) ?? 0));
}
