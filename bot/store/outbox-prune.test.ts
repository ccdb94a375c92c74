/**
 * Outbox pruning (OUTBOX_RETENTION) on PGlite and PostgreSQL (TEST_DATABASE_URL, test/helpers/stores.ts):
 * published rows older than the retention go, in bounded batches; unpublished rows — however
 * old — and recently published ones stay; the relay's loop prunes on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus, BusProducer } from '../../core/bus/types.js';
import { logger } from '../../core/log.js';
import type { Db } from '../../core/postgres.js';
import { storeEngines } from '../../test/helpers/stores.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { OutboxRelay } from '../outbox-relay.js';
import { migrateBot } from './migrate.js';

const log = logger('outbox-prune-test');
const tmp = tmpDataDir('desk-outbox-prune-');
const DAY = 86_400_000;

const nullBus: Bus = {
  kind: 'embedded',
  producer: async (): Promise<BusProducer> => ({ send: async () => undefined, close: async () => undefined }),
  consumer: async () => {
    throw new Error('no consumers');
  },
  ensureTopics: async () => undefined,
  close: async () => undefined,
};

const stores = storeEngines({ dataDir: tmp.dir, schemaPrefix: 'desk_prune_test', poolSize: 4 });
const engines = stores.engines;

afterAll(async () => {
  tmp.cleanup();
  await stores.cleanup();
});

describe.each(engines)('outbox pruning on %s', (_name, open) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
    await migrateBot(db);
  });
  afterAll(async () => db?.close());

  /** Inserts `n` rows created `ageMs` ago, published `publishedAgoMs` ago (null: unpublished); returns their ids. */
  async function rows(n: number, label: string, ageMs: number, publishedAgoMs: number | null): Promise<number[]> {
    const r = await db.query<{ id: string }>(
      `INSERT INTO outbox (topic, key, payload, created_at, published_at)
       SELECT 'support.events', NULL, jsonb_build_object('label', $1::text, 'i', g),
              now() - $2::double precision * interval '1 millisecond',
              CASE WHEN $3::double precision IS NULL THEN NULL ELSE now() - $3::double precision * interval '1 millisecond' END
         FROM generate_series(1, $4::int) g RETURNING id`,
      [label, ageMs, publishedAgoMs, n],
    );
    return r.rows.map((x) => Number(x.id));
  }
  const labels = async () =>
    (await db.query<{ label: string; n: number }>("SELECT payload->>'label' AS label, count(*)::int AS n FROM outbox GROUP BY 1 ORDER BY 1")).rows;

  it('deletes published rows past the retention in bounded batches; unpublished and recent rows stay', async () => {
    await db.query('DELETE FROM outbox');
    await rows(25, 'old-published', 30 * DAY, 20 * DAY);
    await rows(4, 'old-unpublished', 30 * DAY, null);
    await rows(3, 'recent-published', 10 * DAY, 2 * DAY); // created long ago, published recently: kept
    await rows(5, 'new-unpublished', 0, null);
    const relay = new OutboxRelay({ db, bus: nullBus, batchSize: 10, log, retentionMs: 7 * DAY, pruneBatch: 4 });
    // One pass deletes at most 10 batches of 4: 25 rows take one pass (7 statements).
    expect(await relay.prune()).toBe(25);
    expect(await labels()).toEqual([
      { label: 'new-unpublished', n: 5 },
      { label: 'old-unpublished', n: 4 },
      { label: 'recent-published', n: 3 },
    ]);
    expect(await relay.prune()).toBe(0);
    expect(await relay.backlog()).toBe(9);
  });

  it('a pass is bounded: the rest waits for the next pass', async () => {
    await db.query('DELETE FROM outbox');
    await rows(50, 'old-published', 30 * DAY, 20 * DAY);
    const relay = new OutboxRelay({ db, bus: nullBus, batchSize: 10, log, retentionMs: DAY, pruneBatch: 3 });
    expect(await relay.prune()).toBe(30);
    expect(await relay.prune()).toBe(20);
    expect(await labels()).toEqual([]);
  });

  it('with retention null nothing is pruned; by default OUTBOX_RETENTION (7d) applies', async () => {
    await db.query('DELETE FROM outbox');
    await rows(3, 'old-published', 30 * DAY, 20 * DAY);
    await rows(2, 'recent-published', 3 * DAY, 3 * DAY);
    expect(await new OutboxRelay({ db, bus: nullBus, batchSize: 10, log, retentionMs: null }).prune()).toBe(0);
    expect(await labels()).toEqual([
      { label: 'old-published', n: 3 },
      { label: 'recent-published', n: 2 },
    ]);
    expect(await new OutboxRelay({ db, bus: nullBus, batchSize: 10, log }).prune()).toBe(3);
    expect(await labels()).toEqual([{ label: 'recent-published', n: 2 }]);
  });

  it('the running relay publishes, then prunes what is past the retention', async () => {
    await db.query('DELETE FROM outbox');
    await rows(6, 'old-published', 30 * DAY, 20 * DAY);
    await rows(4, 'pending', 0, null);
    const relay = new OutboxRelay({ db, bus: nullBus, batchSize: 10, log, pollMs: 10, retentionMs: 7 * DAY, pruneEveryMs: 10 });
    relay.start();
    for (let i = 0; i < 200 && (relay.pruned < 6 || (await relay.backlog()) > 0); i++) await new Promise((r) => setTimeout(r, 10));
    await relay.stop();
    expect(relay.published).toBe(4);
    expect(relay.pruned).toBe(6);
    // The rows just published are within the retention: they stay.
    expect(await labels()).toEqual([{ label: 'pending', n: 4 }]);
    expect(await relay.backlog()).toBe(0);
  });

  it('the prune query can use the published_at index (migration 090)', async () => {
    const r = await db.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'outbox' AND indexname = 'outbox_published_at'",
    );
    expect(r.rows).toHaveLength(1);
  });
});
