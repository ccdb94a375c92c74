import { describe, expect, it } from 'vitest';
import { categoryWeights, prioritize, secondsToDeadline, type PriorityTicket } from './priority.js';

const NOW = new Date('2026-03-02T12:00:00Z');
const min = (m: number) => new Date(NOW.getTime() + m * 60_000);
const ticket = (id: number, o: Partial<PriorityTicket> & { frDue?: number; resDue?: number; answered?: boolean } = {}): PriorityTicket => ({
  id,
  urgent: o.urgent ?? false,
  queue: o.queue ?? 'L1',
  category: o.category ?? null,
  first_response_at: o.answered ? min(-1) : null,
  first_response_due_at: min(o.frDue ?? 10),
  resolution_due_at: min(o.resDue ?? 240),
});

describe('priority order', () => {
  it('puts urgent before VIP before waiting time before category', () => {
    const weight = categoryWeights(['payment', 'account', 'features']);
    const order = prioritize(
      [
        ticket(1, { frDue: 10, category: 'features' }),
        ticket(2, { frDue: 10, category: 'payment' }),
        ticket(3, { queue: 'VIP', frDue: 4 }),
        ticket(4, { frDue: -20 }), // overdue by 20 min
        ticket(5, { urgent: true, queue: 'security', frDue: 5 }),
        ticket(6, { frDue: -5 }), // overdue by 5 min
        ticket(7, { answered: true, resDue: 30 }), // answered: its resolution deadline runs
        ticket(8, { urgent: true, queue: 'payments', frDue: 2 }),
      ],
      { categoryWeight: weight },
    ).map((t) => t.id);
    expect(order).toEqual([8, 5, 3, 4, 6, 2, 1, 7]);
  });

  it('is total and stable: equal tickets go by number', () => {
    expect(prioritize([ticket(9), ticket(3), ticket(5)]).map((t) => t.id)).toEqual([3, 5, 9]);
  });

  it('measures time to the running deadline', () => {
    expect(secondsToDeadline(ticket(1, { frDue: -3 }), NOW)).toBe(-180);
    expect(secondsToDeadline(ticket(1, { answered: true, resDue: 60 }), NOW)).toBe(3600);
  });
});
