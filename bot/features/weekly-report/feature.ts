/**
 * The weekly report in the team leads' chat (issue 15, item 6): on WEEKLY_REPORT_DAY at WEEKLY_REPORT_TIME (in
 * DIGEST_TIMEZONE, the desk's zone) the last ISO week's report goes to the escalation chat, where alerts and
 * incidents go — top 5 contact reasons with the change from the week before, what the KB could not answer, SLA
 * and CSAT per queue against target, the week's incidents, and the hardest cases linked to their topics.
 *
 * Once per week across restarts and replicas: a scheduler sweep schedules the week's job under the dedup key
 * `weekly_report:<week>` (bot/scheduler: a key is scheduled once), and the job posts it. `/report` (team leads,
 * bot/roles.ts 'report') posts the last week's report on demand in the escalation chat.
 *
 * The text is bot/alerts/weekly-report.ts's (analytics/reports/weekly.ts, the dashboard's report); the keyword clusters of
 * first messages come from the desk's store (incident_ticket_keys' `kw:` keys: a first message the KB had no
 * article for). Without ClickHouse in the process (`useWeeklyReport` not called) there is no report.
 */
import { Composer } from 'grammy';
import { DateTime } from 'luxon';
import { isoWeekOf, lastWeekRange } from '../../../core/weeks.js';
import { loadAlertsConfig } from '../../alerts/config.js';
import type { BotContext, Desk } from '../../context.js';
import type { FeatureRuntime } from '../../runtime/runtime.js';

export const WEEKLY_REPORT_JOB = 'weekly_report';

export interface Range {
  from: Date;
  to: Date;
}
/** A week's report as HTML (bot/alerts/weekly-report.ts over the process's ClickHouse). */
export type WeeklyReportText = (desk: Desk, range: Range, now: Date, zone: string) => Promise<string>;

let text: WeeklyReportText | undefined;
/** Gives the weekly report its analytics (the process's ClickHouse: alerts' startDailyDigest calls it); undefined: none. */
export function useWeeklyReport(render: WeeklyReportText | undefined): void {
  text = render;
}

/** The desk's zone for the report's week and its posting time (DIGEST_TIMEZONE). */
const zoneOf = () => loadAlertsConfig().DIGEST_TIMEZONE;

/**
 * The week whose report is due at `now`: the ISO week before this one, once this week's WEEKLY_REPORT_DAY/TIME
 * has passed; undefined before it (or when the report is off).
 */
export function dueWeek(rt: FeatureRuntime, now: Date, zone: string): Range | undefined {
  const c = rt.config.weeklyReport;
  if (c.weekday === undefined) return undefined;
  const local = DateTime.fromJSDate(now, { zone });
  const at = local
    .startOf('week')
    .plus({ days: c.weekday - 1 })
    .set({ hour: c.hour, minute: c.minute });
  return local >= at ? lastWeekRange(now, zone) : undefined;
}

/** Builds and posts a week's report to the escalation chat. */
async function post(desk: Desk, range: Range, now: Date, zone: string): Promise<boolean> {
  if (!text) {
    desk.log.warn('weekly report: no ClickHouse in this process, nothing posted');
    return false;
  }
  const html = await text(desk, range, now, zone);
  const a = loadAlertsConfig();
  await desk.api.sendMessage(a.ESCALATION_CHAT_ID, html, {
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...(a.ESCALATION_THREAD_ID !== undefined ? { message_thread_id: a.ESCALATION_THREAD_ID } : {}),
  });
  desk.log.info({ from: range.from.toISOString() }, 'weekly report posted');
  return true;
}

export function weeklyReportFeature(rt: FeatureRuntime): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  // /report: team leads (the role guard), in the escalation chat.
  composer.command('report', async (ctx, next) => {
    const desk = ctx.desk;
    // elsewhere (a customer's private chat, a topic) it is not this command: the desk answers as to any other
    if (ctx.chat.id !== loadAlertsConfig().ESCALATION_CHAT_ID) return next();
    const zone = zoneOf();
    const now = rt.clock();
    if (!(await post(desk, lastWeekRange(now, zone), now, zone))) await ctx.reply(desk.agentText('weekly-unavailable'));
  });

  rt.onScheduler((scheduler, _rt, desk) => {
    let scheduled = '';
    scheduler.sweep('weekly-report', async (now) => {
      // Scheduled only once this process can write it: under `npm start` ClickHouse is wired in (useWeeklyReport)
      // after the scheduler's first sweep, and a job run before that would be spent on a week with no report.
      if (!text) return;
      const zone = zoneOf();
      const week = dueWeek(rt, now, zone);
      if (!week) return;
      const key = `weekly_report:${isoWeekOf(week.from, zone)}`;
      if (key === scheduled) return; // this process already scheduled it; the dedup key keeps it once across processes
      scheduled = key;
      await scheduler.schedule({ kind: WEEKLY_REPORT_JOB, dedupKey: key, dueAt: now, payload: { from: week.from.toISOString() } });
    });
    scheduler.handle(WEEKLY_REPORT_JOB, async (job, now) => {
      const from = new Date(String((job.payload as { from: string }).from));
      const zone = zoneOf();
      const to = DateTime.fromJSDate(from, { zone }).plus({ weeks: 1 }).toJSDate();
      await post(desk, { from, to }, now, zone);
    });
  });

  return composer;
}
