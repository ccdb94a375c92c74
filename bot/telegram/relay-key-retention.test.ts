/**
 * Relay keys (relay_event_keys) are kept while Telegram could redeliver their update, then pruned — by every
 * desk, whatever receives its updates — on PGlite and PostgreSQL (TEST_DATABASE_URL, test/helpers/stores.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../core/log.js';
import type { Db } from '../../core/postgres.js';
import { storeEngines } from '../../test/helpers/stores.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { migrateBot } from '../store/migrate.js';
import { RELAY_KEY_MAX_AGE_DAYS, startRelayKeyRetention } from './relay-key-retention.js';

const log = logger('relay-key-retention-test');
const tmp = tmpDataDir('desk-relay-keys-');
const stores = storeEngines({ dataDir: tmp.dir, schemaPrefix: 'desk_relay_keys_test', poolSize: 2 });

afterAll(async () => {
  tmp.cleanup();
  await stores.cleanup();
});

describe.each(stores.engines)('relay key retention on %s', (_name, open) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
    await migrateBot(db);
  });
  afterAll(async () => db?.close());

  const key = (message: number, ageDays: number) =>
    db.query(`INSERT INTO relay_event_keys (source_chat_id, source_message_id, ticket_id, recorded_at) VALUES (1, $1, 1, now() - make_interval(hours => $2))`, [
      message,
      Math.round(ageDays * 24),
    ]);
  const kept = async () => (await db.query<{ m: number }>('SELECT source_message_id AS m FROM relay_event_keys ORDER BY 1')).rows.map((r) => r.m);

  it('prunes at start what no redelivery can need, keeps the rest, and prunes again on its own', async () => {
    expect(RELAY_KEY_MAX_AGE_DAYS).toBe(8);
    await key(1, 30);
    await key(2, RELAY_KEY_MAX_AGE_DAYS + 0.5);
    await key(3, RELAY_KEY_MAX_AGE_DAYS - 0.5);
    await key(4, 0);
    const retention = startRelayKeyRetention(db, log, 50);
    try {
      await expect.poll(kept, { timeout: 5_000 }).toEqual([3, 4]);
      // Later: a key that has grown old meanwhile goes on the next round.
      await db.query(`UPDATE relay_event_keys SET recorded_at = now() - interval '9 days' WHERE source_message_id = 3`);
      await expect.poll(kept, { timeout: 5_000 }).toEqual([4]);
    } finally {
      await retention.stop();
    }
    // Stopped: nothing runs any more.
    await key(5, 30);
    await new Promise((r) => setTimeout(r, 200));
    expect(await kept()).toEqual([4, 5]);
  });
});
