/**
 * The trust metrics (analytics/metrics/trust.ts): a registry of their own over `trust_facts` — inbound customer
 * messages and what the desk caught among them (and captchas failed in the community chat) — and its statement, the metrics of [from, to) by the events'
 * own time. `trust_facts` is read with FINAL: one row per event, a duplicate delivery counted once. The SLA
 * exporter exports the share over the last 24 h (sla/exporter/trust.ts, alert SpamPhishingShareHigh).
 */
import { captchasFailed, fakeAccountsReported, inboundMessages, secretsMasked, spamBlocked, spamPhishingShare } from './metrics/trust.js';
import type { QueryRunner, Range } from './query.js';
import { createRegistry } from './registry.js';
import { chTime } from './ticket-facts.js';

export const TRUST = createRegistry([spamPhishingShare, inboundMessages, spamBlocked, secretsMasked, fakeAccountsReported, captchasFailed]);
export type TrustValues = typeof TRUST extends { valuesFrom(...a: never[]): infer V } ? V : never;

/** The trust metrics of [from, to). */
export async function trustSummary(run: QueryRunner, range: Range): Promise<TrustValues> {
  const sql = `SELECT ${TRUST.selectList()}
    FROM trust_facts FINAL
    WHERE occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)}`;
  const rows = await run(sql, { from: chTime(range.from), to: chTime(range.to) });
  return TRUST.valuesFrom(rows[0] ?? {});
}
