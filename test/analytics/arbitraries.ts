/** fast-check generators of ticket histories that exercise every metric's edge cases. */
import fc from 'fast-check';
import { CATEGORIES, LANGUAGES, QUEUES, type TicketSpec } from './history.js';

/** Creation times fall in a 10-day window ending at BASE; SLA "now" is well after every deadline or before some. */
export const BASE = Date.UTC(2026, 0, 10);
export const WINDOW_DAYS = 10;

const minutes = (max: number) => fc.integer({ min: 1, max });

export const ticketSpec = (id: number): fc.Arbitrary<TicketSpec> =>
  fc.record({
    id: fc.constant(id),
    customer: fc.integer({ min: 1, max: 6 }),
    createdAt: fc.integer({ min: BASE - WINDOW_DAYS * 86_400_000, max: BASE - 1 }).map((ms) => ms - (ms % 1000)),
    queue: fc.constantFrom(...QUEUES),
    language: fc.constantFrom(...LANGUAGES),
    category: fc.option(fc.record({ at: minutes(30), value: fc.constantFrom(...CATEGORIES) }), { nil: null }),
    opened: fc.constantFrom(true, true, true, false),
    frDueMin: fc.constantFrom(5, 15, 30),
    resDueMin: fc.constantFrom(60, 240, 1440),
    queueChange: fc.option(
      fc.record({ at: minutes(60), to: fc.constantFrom(...QUEUES), frDueMin: fc.constantFrom(10, 60), resDueMin: fc.constantFrom(120, 2880) }),
      { nil: null },
    ),
    botReplies: fc.array(minutes(30), { maxLength: 2 }),
    agent: fc.option(fc.integer({ min: 100, max: 103 }), { nil: null }),
    replies: fc.array(minutes(2000), { maxLength: 3 }),
    frtBhFactor: fc.constantFrom(1, 0.5, 0),
    lifecycle: fc.array(minutes(3000), { maxLength: 4 }).map((xs) => [...xs].sort((a, b) => a - b)),
    csatSurveyAt: fc.option(minutes(3000), { nil: null }),
    csat: fc.array(fc.record({ at: minutes(4000), score: fc.integer({ min: 1, max: 5 }) }), { maxLength: 3 }),
    npsSurveyAt: fc.option(minutes(3000), { nil: null }),
    nps: fc.array(fc.record({ at: minutes(4000), score: fc.integer({ min: 0, max: 10 }) }), { maxLength: 2 }),
    channel: fc.constantFrom(undefined, 'chat' as const, 'app' as const),
  });

/** 1–25 tickets with ids 1..n. */
export const deskHistory: fc.Arbitrary<TicketSpec[]> = fc
  .integer({ min: 1, max: 25 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ticketSpec(i + 1))));
