/**
 * The settings a customer chooses in the Mini App are honoured by the desk, end to end through the sandbox:
 * status updates off / summary, and quiet hours in the customer's own time zone holding the follow-up.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, openTicket, startFeatureHarness, SUPPORT, type FeatureHarness } from '../../test/bot/feature-harness.js';
import { miniAppPlugin } from './plugin.js';

let h: FeatureHarness;
let app: FastifyInstance;

beforeAll(async () => {
  h = await startFeatureHarness({
    botEnv: { TEAM_LEAD_IDS: String(AGENT) },
    env: { KB_AUTO_ANSWER: '0', FOLLOWUP_DELAY: '1h', CSAT_ENABLED: '1', NPS_ENABLED: '0', BROADCAST_PROGRESS_INTERVAL: '0s' },
  });
  app = Fastify();
  await app.register(miniAppPlugin, { desk: h.desk.services, runtime: h.features.runtime, maxAgeSeconds: 86_400, ratePerMinute: 1000, webRoot: false });
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

async function saveSettings(userId: number, settings: Record<string, unknown>): Promise<void> {
  const { init_data } = await h.client.openWebApp(userId);
  const res = await app.inject({ method: 'PUT', url: '/app/api/settings', headers: { authorization: `tma ${init_data}` }, payload: settings });
  expect(res.statusCode).toBe(200);
}

async function resolveByAgent(customerId: number): Promise<number> {
  const { ticketId, thread } = await openTicket(h, customerId);
  await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: 'Done, it works now' });
  await h.client.waitForCustomerMessage(customerId, 'Done, it works now');
  await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/resolve' });
  await h.client.waitForCustomerMessage(customerId, /How would you rate/);
  await h.client.waitForChatMessage(SUPPORT, /./, { threadId: thread });
  await h.settle();
  return ticketId;
}

const texts = async (customerId: number) => (await h.client.getCustomerMessages(customerId)).map((m) => m.text ?? '');

describe('settings the desk honours', () => {
  it('status updates off: no "solved" message (the survey still comes); summary: the summary instead of the note', async () => {
    await saveSettings(9501, { language: 'en', time_zone: null, quiet_hours: null, notifications: { status_updates: 'off', announcements: true } });
    await resolveByAgent(9501);
    expect((await texts(9501)).some((t) => t.startsWith('🏁'))).toBe(false);

    await saveSettings(9502, { language: 'en', time_zone: null, quiet_hours: null, notifications: { status_updates: 'summary', announcements: true } });
    await resolveByAgent(9502);
    await h.client.waitForCustomerMessage(9502, /In short:/);

    await resolveByAgent(9503); // no settings: each change is told
    await h.client.waitForCustomerMessage(9503, /^🏁 Ticket #\d+ is solved\. If something/);
  });

  it("holds the follow-up until the end of the customer's quiet hours in their own time zone", async () => {
    // Quiet now and for the next hours wherever the test runs: the window starts an hour ago, in Asia/Tehran.
    const zone = 'Asia/Tehran';
    const local = DateTime.now().setZone(zone);
    const start = local.minus({ hours: 1 }).toFormat('HH:00');
    const end = local.plus({ hours: 4 }).toFormat('HH:00');
    await saveSettings(9504, { language: 'en', time_zone: zone, quiet_hours: { start, end }, notifications: { status_updates: 'each', announcements: true } });
    const ticketId = await resolveByAgent(9504);
    const job = await h.client.waitFor(
      async () => (await h.db.query<{ due_at: Date }>(`SELECT due_at FROM feature_jobs WHERE kind = 'followup' AND ticket_id = $1`, [ticketId])).rows[0],
      { what: 'the follow-up job' },
    );
    const due = DateTime.fromJSDate(new Date(job.due_at)).setZone(zone);
    expect(due.toFormat('HH:mm')).toBe(end);
    expect(due > DateTime.now().plus({ hours: 1 })).toBe(true);
  });

  it("a non-urgent broadcast waits for the end of a customer's own quiet hours; the others get it at once", async () => {
    const zone = 'America/New_York';
    const local = DateTime.now().setZone(zone);
    const quiet = { start: local.minus({ hours: 1 }).toFormat('HH:00'), end: local.plus({ hours: 3 }).toFormat('HH:00') };
    await h.client.sendCustomerMessage(9601, { text: '/start', first_name: 'Night', language_code: 'en' });
    await h.client.sendCustomerMessage(9602, { text: '/start', first_name: 'Day', language_code: 'en' });
    await h.settle();
    await saveSettings(9601, { language: 'en', time_zone: zone, quiet_hours: quiet, notifications: { status_updates: 'each', announcements: true } });
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Lead', text: '/broadcast Scheduled maintenance tonight at 23:00 UTC.' });
    const preview = await h.client.waitForChatMessage(SUPPORT, /Broadcast #\d+ preview/);
    await h.client.pressSupportButton({ from_id: AGENT, message_id: preview.message_id, text: '✅ Confirm' });
    await h.client.waitForCustomerMessage(9602, /Scheduled maintenance/);
    const job = await h.client.waitFor(
      async () =>
        (await h.db.query<{ due_at: Date; status: string }>(`SELECT due_at, status FROM feature_jobs WHERE kind = 'broadcast' AND status = 'pending'`)).rows[0],
      { what: 'the broadcast waiting for a customer' },
    );
    expect(DateTime.fromJSDate(new Date(job.due_at)).setZone(zone).toFormat('HH:mm')).toBe(quiet.end);
    expect((await texts(9601)).some((t) => t.includes('Scheduled maintenance'))).toBe(false);
    // Their morning comes: the rest goes out, to them only.
    await h.runJobs(new Date(new Date(job.due_at).getTime() + 1000));
    await h.client.waitForCustomerMessage(9601, /Scheduled maintenance/);
    expect((await texts(9602)).filter((t) => t.includes('Scheduled maintenance'))).toHaveLength(1);
  });
});
