/**
 * GET /api/v1/audit (issue 17, item 2): the staff's audit trail as the dashboard shows it, inside the analytics
 * plugin's /api/v1 scope (its bearer token, strict validation, error handler).
 *
 * Source: ClickHouse `audit_facts` (schemas/clickhouse/115_audit_facts.sql), one row per `staff_action` event —
 * the analytics copy of the desk's append-only PostgreSQL `audit_log` (bot/audit.ts), carried like every other
 * fact (outbox → bus → ingest); the dashboard reads ClickHouse only. A row names who acted by their staff id and
 * display name (`staff`, the same labels as the agent breakdown: analytics/query.ts withAgentNames), the action,
 * the ticket, and the ticket's customer only by their pseudonym (bot/store/pseudonyms.ts). The bot's `/audit`
 * shows the record's details (hashes, counts) to admins; the event carries ids only.
 *
 * Newest first; paging by an opaque cursor (the last row's time and event id), so a page never repeats or skips
 * a row while new actions arrive. CSV (format=csv or Accept: text/csv): the same filters, up to 10 000 rows.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifySchema } from 'fastify';
import { type QueryRunner, withAgentNames } from '../../analytics/query.js';
import { chTime } from '../../analytics/ticket-facts.js';
import { sendCsv, wantsCsv } from './csv.js';
import { AGENT_ID_MAX, BadRequest, parseInstant } from './params.js';

export const AUDIT_PAGE_MAX = 500;
export const AUDIT_CSV_MAX = 10_000;
const DEFAULT_DAYS = 30;

export const AuditQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ maxLength: 40, description: 'From (ISO 8601, inclusive); default: 30 days before `to`' })),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'Until (ISO 8601, exclusive); default: now' })),
    actor: Type.Optional(Type.Integer({ minimum: 1, maximum: AGENT_ID_MAX, description: 'Who acted: a staff member’s Telegram id' })),
    action: Type.Optional(
      Type.String({ pattern: '^[a-z_]{1,32}$', description: 'The action kind (take, reply, ban, broadcast, …; `actions` in the answer lists those seen)' }),
    ),
    ticket: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Ticket number' })),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: AUDIT_CSV_MAX,
        description: `Rows per page (default 50, at most ${AUDIT_PAGE_MAX}; CSV: at most ${AUDIT_CSV_MAX}, default all of them)`,
      }),
    ),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: 'next_cursor of the page before' })),
    format: Type.Optional(Type.Unsafe<'json' | 'csv'>({ type: 'string', enum: ['json', 'csv'], description: 'Response format; `Accept: text/csv` works too' })),
  },
  { additionalProperties: false },
);

export const AuditRowSchema = Type.Object(
  {
    at: Type.String({ format: 'date-time' }),
    actor_id: Type.Integer({ description: 'Staff Telegram id' }),
    actor: Type.Union([Type.String(), Type.Null()], { description: 'Staff display name ("Anna K."), when the desk has seen it' }),
    action: Type.String(),
    ticket_id: Type.Union([Type.Integer(), Type.Null()]),
    customer: Type.Union([Type.String(), Type.Null()], { description: 'The ticket’s customer as a pseudonymous id, never a Telegram id' }),
  },
  { additionalProperties: false },
);

export const AuditSchema = Type.Object(
  {
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    rows: Type.Array(AuditRowSchema),
    next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next (older) page; null: this was the last' }),
    actions: Type.Array(Type.String(), { description: 'The action kinds recorded in [from, to), for a filter' }),
  },
  { additionalProperties: false },
);

export type AuditRow = Static<typeof AuditRowSchema>;
type AuditQueryT = Static<typeof AuditQuery>;

export interface AuditRoutesOptions {
  route: (schema: FastifySchema & { querystring: unknown }, summary: string, csv: boolean) => { schema: FastifySchema };
  run: (endpoint: string) => QueryRunner;
  now: () => Date;
}

interface Cursor {
  ms: number;
  id: string;
}
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CURSOR_REASON = 'cursor must be the next_cursor of an earlier page';

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.ms}_${c.id}`, 'utf8').toString('base64url');
}
export function decodeCursor(raw: string): Cursor {
  const [ms, id, ...rest] = Buffer.from(raw, 'base64url').toString('utf8').split('_');
  if (rest.length > 0 || !ms || !/^\d{1,15}$/.test(ms) || !id || !UUID_RE.test(id)) throw new BadRequest(CURSOR_REASON);
  return { ms: Number(ms), id };
}

/** The customer's pseudonym as the page shows it: "c-" and base 36, so it never reads as a Telegram id. */
export const customerLabel = (pseudonym: number): string => `c-${pseudonym.toString(36)}`;

export function auditRange(q: Pick<AuditQueryT, 'from' | 'to'>, now: Date): { from: Date; to: Date } {
  const to = q.to !== undefined ? parseInstant('to', q.to) : now;
  const from = q.from !== undefined ? parseInstant('from', q.from) : new Date(to.getTime() - DEFAULT_DAYS * 86_400_000);
  if (from.getTime() >= to.getTime()) throw new BadRequest(`from (${from.toISOString()}) must be before to (${to.toISOString()})`);
  return { from, to };
}

/** One page of the trail, newest first, and the cursor of the next. */
export async function auditPage(
  run: QueryRunner,
  range: { from: Date; to: Date },
  f: { actor?: number | undefined; action?: string | undefined; ticket?: number | undefined; cursor?: Cursor | undefined },
  limit: number,
): Promise<{ rows: AuditRow[]; next_cursor: string | null }> {
  const where = ['occurred_at >= {from:DateTime64(3)}', 'occurred_at < {to:DateTime64(3)}'];
  const params: Record<string, unknown> = { from: chTime(range.from), to: chTime(range.to), limit: limit + 1 };
  if (f.actor !== undefined) where.push('actor_id = {actor:Int64}'), (params.actor = f.actor);
  if (f.action !== undefined) where.push('action = {action:String}'), (params.action = f.action);
  if (f.ticket !== undefined) where.push('ticket_id = {ticket:UInt64}'), (params.ticket = f.ticket);
  if (f.cursor) {
    where.push("(occurred_at, event_id) < (fromUnixTimestamp64Milli({cms:Int64}, 'UTC'), toUUID({cid:String}))");
    params.cms = f.cursor.ms;
    params.cid = f.cursor.id;
  }
  const rows = await run(
    `SELECT toUnixTimestamp64Milli(occurred_at) AS ms, toString(event_id) AS id, actor_id, action, ticket_id, customer_id
     FROM audit_facts FINAL
     WHERE ${where.join(' AND ')}
     ORDER BY occurred_at DESC, event_id DESC
     LIMIT {limit:UInt32}`,
    params,
  );
  const page = rows.slice(0, limit);
  const named = await withAgentNames(
    run,
    page.map((r): { key: string; label?: string } => ({ key: String(r.actor_id) })),
  );
  const out: AuditRow[] = page.map((r, i) => ({
    at: new Date(Number(r.ms)).toISOString(),
    actor_id: Number(r.actor_id),
    actor: named[i]?.label ?? null,
    action: String(r.action),
    ticket_id: Number(r.ticket_id) > 0 ? Number(r.ticket_id) : null,
    customer: Number(r.customer_id) > 0 ? customerLabel(Number(r.customer_id)) : null,
  }));
  const last = page.at(-1);
  return { rows: out, next_cursor: rows.length > limit && last ? encodeCursor({ ms: Number(last.ms), id: String(last.id) }) : null };
}

export async function auditActions(run: QueryRunner, range: { from: Date; to: Date }): Promise<string[]> {
  const rows = await run(
    'SELECT DISTINCT action FROM audit_facts WHERE occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)} ORDER BY action',
    { from: chTime(range.from), to: chTime(range.to) },
  );
  return rows.map((r) => String(r.action));
}

export const auditRoutes: FastifyPluginAsync<AuditRoutesOptions> = async (api, o) => {
  api.get<{ Querystring: AuditQueryT }>(
    '/audit',
    o.route(
      { querystring: AuditQuery, response: { 200: AuditSchema } },
      'The staff audit trail (who did what to which ticket), newest first, filtered by time, actor, action and ticket; customers only as pseudonyms',
      true,
    ),
    async (req, reply) => {
      const q = req.query;
      const csv = wantsCsv(req);
      if (!csv && q.limit !== undefined && q.limit > AUDIT_PAGE_MAX) throw new BadRequest(`limit must be at most ${AUDIT_PAGE_MAX} (CSV: ${AUDIT_CSV_MAX})`);
      const range = auditRange(q, o.now());
      const cursor = q.cursor !== undefined ? decodeCursor(q.cursor) : undefined;
      const run = o.run('audit');
      const filter = { actor: q.actor, action: q.action, ticket: q.ticket, cursor };
      if (csv) {
        const { rows } = await auditPage(run, range, filter, q.limit ?? AUDIT_CSV_MAX);
        return sendCsv(reply, `audit-${range.from.toISOString().slice(0, 10)}-${range.to.toISOString().slice(0, 10)}`, rows, [
          'at',
          'actor_id',
          'actor',
          'action',
          'ticket_id',
          'customer',
        ]);
      }
      const [page, actions] = await Promise.all([auditPage(run, range, filter, q.limit ?? 50), auditActions(run, range)]);
      return { from: range.from.toISOString(), to: range.to.toISOString(), ...page, actions };
    },
  );
};
