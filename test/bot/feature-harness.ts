/**
 * Shared set-up for the features' end-to-end tests: the desk harness (real
 * sandbox over HTTP, real desk, PGlite) with a feature set built from the
 * test's own variables, the scheduler driven by the test (no polling), and
 * helpers to read what was published.
 */
import type { Composer } from 'grammy';
import type { BotContext } from '../../bot/context.js';
import type { SandboxOptions } from '../../sandbox/index.js';
import type { EventType, EventOf, SupportEvent } from '../../schemas/events.js';
import { startHarness, ticketWhen, type Harness } from './harness.js';
import { loadFeaturesConfig } from '../../bot/runtime/config.js';
import { createFeatures, type Features } from '../../bot/features/features.js';
import { analyticsIdOf } from '../../bot/store/pseudonyms.js';

export const SUPPORT = -1002000000001;
export const AGENT = 700_001;

export interface FeatureHarness extends Harness {
  /** The feature set of the running desk (a new one after restart()). */
  features: Features;
  /** Runs the scheduler's sweeps and due jobs as of `at` (default: now). */
  runJobs(at?: Date): Promise<number>;
  /** Published events of a type (after settling). */
  eventsOf<T extends EventType>(type: T): Promise<EventOf<T>[]>;
  /** The customer's topic thread id. */
  thread(customerId: number): Promise<number>;
}

export async function startFeatureHarness(
  o: {
    env?: Record<string, string>;
    botEnv?: Record<string, string>;
    sandbox?: SandboxOptions;
    /** Composers besides the features (e.g. the alerts' /sla and Take: `() => [createAlertsComposer()]`). */
    composers?: () => Composer<BotContext>[];
  } = {},
): Promise<FeatureHarness> {
  let features: Features | undefined;
  const make = () => (features = createFeatures(loadFeaturesConfig({ ...o.env }), { manualScheduler: true, watchFiles: false }));
  const h = await startHarness({ env: o.botEnv, sandbox: o.sandbox, features: make, ...(o.composers ? { composers: o.composers } : {}) });
  const fh = h as FeatureHarness;
  Object.defineProperty(fh, 'features', { get: () => features! });
  fh.runJobs = (at = new Date()) => features!.runtime.scheduler.runDue(at);
  fh.eventsOf = async <T extends EventType>(type: T) => (await h.settle()).filter((e: SupportEvent): e is EventOf<T> => e.type === type);
  fh.thread = (customerId: number) =>
    h.client.waitFor(
      async () =>
        (await h.db.query<{ thread_id: number | null }>('SELECT thread_id FROM customers WHERE id = $1', [customerId])).rows[0]?.thread_id ?? undefined,
      {
        what: `topic of ${customerId}`,
        timeoutMs: 10_000,
      },
    );
  return fh;
}

/** Opens a ticket for a customer with a message the KB does not answer, and picks a category. */
export async function openTicket(
  h: FeatureHarness,
  customerId: number,
  o: { name?: string; language?: string; text?: string } = {},
): Promise<{ ticketId: number; thread: number }> {
  await h.client.sendCustomerMessage(customerId, {
    text: o.text ?? 'hello, I have a question about my contract',
    first_name: o.name ?? `Customer ${customerId}`,
    language_code: o.language ?? 'en',
  });
  const thread = await h.thread(customerId);
  // The ticket is opened and its topic made before the message is counted (message_in): wait for that too, or an
  // agent's reply right after could be recorded first and the late message_in turn waiting_customer back to waiting_agent.
  const { id: ticketId } = await ticketWhen(h, { customer: customerId }, (t) => t.status !== 'resolved' && t.customer_messages > 0);
  return { ticketId, thread };
}

/** A filter for the events of one customer: they carry the customer's pseudonym, not the Telegram id (bot/store/pseudonyms.ts). */
export async function ofCustomer(h: Harness, telegramId: number): Promise<(e: { customer_id: number | null }) => boolean> {
  const pseudonym = await analyticsIdOf(h.db, telegramId);
  return (e) => e.customer_id === pseudonym;
}
