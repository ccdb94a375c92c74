/**
 * `/audit` (admins; the escalation chat or the support group's General topic): the last 20 actions of the
 * audit trail (bot/audit.ts), `/audit @<user id>` by one person, `/audit #<ticket>` of one ticket.
 */
import type { BotContext } from './context.js';
import { AUDIT_LIST_LIMIT, type AuditRow } from './audit.js';
import { formatInstant } from './telegram/present.js';
import { inThread } from './telegram/update.js';

/** `/audit [@user id | #ticket]`: the last actions, newest first. Authorised by the role guard (admins). */
export async function answerAudit(ctx: BotContext, arg: string): Promise<void> {
  const desk = ctx.desk;
  const t = desk.agentText;
  const m = /^(?:@(\d+)|#(\d+))?$/.exec(arg.trim());
  if (!m) return void (await ctx.reply(t('audit-usage'), inThread(ctx)));
  const where = m[1] ? 'WHERE actor_id = $2' : m[2] ? 'WHERE ticket_id = $2' : '';
  const params: unknown[] = [AUDIT_LIST_LIMIT, ...(m[1] ? [Number(m[1])] : m[2] ? [Number(m[2])] : [])];
  const rows = (await desk.db.query<AuditRow>(`SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT $1`, params)).rows;
  if (rows.length === 0) return void (await ctx.reply(t('audit-empty'), inThread(ctx)));
  const lines = rows.map((r) => {
    const detail = typeof r.detail === 'string' ? (JSON.parse(r.detail) as Record<string, unknown>) : r.detail;
    const extra = Object.entries(detail ?? {})
      .map(([k, v]) => `${k}=${typeof v === 'string' && v.length > 12 ? `${v.slice(0, 12)}…` : String(v)}`)
      .join(' ');
    return [
      formatInstant(new Date(r.at), undefined),
      `${r.action}`,
      `by ${r.actor_id}`,
      r.ticket_id !== null ? `#${r.ticket_id}` : r.customer_id !== null ? `customer ${r.customer_id}` : '',
      extra,
    ]
      .filter(Boolean)
      .join(' · ');
  });
  await ctx.reply(`${t('audit-header', { count: rows.length })}\n${lines.join('\n')}`, inThread(ctx));
}
