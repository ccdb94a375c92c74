/** Expected refusals of the ticket state machine; handlers turn the code into a localized reply. */
export type DeskErrorCode =
  | 'ticket-not-found'
  | 'ticket-resolved'
  | 'ticket-already-resolved'
  | 'ticket-not-resolved'
  | 'customer-has-open-ticket'
  | 'unknown-queue'
  | 'same-queue'
  | 'category-already-set'
  | 'unknown-category';

export class DeskError extends Error {
  constructor(
    readonly code: DeskErrorCode,
    readonly detail: Record<string, string | number> = {},
  ) {
    super(`${code} ${JSON.stringify(detail)}`);
    this.name = 'DeskError';
  }
}

/** PostgreSQL unique_violation, from pg and PGlite alike. */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';
}
