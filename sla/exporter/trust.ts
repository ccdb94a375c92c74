/**
 * The spam/phishing share on /metrics (issue 17, item 7): the trust metrics (analytics/trust.ts) over the last
 * 24 h, read from ClickHouse in the background and cached like the CSAT window (refreshed every
 * SLA_CSAT_REFRESH), so a scrape never waits on ClickHouse. The rule SpamPhishingShareHigh
 * (prometheus/rules/trust.yml) compares the share with the exported target (the playbook's 0.5 %) once
 * enough messages came in. Desk-wide: no labels.
 */
import { Gauge, type Metric } from 'prom-client';
import { clickHouseRunner } from '../../analytics/query.js';
import { TRUST, trustSummary, type TrustValues } from '../../analytics/trust.js';
import type { ClickHouse } from '../../core/clickhouse.js';
import { logger } from '../../core/log.js';

const log = logger('trust-collectors');
const WINDOW_MS = 24 * 3600_000;

export interface TrustGaugeOptions {
  ch: ClickHouse;
  /** How long a read is reused, in seconds (SLA_CSAT_REFRESH). */
  refreshSeconds: number;
  now: () => Date;
  /** Called with the source when a read fails (support_sla_collector_errors_total) and succeeds. */
  onError: () => void;
  onSuccess: (at: number) => void;
}

/** The gauges, unregistered: the caller registers them with its others. */
export function trustGauges(o: TrustGaugeOptions): Metric[] {
  let value: TrustValues | undefined;
  let readAt = 0;
  let inFlight: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    const to = o.now();
    inFlight ??= trustSummary(clickHouseRunner(o.ch), { from: new Date(to.getTime() - WINDOW_MS), to })
      .then((v) => {
        value = v;
        readAt = Date.now();
        o.onSuccess(readAt / 1000);
      })
      .catch((e: unknown) => {
        o.onError();
        log.warn({ err: e }, 'trust metrics read failed; exporting the last values');
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  const read = async () => {
    if (readAt === 0) await refresh();
    else if (Date.now() - readAt > o.refreshSeconds * 1000) void refresh();
    return value;
  };
  const target = TRUST.get('spam_phishing_share').target;
  if (target?.kind !== 'at_most') throw new Error('spam_phishing_share must have an at_most target');

  const share = new Gauge({
    name: 'support_spam_phishing_share',
    help: 'Spam held back, secrets masked, fake accounts reported and community-chat captchas failed ÷ inbound customer messages, over the last 24 h (absent with no messages).',
    registers: [],
    async collect() {
      this.reset();
      const v = (await read())?.spam_phishing_share;
      if (v !== null && v !== undefined) this.set(v);
    },
  });
  const inbound = new Gauge({
    name: 'support_inbound_messages_24h',
    help: 'Inbound customer messages over the last 24 h (joined a ticket or held back by anti-spam): the sample behind support_spam_phishing_share.',
    registers: [],
    async collect() {
      const v = await read();
      if (v) this.set(v.inbound_messages);
    },
  });
  const targetGauge = new Gauge({
    name: 'support_spam_phishing_share_target',
    help: "The playbook's ceiling for the spam/phishing share (0.005 = 0.5 %).",
    registers: [],
  });
  targetGauge.set(target.value);
  return [share, inbound, targetGauge];
}
