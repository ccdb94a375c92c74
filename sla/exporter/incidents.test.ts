/** The suspected-incident gauges the SuspectedIncidentUnacknowledged rule reads (prometheus/rules/incidents.yml). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { Db } from '../../core/postgres.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { registerSlaCollectors } from './collectors.js';
import { openTestStore } from './test-support.js';

const tmp = tmpDataDir('sla-incidents-');
const NOW = new Date('2026-03-02T12:00:00Z');
let db: Db;

beforeAll(async () => {
  db = await openTestStore(tmp.dir);
});
afterAll(async () => {
  await db?.close();
  tmp.cleanup();
});

const spike = (key: string, status: string, minutesAgo: number) =>
  db.query(`INSERT INTO incident_spikes (key, status, tickets, customers, baseline, first_ticket_at, detected_at) VALUES ($1, $2, 6, 5, 0.5, $3, $3)`, [
    key,
    status,
    new Date(NOW.getTime() - minutesAgo * 60_000),
  ]);

describe('suspected incidents on /metrics', () => {
  it('counts the ones no team lead answered and the age of the oldest; 0 when none waits', async () => {
    const registry = new Registry();
    registerSlaCollectors({ db, registry, now: () => NOW });
    const value = async (name: string) => (await registry.getSingleMetric(name)!.get()).values[0]?.value;
    expect(await value('support_incidents_suspected_unacknowledged')).toBe(0);
    expect(await value('support_incident_suspected_unacknowledged_seconds')).toBe(0);
    await spike('cat:payment', 'suspected', 15);
    await spike('cat:account', 'suspected', 2);
    await spike('cat:features', 'dismissed', 60);
    await spike('kb:card-declined', 'confirmed', 90);
    expect(await value('support_incidents_suspected_unacknowledged')).toBe(2);
    expect(await value('support_incident_suspected_unacknowledged_seconds')).toBe(15 * 60);
    expect(await registry.metrics()).toContain('support_incident_suspected_unacknowledged_seconds 900');
  });
});
