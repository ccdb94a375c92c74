/**
 * Every feature's events reach ClickHouse with the fields analytics read:
 * the desk (real sandbox, PGlite) plays one scenario per feature; what its
 * outbox relay published goes through an embedded bus and the real ingest
 * service into chDB, where the `events` table is queried.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedBus } from '../../core/bus/embedded.js';
import type { Bus } from '../../core/bus/types.js';
import { createClickHouse, loadClickHouseConfig, queryRows, type ClickHouse } from '../../core/clickhouse.js';
import { migrate } from '../../core/migrate.js';
import { loadIngestConfig } from '../../ingest/config.js';
import { startIngest, type IngestService } from '../../ingest/service.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { AGENT, SUPPORT, openTicket, startFeatureHarness, type FeatureHarness } from '../../test/bot/feature-harness.js';
import { analyticsIdOf } from '../store/pseudonyms.js';

const HOUR = 3600_000;
let h: FeatureHarness;
const chDir = tmpDataDir('features-ch-');
let ch: ClickHouse;
let bus: Bus;
let ingest: IngestService;

beforeAll(async () => {
  // AGENT broadcasts: a team lead's action (bot/roles.ts).
  h = await startFeatureHarness({ env: { SPAM_NEWCOMER_MESSAGES: '1', SPAM_NEWCOMER_AGE: '0' }, botEnv: { TEAM_LEAD_IDS: String(AGENT) } });
  const cfg = loadClickHouseConfig({ DATA_DIR: chDir.dir });
  ch = await createClickHouse(cfg);
  await migrate(ch, { eventsTtlDays: cfg.EVENTS_TTL_DAYS });
}, 120_000);
afterAll(async () => {
  await ingest?.stop();
  await bus?.close();
  await ch?.close();
  await h?.close();
  chDir.cleanup();
});

async function playEveryFeature(): Promise<void> {
  const c = h.client;
  // KB: suggested, solved.
  await c.sendCustomerMessage(9001, { text: 'how can I increase my daily transfer limit', first_name: 'Kay', language_code: 'en' });
  await c.waitForCustomerMessage(9001, /This article may answer/);
  await c.pressCustomerButton(9001, '✅ Solved');
  await c.waitForCustomerMessage(9001, /Glad it helped/);

  // Macro, ratings (CSAT + NPS), follow-up "No" → reopened.
  const { thread } = await openTicket(h, 9002, { name: 'Lu', language: 'ru', text: 'добрый день, вопрос по договору' });
  await c.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: '/m receipt' });
  await c.waitForCustomerMessage(9002, /зарегистрировано/);
  await c.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/resolve' });
  await c.waitForCustomerMessage(9002, /Как вы оцените/);
  await c.pressCustomerButton(9002, '5');
  await c.waitForCustomerMessage(9002, /порекомендуете/);
  await c.pressCustomerButton(9002, '10');
  await c.waitForCustomerMessage(9002, /очень важно/);
  await c.waitFor(async () => ((await h.db.query(`SELECT 1 FROM feature_jobs WHERE kind = 'followup'`)).rows.length > 0 ? true : undefined), {
    what: 'follow-up scheduled',
  });
  await h.runJobs(new Date(Date.now() + 25 * HOUR));
  await c.waitForCustomerMessage(9002, /Наше решение помогло/);
  await c.pressCustomerButton(9002, '👎 Нет');
  await c.waitForCustomerMessage(9002, /снова открыто/);

  // Auto-close after need_details.
  const other = await openTicket(h, 9003, { name: 'Mo' });
  await c.sendSupportMessage({ from_id: AGENT, thread_id: other.thread, text: '/m need_details' });
  await c.waitForCustomerMessage(9003, /need a bit more information/);
  await h.runJobs(new Date(Date.now() + 73 * HOUR));
  await c.waitForCustomerMessage(9003, /closed ticket/);

  // Anti-spam: a newcomer's link (it opens a ticket; the link is held for the agents).
  await c.sendCustomerMessage(9004, { text: 'hi https://promo.example', first_name: 'Spam', language_code: 'en' });
  await c.waitForCustomerMessage(9004, /checks links from new contacts/);

  // Broadcast.
  await c.sendSupportMessage({ from_id: AGENT, text: '/broadcast Maintenance at 02:00 UTC.' });
  const preview = await c.waitForChatMessage(SUPPORT, /Broadcast #\d+ preview/);
  await c.pressSupportButton({ from_id: AGENT, message_id: preview.message_id, text: '✅ Confirm' });
  await c.waitForChatMessage(SUPPORT, (m) => m.message_id === preview.message_id && /finished/.test(m.text ?? ''), { timeoutMs: 30_000 });
}

describe('feature events in ClickHouse', () => {
  it('arrive through the bus and the ingest with the fields analytics need', async () => {
    await playEveryFeature();
    await h.settle();

    bus = createEmbeddedBus({ dir: join(chDir.dir, 'bus'), defaultPartitions: 2 });
    const ingestConfig = loadIngestConfig({ INGEST_BATCH_MS: '50' });
    expect(ingestConfig.KAFKA_TOPIC).toBe(h.config.eventsTopic);
    await bus.ensureTopics([{ name: h.config.eventsTopic, partitions: 2 }]);
    const producer = await bus.producer();
    await producer.send(
      h.config.eventsTopic,
      h.bus.sent.map((m) => ({ key: m.key, value: m.value })),
    );
    await producer.close();
    ingest = await startIngest({ bus, ch, config: ingestConfig });

    const published = h.bus.sent.length;
    await h.client.waitFor(
      async () => {
        const [r] = await queryRows<{ n: number }>(ch, 'SELECT count() AS n FROM events FINAL');
        return Number(r!.n) >= published ? true : undefined;
      },
      { timeoutMs: 60_000, what: `${published} events in ClickHouse` },
    );

    // Events carry pseudonyms (bot/store/pseudonyms.ts): each is read back as its customer's Telegram id, a
    // raw Telegram id (or any other number) as a string that no expectation below matches.
    const customers = [9001, 9002, 9003, 9004];
    const pseudonyms = await Promise.all(customers.map((c) => analyticsIdOf(h.db, c)));
    const telegramIdOf = new Map(pseudonyms.map((p, i) => [p, customers[i]!]));
    const byTelegramId = `transform(customer_id, CAST([${pseudonyms.join(', ')}], 'Array(Int64)'), CAST([${customers.join(', ')}], 'Array(Int64)'), customer_id)`;
    const rows = async (type: string, cols: string) =>
      (
        await queryRows<Record<string, unknown>>(
          ch,
          `SELECT ${cols} FROM events FINAL WHERE type = {type:String} ORDER BY ${byTelegramId}, occurred_at, event_id`,
          {
            type,
          },
        )
      ).map((r) => ('customer_id' in r ? { ...r, customer_id: telegramIdOf.get(Number(r.customer_id)) ?? `not a pseudonym: ${r.customer_id}` } : r));
    const envelope = 'ticket_id, customer_id, queue, language, ticket_created_at';

    expect(await rows('kb_suggested', `${envelope}, kb_article_id, kb_score`)).toEqual([
      expect.objectContaining({
        customer_id: 9001,
        queue: 'L1',
        language: 'en',
        kb_article_id: 'limits',
        kb_score: expect.any(Number),
        ticket_created_at: expect.any(String),
      }),
    ]);
    expect(await rows('kb_outcome', 'customer_id, kb_article_id, outcome')).toEqual([{ customer_id: 9001, kb_article_id: 'limits', outcome: 'solved' }]);
    expect(await rows('bot_reply', 'reply_kind, kb_article_id')).toContainEqual({ reply_kind: 'kb', kb_article_id: 'limits' });
    const resolved = await rows('ticket_resolved', 'customer_id, resolved_by, resolution_seconds, agent_replies');
    expect(resolved.map((r) => [r.customer_id, r.resolved_by])).toEqual([
      [9001, 'kb'],
      [9002, 'agent'],
      [9003, 'auto_close'],
    ]);
    expect(resolved.every((r) => typeof r.resolution_seconds === 'number')).toBe(true);

    expect(await rows('macro_used', 'customer_id, agent_id, macro')).toEqual([
      { customer_id: 9002, agent_id: AGENT, macro: 'receipt' },
      { customer_id: 9003, agent_id: AGENT, macro: 'need_details' },
    ]);
    // Both surveys can carry the same Telegram second; which row sorts first is not the point.
    const surveys = (await rows('survey_sent', 'customer_id, survey, language')).sort((a, b) => String(a.survey).localeCompare(String(b.survey)));
    expect(surveys).toEqual([
      { customer_id: 9002, survey: 'csat', language: 'ru' },
      { customer_id: 9002, survey: 'nps', language: 'ru' },
    ]);
    expect(await rows('csat_rated', `${envelope}, agent_id, score`)).toEqual([
      expect.objectContaining({ customer_id: 9002, agent_id: AGENT, score: 5, queue: 'L1' }),
    ]);
    expect(await rows('nps_rated', 'customer_id, score')).toEqual([{ customer_id: 9002, score: 10 }]);
    expect(await rows('followup_sent', 'customer_id')).toEqual([{ customer_id: 9002 }]);
    expect(await rows('followup_answered', 'customer_id, helped')).toEqual([{ customer_id: 9002, helped: false }]);
    expect(await rows('ticket_reopened', 'customer_id, reason')).toEqual([{ customer_id: 9002, reason: 'followup' }]);
    expect(await rows('spam_blocked', 'ticket_id, customer_id, reason, language')).toEqual([
      { ticket_id: expect.any(Number), customer_id: 9004, reason: 'link', language: 'en' },
    ]);
    expect((await rows('spam_blocked', 'ticket_id'))[0]!.ticket_id).not.toBe(0);
    expect(await rows('broadcast_sent', 'ticket_id, agent_id, broadcast_id, recipients, delivered, failed, opted_out')).toEqual([
      { ticket_id: 0, agent_id: AGENT, broadcast_id: expect.stringMatching(/^\d+$/), recipients: 4, delivered: 4, failed: 0, opted_out: 0 },
    ]);
    // The audited broadcast (bot/audit.ts): who, and the action kind in `reason`.
    expect(await rows('staff_action', 'ticket_id, agent_id, reason')).toContainEqual({ ticket_id: 0, agent_id: AGENT, reason: 'broadcast' });
  });
});
