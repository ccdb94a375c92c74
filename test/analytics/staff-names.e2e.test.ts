/**
 * End to end, the agent's name: an agent acts in the sandbox's support group →
 * the desk records "Anna K." in its store and publishes staff_updated through
 * the outbox → the ingest service (embedded bus) writes it to ClickHouse's
 * `staff`, not to `events` → /api/v1/breakdown?by=agent labels the agent's row.
 * A rename in Telegram travels the same way; an agent's further actions under
 * the same name publish nothing more.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedBus } from '../../core/bus/embedded.js';
import type { Bus } from '../../core/bus/types.js';
import { queryRows } from '../../core/clickhouse.js';
import { buildDashboardServer } from '../../dashboard/server.js';
import { loadIngestConfig } from '../../ingest/config.js';
import { startIngest, type IngestService } from '../../ingest/service.js';
import { waitFor } from '../../ingest/test-support.js';
import { startHarness, topicOf, type Harness } from '../bot/harness.js';
import { tmpDataDir } from '../helpers/tmp.js';
import { openAnalyticsDb, type AnalyticsDb } from './chdb.js';

const AGENT = 500_777;
const CUSTOMER = 4_201;
const TOPIC = 'support.events';

const busDir = tmpDataDir('desk-staff-bus-');
let h: Harness;
let analytics: AnalyticsDb;
let bus: Bus;
let ingest: IngestService;
let app: FastifyInstance;
let forwarded = 0;

/** What the desk published since the last call, onto the bus the ingest service reads (as the relay would have). */
async function forward(): Promise<void> {
  await h.settle();
  const messages = h.bus.sent.slice(forwarded).map((m) => ({ key: m.key, value: m.value }));
  forwarded = h.bus.sent.length;
  const producer = await bus.producer();
  await producer.send(TOPIC, messages);
  await producer.close();
}

const staff = () =>
  queryRows<{ id: number; display_name: string }>(analytics.ch, 'SELECT id, argMax(display_name, updated_at) AS display_name FROM staff GROUP BY id');
const agentRows = async () => {
  const from = new Date(Date.now() - 86_400_000).toISOString();
  const res = await app.inject({ url: `/api/v1/breakdown?by=agent&from=${from}&to=${new Date(Date.now() + 60_000).toISOString()}` });
  expect(res.statusCode).toBe(200);
  return res.json() as { key: string; label?: string; tickets_created: number }[];
};

beforeAll(async () => {
  [h, analytics] = await Promise.all([startHarness(), openAnalyticsDb()]);
  bus = createEmbeddedBus({ dir: join(busDir.dir, 'bus'), defaultPartitions: 1 });
  const config = loadIngestConfig({
    KAFKA_TOPIC: TOPIC,
    KAFKA_DLQ_TOPIC: `${TOPIC}.dlq`,
    KAFKA_PARTITIONS: '1',
    KAFKA_GROUP_ID: 'staff-e2e-ingest',
    INGEST_BATCH_SIZE: '100',
    INGEST_BATCH_MS: '50',
  });
  ingest = await startIngest({ bus, ch: analytics.ch, config });
  app = await buildDashboardServer({ ch: analytics.ch, webRoot: false });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await ingest?.stop();
  await bus?.close();
  await analytics?.close();
  await h?.close();
  busDir.cleanup();
});

describe('an agent acts → the name reaches ClickHouse → the API labels the agent', () => {
  it('the first reply of Anna Karenina names agent 500777 "Anna K." in staff and in /breakdown?by=agent', async () => {
    await h.client.sendCustomerMessage(CUSTOMER, { text: 'My payment failed', first_name: 'Oleg', language_code: 'en' });
    const thread = await topicOf(h.client, CUSTOMER, h.db);
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Anna', last_name: 'Karenina', thread_id: thread, text: 'Hello Oleg, checking it' });
    await h.client.waitForCustomerMessage(CUSTOMER, 'Hello Oleg, checking it');
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Anna', last_name: 'Karenina', thread_id: thread, text: 'Refunded now' });
    await h.client.waitForCustomerMessage(CUSTOMER, 'Refunded now');
    await forward();

    // the desk's store has the name, and published it once (the second reply changed nothing)
    expect((await h.db.query('SELECT id, display_name FROM staff')).rows).toEqual([{ id: AGENT, display_name: 'Anna K.' }]);
    const published = h.bus.events().filter((e) => e.type === 'staff_updated');
    expect(published.map((e) => [e.agent_id, e.display_name])).toEqual([[AGENT, 'Anna K.']]);

    await waitFor(async () => (await staff()).length > 0, 30_000);
    expect(await staff()).toEqual([{ id: AGENT, display_name: 'Anna K.' }]);
    // the ticket's events are in, and the name is only in `staff`: events keep the id
    await waitFor(async () => (await queryRows(analytics.ch, "SELECT 1 FROM events WHERE type = 'message_out'")).length === 2, 30_000);
    const staffEvent = await queryRows(analytics.ch, "SELECT * FROM events WHERE type = 'staff_updated'");
    expect(staffEvent.map((e) => e.agent_id)).toEqual([AGENT]);
    expect(JSON.stringify(await queryRows(analytics.ch, 'SELECT * FROM events'))).not.toMatch(/Anna|Karenina/);

    const rows = await agentRows();
    expect(rows.find((r) => r.key === String(AGENT))).toMatchObject({ key: String(AGENT), label: 'Anna K.', tickets_created: 1 });
  });

  it('after a rename in Telegram, the next action relabels the agent', async () => {
    const thread = await topicOf(h.client, CUSTOMER, h.db);
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Anna', last_name: 'Vronskaya', thread_id: thread, text: 'Anything else?' });
    await h.client.waitForCustomerMessage(CUSTOMER, 'Anything else?');
    await forward();
    await waitFor(async () => (await staff())[0]?.display_name === 'Anna V.', 30_000);
    expect((await agentRows()).find((r) => r.key === String(AGENT))?.label).toBe('Anna V.');
    expect(
      h.bus
        .events()
        .filter((e) => e.type === 'staff_updated')
        .map((e) => e.display_name),
    ).toEqual(['Anna K.', 'Anna V.']);
  });
});
