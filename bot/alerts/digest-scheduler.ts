/**
 * Posts the daily digest once per day, across restarts and replicas.
 *
 * Every minute (and right after start) the scheduler checks whether it is past
 * DIGEST_TIME locally and yesterday's digest is not yet recorded in
 * alert_digests. The row is claimed with INSERT … ON CONFLICT DO NOTHING before
 * sending, so two processes or a restart never double-send; a claim whose send
 * never completed (crash mid-send) is taken over after CLAIM_TIMEOUT.
 */
import { DateTime } from 'luxon';
import type { Api } from 'grammy';
import type { Logger } from '../../core/log.js';
import type { Queryable } from '../../core/postgres.js';
import type { QueryRunner } from '../../analytics/query.js';
import type { AlertsConfig } from './config.js';
import { collectDigest, renderDigest, yesterdayIn } from './digest.js';
import type { Text } from './format.js';

const TICK_MS = 60_000;
const CLAIM_TIMEOUT_SECONDS = 600;

export interface DigestSchedulerOptions {
  db: Queryable;
  api: Api;
  /** Analytics query runner (dashboard/api/queries.ts `clickHouseRunner(ch)`). */
  run: QueryRunner;
  supportChatId: number;
  config: Pick<AlertsConfig, 'DIGEST_TIME' | 'DIGEST_TIMEZONE' | 'ESCALATION_CHAT_ID' | 'ESCALATION_THREAD_ID'>;
  log: Logger;
  /** Wording in the escalation chat's language (the desk's agentText). */
  t: Text;
  now?: () => Date;
  /** false: no timer, the caller calls tick() (tests). */
  autoStart?: boolean;
}

export interface DigestScheduler {
  /** One check: sends yesterday's digest if due and not sent. Returns the date sent, if any. */
  tick(): Promise<string | undefined>;
  stop(): void;
}

/** "09:00" → { hour: 9, minute: 0 }; throws on anything else. */
export function parseDigestTime(raw: string): { hour: number; minute: number } {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(raw.trim());
  if (!m) throw new Error(`DIGEST_TIME must be HH:MM, got "${raw}"`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

export function createDigestScheduler(o: DigestSchedulerOptions): DigestScheduler {
  if (o.config.DIGEST_TIME.trim() === '') {
    o.log.info('DIGEST_TIME is empty: no daily digest');
    return { tick: async () => undefined, stop: () => undefined };
  }
  const now = o.now ?? (() => new Date());
  const at = parseDigestTime(o.config.DIGEST_TIME);
  const zone = o.config.DIGEST_TIMEZONE;
  if (!DateTime.now().setZone(zone).isValid) throw new Error(`DIGEST_TIMEZONE: unknown time zone "${zone}"`);
  let running: Promise<string | undefined> | undefined;

  const due = (t: Date) => {
    const local = DateTime.fromJSDate(t, { zone });
    return local >= local.set({ hour: at.hour, minute: at.minute, second: 0, millisecond: 0 });
  };

  async function claim(date: string): Promise<boolean> {
    const r = await o.db.query(
      `INSERT INTO alert_digests (digest_date, claimed_at) VALUES ($1, now())
       ON CONFLICT (digest_date) DO UPDATE SET claimed_at = now()
         WHERE alert_digests.sent_at IS NULL AND alert_digests.claimed_at < now() - make_interval(secs => $2)
       RETURNING digest_date`,
      [date, CLAIM_TIMEOUT_SECONDS],
    );
    return r.rows.length === 1;
  }

  async function tickNow(): Promise<string | undefined> {
    const t = now();
    if (!due(t)) return undefined;
    const day = yesterdayIn(zone, t);
    if (!(await claim(day.date))) return undefined;
    try {
      const data = await collectDigest({ run: o.run, db: o.db, day, now: t });
      const msg = await o.api.sendMessage(o.config.ESCALATION_CHAT_ID, renderDigest(data, o.supportChatId, o.t), {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(o.config.ESCALATION_THREAD_ID !== undefined ? { message_thread_id: o.config.ESCALATION_THREAD_ID } : {}),
      });
      await o.db.query('UPDATE alert_digests SET sent_at = now(), chat_id = $2, message_id = $3 WHERE digest_date = $1', [
        day.date,
        o.config.ESCALATION_CHAT_ID,
        msg.message_id,
      ]);
      o.log.info({ date: day.date, tickets: data.totals.tickets_created }, 'daily digest sent');
      return day.date;
    } catch (e) {
      // Release the claim so the next tick retries.
      await o.db.query('DELETE FROM alert_digests WHERE digest_date = $1 AND sent_at IS NULL', [day.date]).catch(() => undefined);
      throw e;
    }
  }

  const tick = () => (running ??= tickNow().finally(() => (running = undefined)));
  if (o.autoStart === false) return { tick, stop: () => undefined };
  const loop = () => tick().catch((e: unknown) => o.log.error({ err: e }, 'daily digest failed; retrying next minute'));
  void loop();
  const timer = setInterval(loop, TICK_MS);
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
