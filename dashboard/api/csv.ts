/** Table responses as CSV, for every endpoint whose answer is a table. */
import { stringify } from 'csv-stringify/sync';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** CSV when asked with ?format=csv, or by an Accept header that names text/csv (and no explicit format=json). */
export function wantsCsv(request: FastifyRequest): boolean {
  const format = (request.query as { format?: string } | undefined)?.format;
  if (format) return format === 'csv';
  return /\btext\/csv\b/i.test(request.headers.accept ?? '');
}

/**
 * A text cell a spreadsheet will not run (CSV injection, OWASP): one that starts with = + - @ (or a tab or carriage
 * return, which some strip first) gets a leading apostrophe. Numbers are cast apart, so −5 stays a number.
 */
export const csvText = (v: string): string => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

export function sendCsv(reply: FastifyReply, name: string, rows: readonly object[], columns: readonly string[]): FastifyReply {
  const text = stringify(rows as Record<string, unknown>[], {
    header: true,
    columns: columns.map((c) => ({ key: c })),
    // null → empty cell; booleans as 1/0 so spreadsheets can sum them; text that a spreadsheet would run as a formula
    cast: { boolean: (v) => (v ? '1' : '0'), number: (v) => String(v), string: csvText },
  });
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(text);
}
