/**
 * Expected refusals of the ticket state machine. The desk's error boundary
 * (bot/error-boundary.ts) turns one into an answer to whoever acted, in their
 * language (`desk-error-<code>`); a caller to whom a refusal is an expected
 * race says so with `unlessRefused`.
 */
export type DeskErrorCode =
  | 'ticket-not-found'
  | 'ticket-resolved'
  | 'ticket-already-resolved'
  | 'ticket-not-resolved'
  | 'customer-has-open-ticket'
  | 'unknown-queue'
  | 'same-queue'
  | 'category-already-set'
  | 'unknown-category'
  /** bot/roles.ts: the one who acted lacks the role the action needs. */
  | 'role-agent'
  | 'role-team_lead'
  | 'role-admin'
  /** An urgent broadcast waits for a second team lead's press. */
  | 'broadcast-second-lead';

export class DeskError extends Error {
  constructor(
    readonly code: DeskErrorCode,
    readonly detail: Record<string, string | number> = {},
  ) {
    super(`${code} ${JSON.stringify(detail)}`);
    this.name = 'DeskError';
  }
}

/**
 * The change, or undefined when the state machine refused it (a DeskError):
 * for callers to whom a refusal is an expected race, not an error to answer —
 * a ticket an agent resolved meanwhile, another ticket of the customer open.
 */
export async function unlessRefused<T>(change: Promise<T>): Promise<T | undefined> {
  try {
    return await change;
  } catch (e) {
    if (e instanceof DeskError) return undefined;
    throw e;
  }
}

/** PostgreSQL unique_violation, from pg and PGlite alike. */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';
}
