/**
 * The self-service metrics (analytics/metrics/selfservice.ts): a registry of
 * their own over `app_facts` — what customers do in the Mini App that is no
 * ticket — and its one statement. The period is the events' own time (an app
 * open has no ticket whose creation could place it); queue, category and agent
 * do not apply. `app_facts` is read with FINAL: one row per event, and per
 * customer and article only their latest "Did this help?".
 */
import { appOpens, deflectionRate, kbArticleViews, kbDeflections, kbHelpfulRate } from './metrics/selfservice.js';
import type { QueryRunner, Range } from './query.js';
import { createRegistry } from './registry.js';
import { chTime } from './ticket-facts.js';

export const SELFSERVICE = createRegistry([appOpens, kbArticleViews, kbHelpfulRate, kbDeflections, deflectionRate]);
export type SelfServiceValues = typeof SELFSERVICE extends { valuesFrom(...a: never[]): infer V } ? V : never;

/** The self-service metrics of [from, to). */
export async function selfServiceSummary(run: QueryRunner, range: Range): Promise<SelfServiceValues> {
  const sql = `SELECT ${SELFSERVICE.selectList()}
    FROM app_facts FINAL
    WHERE occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)}`;
  const rows = await run(sql, { from: chTime(range.from), to: chTime(range.to) });
  return SELFSERVICE.valuesFrom(rows[0] ?? {});
}
