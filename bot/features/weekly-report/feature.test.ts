/**
 * The weekly report through the sandbox: with the scheduler's time injected, nothing before Monday 09:00
 * (WEEKLY_REPORT_DAY/TIME, UTC), the last week's report once at 09:01 in the escalation chat — top reasons with
 * their change, SLA and CSAT per queue against target, incidents, the hardest cases linked to their topics — and
 * not again later that week, nor after a restart. `/report` is refused to an agent and posts for a team lead.
 * The numbers come from chDB over fixed events for the desk's own tickets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickHouseRunner } from '../../../analytics/query.js';
import { DEFAULT_ESCALATION_CHAT_ID } from '../../../sandbox/identities.js';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../../../test/analytics/chdb.js';
import { deskEvents, quietTicket } from '../../../test/analytics/history.js';
import { topicLink } from '../../telegram/present.js';
import { AGENT, SUPPORT, openTicket, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';
import { weeklyReportText } from '../../alerts/weekly-report.js';
import { useWeeklyReport, WEEKLY_REPORT_JOB } from './feature.js';

const ESC = DEFAULT_ESCALATION_CHAT_ID;
const LEAD = 700_050;
const MIN = 60_000;
/** Monday of 2026-W14 (UTC): the reported week is 2026-W14, posted on Monday of W15. */
const MON = Date.parse('2026-03-30T00:00:00Z');
const POST_DAY = Date.parse('2026-04-06T00:00:00Z');
let h: FeatureHarness;
let ch: AnalyticsDb;
let tickets: { ticketId: number; thread: number }[];

beforeAll(async () => {
  h = await startFeatureHarness({ botEnv: { TEAM_LEAD_IDS: String(LEAD) }, env: { KB_AUTO_ANSWER: 'false' } });
  tickets = [await openTicket(h, 8101), await openTicket(h, 8102)];
  const [a, b] = tickets.map((t) => t.ticketId) as [number, number];
  ch = await openAnalyticsDb();
  // the desk's two tickets in the reported week, a third the week before
  const specs = [
    quietTicket({
      id: a,
      customer: 1,
      createdAt: MON + 60 * MIN,
      category: { at: 1, value: 'payment' },
      lifecycle: [600, 610, 900],
      csat: [{ at: 905, score: 1 }],
    }),
    quietTicket({ id: b, customer: 2, createdAt: MON + 120 * MIN, category: { at: 1, value: 'payment' }, lifecycle: [30], csat: [{ at: 40, score: 5 }] }),
    quietTicket({ id: 999_001, customer: 3, createdAt: MON - 86_400_000, category: { at: 1, value: 'payment' } }),
  ];
  await ingest(ch.ch, deskEvents(specs));
  useWeeklyReport(weeklyReportText(clickHouseRunner(ch.ch)));
  // first messages the KB had no article for, by keyword cluster (bot/incidents): three this week, one before;
  // a cluster made of markup must arrive as text
  const kw = 'kw:<b>card</b>+declin';
  for (const [ticket, at] of [
    [900_001, '2026-03-31T10:00:00Z'],
    [900_002, '2026-04-01T10:00:00Z'],
    [900_003, '2026-04-02T10:00:00Z'],
    [900_004, '2026-03-25T10:00:00Z'],
  ] as const)
    await h.db.query('INSERT INTO incident_ticket_keys (ticket_id, key, customer_id, opened_at) VALUES ($1, $2, $3, $4)', [ticket, kw, ticket, at]);
}, 120_000);

afterAll(async () => {
  useWeeklyReport(undefined);
  await h?.close();
  await ch?.close();
});

const reports = async () => (await h.client.getChatMessages(ESC)).filter((m) => m.from === 'bot' && /Weekly report/.test(m.text ?? ''));

describe('weekly report', () => {
  it('is posted once on Monday 09:00 with reasons, queues and the hardest cases linked to their topics', async () => {
    await h.runJobs(new Date(POST_DAY + 8 * 60 * MIN + 59 * MIN)); // 08:59
    await h.runJobs(new Date(POST_DAY + 8 * 60 * MIN + 59 * MIN));
    expect(await reports()).toHaveLength(0);

    await h.runJobs(new Date(POST_DAY + 9 * 60 * MIN + MIN)); // 09:01
    await h.client.waitFor(async () => (await reports()).length || undefined, { what: 'the weekly report', timeoutMs: 20_000 });
    const [post] = await reports();
    const text = post!.text!;
    expect(text).toContain('Weekly report 2026-W14 (30.03 – 05.04.2026)');
    expect(text).toContain('Tickets: 2 (the week before: 1)');
    expect(text).toMatch(/• Payment — 2 \(▲ \+100% from 1\)/);
    expect(text).toMatch(/• L1 2 tickets · response .* · CSAT 3\.00 \/ 4\.5 ⚠️/);
    expect(text).toContain('Incidents: 0');
    expect(text).toContain('Phrases: “<b>card</b> declin” 3 (▲ +200% from 1)');
    expect(text).toContain('Not answered by the KB: 2 tickets\n“<b>card</b> declin” 3');
    // the hardest cases: ticket a took 10 h and was reopened once, rated 1
    const [a, b] = tickets;
    expect(text).toMatch(new RegExp(`Longest resolution: #${a!.ticketId} \\(10 h[^)]*\\), #${b!.ticketId} `));
    expect(text).toMatch(new RegExp(`Lowest CSAT: #${a!.ticketId} \\(1★\\), #${b!.ticketId} \\(5★\\)`));
    expect(text).toMatch(new RegExp(`Most reopens: #${a!.ticketId} \\(×1\\)`));
    // the links point at the tickets' topics
    const links = ((post!.entities ?? []) as { type: string; url?: string }[]).filter((e) => e.type === 'text_link').map((e) => e.url);
    expect(links).toContain(topicLink(SUPPORT, a!.thread));
    expect(links).toContain(topicLink(SUPPORT, b!.thread));

    // later that week, and after a restart: not again
    await h.runJobs(new Date(POST_DAY + 30 * 60 * MIN));
    await h.restart();
    await h.runJobs(new Date(POST_DAY + 2 * 86_400_000));
    await h.settle();
    expect(await reports()).toHaveLength(1);
    const jobs = await h.db.query('SELECT dedup_key, status FROM feature_jobs WHERE kind = $1', [WEEKLY_REPORT_JOB]);
    expect(jobs.rows).toEqual([{ dedup_key: 'weekly_report:2026-W14', status: 'done' }]);
  });

  it('waits for ClickHouse: a week due before the report can be written is posted once it can', async () => {
    const nextMonday = POST_DAY + 7 * 86_400_000;
    const jobsOf = async (key: string) => (await h.db.query('SELECT status FROM feature_jobs WHERE dedup_key = $1', [key])).rows;
    useWeeklyReport(undefined); // as under `npm start` before the digest wires ClickHouse in
    await h.runJobs(new Date(nextMonday + 9 * 60 * MIN + MIN));
    expect(await jobsOf('weekly_report:2026-W15')).toEqual([]);
    useWeeklyReport(weeklyReportText(clickHouseRunner(ch.ch)));
    const before = (await reports()).length;
    await h.runJobs(new Date(nextMonday + 9 * 60 * MIN + 2 * MIN));
    await h.client.waitFor(async () => ((await reports()).length > before ? true : undefined), { what: 'the W15 report', timeoutMs: 20_000 });
    expect((await reports()).at(-1)!.text).toContain('Weekly report 2026-W15');
    expect(await jobsOf('weekly_report:2026-W15')).toEqual([{ status: 'done' }]);
  });

  it('/report: refused to an agent, posted for a team lead', async () => {
    const refused = await h.client.sendSupportMessage({ chat_id: ESC, from_id: AGENT, text: '/report' });
    const reply = await h.client.waitForChatMessage(ESC, /team lead/, { after: refused.message_id });
    expect(reply.text).toMatch(/Only a team lead can do this/);
    const before = (await reports()).length;
    await h.client.sendSupportMessage({ chat_id: ESC, from_id: LEAD, text: '/report' });
    await h.client.waitFor(async () => ((await reports()).length > before ? true : undefined), { what: 'the /report post', timeoutMs: 20_000 });
  });

  it("a customer's /report is no staff command: the desk's usual answer, no report", async () => {
    const before = (await reports()).length;
    const { message_id } = await h.client.sendCustomerMessage(8199, { text: '/report', first_name: 'Una', language_code: 'en' });
    await h.client.waitForCustomerMessage(8199, /don't know that command/, { after: message_id });
    expect(await reports()).toHaveLength(before);
  });
});
