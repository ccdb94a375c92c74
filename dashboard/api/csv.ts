/** Table responses as CSV, for every endpoint whose answer is a table. */
import { stringify } from 'csv-stringify/sync';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** CSV when asked with ?format=csv, or by an Accept header that names text/csv (and no explicit format=json). */
export function wantsCsv(request: FastifyRequest): boolean {
  const format = (request.query as { format?: string } | undefined)?.format;
  if (format) return format === 'csv';
  return /\btext\/csv\b/i.test(request.headers.accept ?? '');
}

export function sendCsv(reply: FastifyReply, name: string, rows: readonly object[], columns: readonly string[]): FastifyReply {
  const text = stringify(rows as Record<string, unknown>[], {
    header: true,
    columns: columns.map((c) => ({ key: c })),
    // null → empty cell; booleans as 1/0 so spreadsheets can sum them
    cast: { boolean: (v) => (v ? '1' : '0'), number: (v) => String(v) },
  });
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(text);
}
