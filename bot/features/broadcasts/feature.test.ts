/**
 * Incident broadcasts end to end, against a sandbox that enforces Telegram's
 * flood limits, with the desk's throttler on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuietHours } from '../../runtime/quiet-hours.js';
import { AGENT, SUPPORT, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';

let h: FeatureHarness;
const CUSTOMERS = Array.from({ length: 40 }, (_, i) => 8001 + i);
const OPTED_OUT = [8001, 8002];
const BLOCKED = 8003;
const BANNED = 8004;
const HOUR = 3600_000;
/** The second team lead of the two-person rule for urgent broadcasts (AGENT is the first). */
const LEAD2 = 700_002;

beforeAll(async () => {
  // Telegram's global (30/s) and per-chat (1/s) limits, which a broadcast must respect, are enforced
  // by the sandbox and kept by the desk's throttler; the group limit is raised so the many previews
  // and status edits of these tests don't wait for minutes.
  h = await startFeatureHarness({
    botEnv: { THROTTLE: '1', THROTTLE_GROUP_PER_MINUTE: '600', TEAM_LEAD_IDS: `${AGENT},${LEAD2}` },
    sandbox: { floodLimits: { groupPerMinute: 600 } },
    env: { BROADCAST_PROGRESS_INTERVAL: '0s' },
  });
  for (const id of CUSTOMERS) await h.client.sendCustomerMessage(id, { text: '/start', first_name: `C${id}`, language_code: id % 2 ? 'en' : 'ru' });
  await h.settle();
  for (const id of OPTED_OUT) await h.client.sendCustomerMessage(id, { text: '/unsubscribe' });
  await h.client.blockBot(BLOCKED);
  await h.settle();
  await h.db.query('UPDATE customers SET banned = true WHERE id = $1', [BANNED]);
}, 120_000);
afterAll(async () => h?.close());

const received = async (id: number, pattern: RegExp) => (await h.client.getCustomerMessages(id)).filter((m) => m.from === 'bot' && pattern.test(m.text ?? ''));

describe('broadcast', () => {
  it('previews the audience, sends on confirm to everyone who has not opted out, in their language, within the flood limits', async () => {
    await h.client.sendSupportMessage({
      from_id: AGENT,
      first_name: 'Lead',
      text: '/broadcast Card payments are delayed by about 30 minutes. Your money is safe.',
    });
    const preview = await h.client.waitForChatMessage(SUPPORT, /Broadcast #\d+ preview/);
    expect(preview.text).toContain('36 recipients, 2 opted out');
    expect(preview.text).toContain('Card payments are delayed');
    expect(preview.buttons?.flat()).toEqual(['✅ Confirm', '🚨 Urgent: off', '✖️ Cancel']);

    await h.client.pressSupportButton({ from_id: AGENT, message_id: preview.message_id, text: '✅ Confirm' });
    const done = await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === preview.message_id && /finished/.test(m.text ?? ''), { timeoutMs: 30_000 });
    expect(done.text).toContain('36 delivered, 0 failed of 36; 2 opted out');

    for (const id of CUSTOMERS) {
      const got = await received(id, /Card payments are delayed/);
      const eligible = !OPTED_OUT.includes(id) && id !== BLOCKED && id !== BANNED;
      expect(got.length, `customer ${id}`).toBe(eligible ? 1 : 0);
      if (eligible)
        expect(got[0]!.text).toMatch(id % 2 ? /^📣 Service update[\s\S]*\/unsubscribe to stop/ : /^📣 Новости сервиса[\s\S]*\/unsubscribe — отписаться/);
    }
    // The throttler kept every send inside Telegram's limits.
    const stats = await h.client.getStats();
    expect(stats.too_many_requests).toBe(0);

    const sent = await h.eventsOf('broadcast_sent');
    expect(sent).toEqual([expect.objectContaining({ recipients: 36, delivered: 36, failed: 0, opted_out: 2, agent_id: AGENT, ticket_id: null })]);
  });

  it('counts a failed delivery and does not send twice when run again', async () => {
    await h.client.sendSupportMessage({ from_id: AGENT, text: '/broadcast --urgent Service restored.' });
    const preview = await h.client.waitForChatMessage(SUPPORT, /Broadcast #\d+ preview[\s\S]*Service restored/);
    // Two-person rule: --urgent asks for it, a second team lead's press makes it urgent.
    expect(preview.text).toContain('waiting for a second team lead');
    await h.client.pressSupportButton({ from_id: LEAD2, message_id: preview.message_id, text: '🚨 Urgent: off' });
    await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === preview.message_id && /🚨 Urgent\./.test(m.text ?? ''));
    // The first delivery finds the customer gone (8005, the lowest eligible id; later broadcasts skip them).
    await h.client.injectFault({ method: 'sendMessage', error_code: 403, description: 'Forbidden: bot was blocked by the user', count: 1 });
    await h.client.pressSupportButton({ from_id: AGENT, message_id: preview.message_id, text: '✅ Confirm' });
    const done = await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === preview.message_id && /finished/.test(m.text ?? ''), { timeoutMs: 30_000 });
    expect(done.text).toContain('35 delivered, 1 failed of 36');
    await h.runJobs(new Date(Date.now() + HOUR));
    await h.settle();
    let total = 0;
    for (const id of CUSTOMERS) total += (await received(id, /Service restored/)).length;
    expect(total).toBe(35);
    const sent = (await h.eventsOf('broadcast_sent')).at(-1)!;
    expect(sent).toMatchObject({ recipients: 36, delivered: 35, failed: 1, opted_out: 2 });
  });

  it('waits for the end of quiet hours unless marked urgent; cancel sends nothing', async () => {
    const now = new Date();
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    const config = h.features.runtime.config as { quietHours: unknown };
    config.quietHours = parseQuietHours(`${hhmm(new Date(now.getTime() - HOUR))}-${hhmm(new Date(now.getTime() + 2 * HOUR))}`, 'UTC');
    try {
      await h.client.sendSupportMessage({ from_id: AGENT, text: '/broadcast Planned maintenance tonight.' });
      const preview = await h.client.waitForChatMessage(SUPPORT, /Broadcast #\d+ preview[\s\S]*Planned maintenance/);
      expect(preview.text).toContain('Quiet hours now');
      await h.client.pressSupportButton({ from_id: AGENT, message_id: preview.message_id, text: '✅ Confirm' });
      await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === preview.message_id && /when quiet hours end/.test(m.text ?? ''));
      await h.runJobs(new Date(now.getTime() + HOUR));
      expect(await received(8007, /Planned maintenance/)).toEqual([]);
      await h.runJobs(new Date(now.getTime() + 2 * HOUR + 5 * 60_000));
      await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === preview.message_id && /finished/.test(m.text ?? ''), { timeoutMs: 30_000 });
      expect(await received(8007, /Planned maintenance/)).toHaveLength(1);

      // Urgent goes out during quiet hours.
      await h.client.sendSupportMessage({ from_id: AGENT, text: '/broadcast Login outage, we are on it.' });
      const urgent = await h.client.waitForChatMessage(SUPPORT, /Broadcast #\d+ preview[\s\S]*Login outage/);
      await h.client.pressSupportButton({ from_id: AGENT, message_id: urgent.message_id, text: '🚨 Urgent: off' });
      await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === urgent.message_id && /waiting for a second team lead/.test(m.text ?? ''));
      await h.client.pressSupportButton({ from_id: LEAD2, message_id: urgent.message_id, text: '🚨 Urgent: off' });
      await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === urgent.message_id && /🚨 Urgent\./.test(m.text ?? ''));
      await h.client.pressSupportButton({ from_id: AGENT, message_id: urgent.message_id, text: '✅ Confirm' });
      await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === urgent.message_id && /finished/.test(m.text ?? ''), { timeoutMs: 30_000 });
      expect((await received(8007, /Login outage/))[0]?.text).toMatch(/^🚨 /);

      await h.client.sendSupportMessage({ from_id: AGENT, text: '/broadcast never mind' });
      const cancelled = await h.client.waitForChatMessage(SUPPORT, /Broadcast #\d+ preview[\s\S]*never mind/);
      await h.client.pressSupportButton({ from_id: AGENT, message_id: cancelled.message_id, text: '✖️ Cancel' });
      await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === cancelled.message_id && /cancelled/.test(m.text ?? ''));
      await h.runJobs(new Date(now.getTime() + 5 * HOUR));
      expect(await received(8007, /never mind/)).toEqual([]);
    } finally {
      config.quietHours = undefined;
    }
  });

  it('lets customers opt back in, and refuses to broadcast from a customer topic or a text too long for one message', async () => {
    await h.client.sendCustomerMessage(8001, { text: '/subscribe' });
    await h.client.waitForCustomerMessage(8001, /receive service updates again/);
    const r = await h.db.query<{ broadcast_opt_out: boolean }>('SELECT broadcast_opt_out FROM customer_settings WHERE customer_id = 8001');
    expect(r.rows[0]!.broadcast_opt_out).toBe(false);

    await h.client.sendCustomerMessage(8010, { text: 'a question about my contract' });
    const thread = await h.thread(8010);
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/broadcast hello all' });
    await h.client.waitForChatMessage(SUPPORT, /Broadcasts are sent from the General topic/, { threadId: thread });

    await h.client.sendSupportMessage({ from_id: AGENT, text: `/broadcast ${'x'.repeat(3600)}` });
    await h.client.waitForChatMessage(SUPPORT, 'The broadcast is 3,600 characters long; 3,500 at most');
  });
});
