/**
 * The priority order (sla/priority.ts over the store's open tickets, sla/exporter/next-up.ts) as agents see
 * it: the "Next up" list under `/sla` in the escalation chat, and a ticket's place in line on its card.
 */
import { readNextUp } from '../../../sla/exporter/next-up.js';
import { categoryWeights, secondsToDeadline, type PriorityOptions } from '../../../sla/priority.js';
import type { Desk } from '../../context.js';
import { VIP_QUEUE } from '../../routing.js';
import type { Ticket } from '../../store/types.js';
import { escapeHtml, formatElapsed, topicLink } from '../../telegram/present.js';

type Services = Pick<Desk, 'db' | 'config' | 'agentText'>;

/** The desk's priority options: the VIP queue, and CATEGORIES' order as the category weight (first listed weighs most). */
export function priorityOptions(desk: Pick<Desk, 'config'>): PriorityOptions {
  return { vipQueue: VIP_QUEUE, categoryWeight: categoryWeights(desk.config.categories.map((c) => c.key)) };
}

/** "Next up" for /sla: the first `limit` open tickets in priority order, linked to their topics (HTML). */
export async function renderNextUp(desk: Services, now: Date, limit = 10): Promise<string> {
  const t = desk.agentText;
  const order = (await readNextUp(desk.db, priorityOptions(desk))).slice(0, limit);
  if (!order.length) return `${t('urgent-sla-next-up')}\n${t('urgent-sla-nothing')}`;
  const threads = new Map(
    (
      await desk.db.query<{ id: number; thread_id: number | null }>('SELECT id, thread_id FROM customers WHERE id = ANY($1::bigint[])', [
        order.map((o) => o.customer_id),
      ])
    ).rows.map((r) => [Number(r.id), r.thread_id]),
  );
  const lines = order.map((o, i) => {
    const thread = threads.get(o.customer_id);
    const left = secondsToDeadline(o, now);
    return t('urgent-sla-next-line', {
      rank: i + 1,
      ticket: thread ? `<a href="${topicLink(desk.config.supportChatId, thread)}">#${o.id}</a>` : `#${o.id}`,
      queue: escapeHtml(o.queue),
      urgent: o.urgent ? 'yes' : 'no',
      when: left < 0 ? t('urgent-sla-overdue', { elapsed: formatElapsed(-left, t) }) : t('urgent-sla-due-in', { left: formatElapsed(left, t) }),
    });
  });
  return [t('urgent-sla-next-up'), ...lines].join('\n');
}

/** The card's line: urgent or not, and the ticket's place among the open tickets ("Next up: 2 of 7"); empty once resolved. */
export async function cardPriorityLine(desk: Services, ticket: Ticket): Promise<string> {
  if (ticket.status === 'resolved') return '';
  const order = await readNextUp(desk.db, priorityOptions(desk));
  const position = order.findIndex((o) => o.id === ticket.id) + 1;
  if (position === 0) return '';
  return desk.agentText('urgent-card-priority', { urgent: ticket.urgent ? 'yes' : 'no', position, total: order.length });
}
