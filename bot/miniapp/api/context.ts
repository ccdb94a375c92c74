/** What every route module of the Mini App API is given (bot/miniapp/api/plugin.ts builds it once). */
import type { Desk } from '../../context.js';
import type { FeatureRuntime } from '../../runtime/runtime.js';
import type { Customer } from '../../store/types.js';
import { customerLocale } from '../../telegram/present.js';

export interface AppApiContext {
  desk: Desk;
  /** The features' runtime: the knowledge base (the same snapshot the bot answers from). */
  runtime: FeatureRuntime;
  now: () => Date;
}

/** A refusal with its HTTP status and reason (the plugin's error handler answers `{error}`). */
export class AppError extends Error {
  constructor(
    readonly statusCode: 400 | 403 | 404 | 409 | 413 | 429 | 503,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The envelope of a desk-wide event of the caller (no ticket: app_opened, kb_article_viewed, …), stamped now; the
 * outbox turns `customer_id` into the customer's pseudonym.
 */
export function appEventEnvelope(c: AppApiContext, customer: Customer) {
  return {
    occurred_at: c.now().toISOString(),
    ticket_id: null,
    ticket_created_at: null,
    customer_id: customer.id,
    agent_id: null,
    queue: null,
    category: null,
    language: customerLocale(c.desk.locales, customer),
  };
}
