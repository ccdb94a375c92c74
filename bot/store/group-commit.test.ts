/**
 * Group commit on the relay's hot path (group-commit.ts), on PGlite and PostgreSQL (TEST_DATABASE_URL): concurrent
 * customers' claims, pairs, history rows and message_in writes go in one statement each, and a batch keeps every
 * guarantee of one statement per message — a bad item fails only its own caller (the others recorded once), a
 * redelivered message never races its first delivery inside one statement, and claims a crash left after the
 * batch's commit (before the copy was sent) are orphaned at the next start and taken over (re-sent, flagged).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../core/log.js';
import type { Db } from '../../core/postgres.js';
import { parseBusinessHours } from '../../sla/business-hours.js';
import { DEFAULT_SLA_TARGETS, parseSlaTargets, SlaPolicy } from '../../sla/policy.js';
import { storeEngines } from '../../test/helpers/stores.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { parseCategories } from '../routing.js';
import { TicketService } from '../tickets/service.js';
import { CustomerRepo } from './customers.js';
import { GroupCommit } from './group-commit.js';
import { type MessagePair, MessagePairRepo } from './message-pairs.js';
import { migrateBot } from './migrate.js';
import { Outbox } from './outbox.js';
import { TicketMessageRepo } from './ticket-messages.js';

const tmp = tmpDataDir('desk-group-commit-');
const stores = storeEngines({ dataDir: tmp.dir, schemaPrefix: 'desk_group_commit_test', poolSize: 8 });

afterAll(async () => {
  tmp.cleanup();
  await stores.cleanup();
});

describe('GroupCommit', () => {
  it('groups what arrives in one turn, splits items sharing a key in arrival order, and fails only a bad item', async () => {
    const statements: number[][] = [];
    const g = new GroupCommit<number, number>(
      async (items) => {
        statements.push([...items]);
        if (items.includes(13)) throw new Error('bad row');
        return items.map((i) => i * 2);
      },
      { keys: (i) => [`k${i % 10}`] },
    );
    const results = await Promise.allSettled([1, 2, 11, 13, 4].map((i) => g.run(i)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([2, 4, 22, 'failed', 8]);
    // 1, 2, 13 and 4 together (11 shares 1's key: the next statement); that one failed, so each again alone.
    expect(statements).toEqual([[1, 2, 13, 4], [1], [2], [13], [4], [11]]);
  });
});

describe.each(stores.engines)('group commit on %s', (_name, open) => {
  let db: Db;
  let tickets: TicketService;
  let customers: CustomerRepo;
  const statements: string[] = [];

  beforeAll(async () => {
    db = await open();
    await migrateBot(db);
    // Count the statements the repositories send (the Db they were given, as the desk gives them).
    const query = db.query.bind(db);
    db.query = ((sql: string, params?: unknown[]) => {
      statements.push(sql.replace(/\s+/g, ' ').trim().slice(0, 40));
      return query(sql, params);
    }) as Db['query'];
    customers = new CustomerRepo(db);
    tickets = new TicketService({
      db,
      outbox: new Outbox('support.events'),
      sla: new SlaPolicy(parseSlaTargets(DEFAULT_SLA_TARGETS), parseBusinessHours(''), 'L1'),
      categories: parseCategories('Payment:payments,Ideas', 'L1'),
      defaultQueue: 'L1',
      repeatContactWindowSeconds: 3600,
      log: logger('group-commit-test'),
    });
  });

  const pair = (chat: number, msg: number, target: number): MessagePair => ({
    source_chat_id: chat,
    source_message_id: msg,
    target_chat_id: -100,
    target_message_id: target,
    ticket_id: null,
    direction: 'in',
  });
  const count = async (sql: string, params: unknown[]) => (await db.query<{ n: number }>(sql, params)).rows[0]!.n;

  it("two customers' claims and pairs in one statement each; one customer's bad pair fails only that customer, the other is recorded once", async () => {
    const pairs = new MessagePairRepo(db);
    const claims = await Promise.all([pairs.claim(7001, [1]), pairs.claim(7002, [1])]);
    expect(claims.map((c) => [...c])).toEqual([[[1, false]], [[1, false]]]);
    statements.length = 0;
    // 7002's copy id is out of int range: its row makes the grouped statement fail.
    const saved = await Promise.allSettled([pairs.save([pair(7001, 1, 501)]), pairs.save([pair(7002, 1, 2 ** 40)])]);
    expect(saved.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
    expect(statements.filter((s) => s.startsWith('WITH p')).length).toBe(3); // the group, then each alone
    expect(await count('SELECT count(*)::int AS n FROM message_pairs WHERE source_chat_id = ANY($1::bigint[])', [[7001, 7002]])).toBe(1);
    expect((await pairs.bySource(7001, 1))?.target_message_id).toBe(501);
    // 7001's claim ended with its pair; 7002's stays (its copy is not recorded) until given back or orphaned.
    expect((await db.query('SELECT source_chat_id FROM relay_inflight WHERE source_chat_id = ANY($1::bigint[])', [[7001, 7002]])).rows).toEqual([
      { source_chat_id: 7002 },
    ]);
  });

  it('a message claimed twice at once (a redelivery racing its first delivery) is claimed once; one claim per statement per key', async () => {
    const pairs = new MessagePairRepo(db);
    statements.length = 0;
    const [a, b, c] = await Promise.all([pairs.claim(7003, [5]), pairs.claim(7003, [5]), pairs.claim(7004, [5])]);
    expect([a!.size, b!.size, c!.size]).toEqual([1, 0, 1]);
    expect(statements.filter((s) => s.startsWith('INSERT INTO relay_inflight'))).toHaveLength(2);
  });

  it('a crash after the claims were committed and before the copies were sent: the next start orphans both, the redelivery takes them over (copied again, flagged)', async () => {
    const pairs = new MessagePairRepo(db);
    await Promise.all([pairs.claim(7005, [9]), pairs.claim(7006, [9])]);
    // The process dies here. The next one starts on the same database.
    const next = new MessagePairRepo(db);
    expect(await next.orphanClaims()).toBeGreaterThanOrEqual(2);
    const again = await Promise.all([next.claim(7005, [9]), next.claim(7006, [9])]);
    expect(again.map((m) => m.get(9))).toEqual([true, true]);
    await Promise.all([next.save([pair(7005, 9, 601)]), next.save([pair(7006, 9, 602)])]);
    expect(await count('SELECT count(*)::int AS n FROM relay_inflight WHERE source_chat_id = ANY($1::bigint[])', [[7005, 7006]])).toBe(0);
  });

  it("concurrent customers' message_in: one statement, each event once, a redelivered message recorded once, the history rows once", async () => {
    const opened: Awaited<ReturnType<TicketService['open']>>['ticket'][] = [];
    for (const id of [7101, 7102, 7103]) {
      const customer = await customers.upsert({ id, first_name: `G${id}` }, false);
      opened.push((await tickets.open({ customer, at: new Date(), language: 'en' })).ticket);
    }
    statements.length = 0;
    const at = new Date();
    const record = (i: number, messageId: number) =>
      tickets.recordCustomerMessage(
        opened[i]!.id,
        { kind: 'text', textLength: messageId, at, source: { chatId: opened[i]!.customer_id, messageId } },
        opened[i],
      );
    // Customer 0's message 2 arrives twice at once (a redelivery): it must count once.
    const after = await Promise.all([record(0, 2), record(1, 2), record(2, 2), record(0, 2)]);
    expect(statements.filter((s) => s.startsWith('WITH v (n, id, version')).length).toBe(2);
    for (const [i, t] of opened.entries()) {
      expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'type' = 'message_in' AND key = $1`, [String(t.id)])).toBe(1);
      expect((await tickets.get(t.id))!.customer_messages).toBe(1);
      expect(after[i]!.customer_messages).toBe(1);
    }
    const history = new TicketMessageRepo(db);
    const row = (i: number) => ({
      ticketId: opened[i]!.id,
      customerId: opened[i]!.customer_id,
      sender: 'customer' as const,
      text: 'hi',
      chatId: opened[i]!.customer_id,
      messageId: 2,
      at,
    });
    await Promise.all([history.record([row(0)]), history.record([row(1)]), history.record([row(0)])]);
    expect(await count('SELECT count(*)::int AS n FROM ticket_messages WHERE ticket_id = ANY($1::bigint[])', [opened.map((t) => t.id)])).toBe(2);
  });
});
