/**
 * End-to-end harness for the desk: the real sandbox over HTTP, the real desk
 * (grammY runner, throttler/auto-retry, PGlite) and a bus that keeps what it
 * is sent in memory and can be switched "down" (its send throws).
 */
import { mkdirSync } from 'node:fs';
import type { Bus, BusProducer, OutgoingMessage } from '../../core/bus/types.js';
import { openDatabase, type Db } from '../../core/postgres.js';
import { Composer } from 'grammy';
import { createDesk, type DeskApp, type DeskOptions } from '../../bot/app.js';
import type { BotContext } from '../../bot/context.js';
import { emptyHooks } from '../../bot/hooks.js';
import { createFeatures, type Features } from '../../bot/features/features.js';
import { loadFeaturesConfig } from '../../bot/runtime/config.js';
import { loadBotConfig, type BotConfig } from '../../bot/config.js';
import { startSandbox, SandboxClient, type RunningSandbox, type SandboxOptions } from '../../sandbox/index.js';
import { decodeEvent } from '../../schemas/validate.js';
import type { SupportEvent } from '../../schemas/events.js';
import type { Ticket } from '../../bot/store/types.js';
import { tmpDataDir } from '../helpers/tmp.js';
import { join } from 'node:path';

export const SUPPORT = -1002000000001;

export class MemoryBus implements Bus {
  readonly kind = 'embedded' as const;
  readonly sent: Array<{ topic: string } & OutgoingMessage> = [];
  down = false;
  sendAttempts = 0;

  async producer(): Promise<BusProducer> {
    return {
      send: async (topic, messages) => {
        this.sendAttempts++;
        if (this.down) throw new Error('bus is down (test)');
        for (const m of messages) this.sent.push({ topic, ...m });
      },
      close: async () => undefined,
    };
  }
  async consumer(): Promise<never> {
    throw new Error('MemoryBus has no consumers');
  }
  async ensureTopics(): Promise<void> {
    this.sendAttempts++;
    if (this.down) throw new Error('bus is down (test)');
  }
  async close(): Promise<void> {}

  events(): SupportEvent[] {
    return this.sent.map((m) => {
      const d = decodeEvent(typeof m.value === 'string' ? m.value : m.value.toString('utf8'));
      if (!d.ok) throw new Error(d.detail);
      return d.event;
    });
  }
}

export interface Harness {
  sandbox: RunningSandbox;
  client: SandboxClient;
  db: Db;
  bus: MemoryBus;
  desk: DeskApp;
  config: BotConfig;
  dataDir: string;
  /**
   * Stops the desk and the database, then starts both again on the same data.
   * With `sandbox: true` the sandbox restarts too (on a new port), keeping its
   * world when the harness was started with `persistSandbox`, as `npm start` does.
   */
  restart(opts?: { sandbox?: boolean }): Promise<void>;
  /** Waits until the relay is idle and the outbox is published; returns the published events. */
  settle(): Promise<SupportEvent[]>;
  close(): Promise<void>;
}

/**
 * The features a core test runs with: all of them, but the knowledge-base
 * auto-answer and anti-spam's holds (newcomer links/media, rate limit,
 * duplicates) are off, so a core test's first message gets the category
 * keyboard and everything it sends is relayed. Feature tests
 * pass their own (`features`), built with `createFeatures(config, { clock })`.
 */
export function coreTestFeatures(env: Record<string, string> = {}): Features {
  return createFeatures(
    loadFeaturesConfig({
      KB_AUTO_ANSWER: '0',
      SPAM_NEWCOMER_MESSAGES: '0',
      SPAM_NEWCOMER_AGE: '0',
      SPAM_RATE_LIMIT: '100000',
      SPAM_DUPLICATE_WINDOW: '0',
      ...env,
    }),
    { watchFiles: false },
  );
}

/** No features at all: the desk core's own contract, deterministic (no CSAT after a resolve, no KB answer). */
export function noFeatures(): NonNullable<DeskOptions['features']> {
  return { composer: new Composer<BotContext>(), hooks: emptyHooks() };
}

export async function startHarness(
  opts: {
    env?: Record<string, string>;
    sandbox?: SandboxOptions;
    persistSandbox?: boolean;
    features?: () => NonNullable<DeskOptions['features']>;
    composers?: () => NonNullable<DeskOptions['composers']>;
  } = {},
): Promise<Harness> {
  const tmp = tmpDataDir('desk-e2e-');
  // The sandbox keeps its world in the desk's DATA_DIR, as under `npm start`.
  const sandboxOptions: SandboxOptions = { port: 0, ...(opts.persistSandbox ? { dataDir: tmp.dir } : {}), ...opts.sandbox };
  let sandbox = await startSandbox(sandboxOptions);
  let client = new SandboxClient(sandbox.url);
  // No experiments unless a test writes its own (EXPERIMENTS_DIR, an empty folder the desk watches): the repo's
  // experiments/ would vary the receipt by customer id.
  mkdirSync(join(tmp.dir, 'experiments'), { recursive: true });
  const config = loadBotConfig({
    THROTTLE: '0',
    ALBUM_BUFFER: '150ms',
    AGENT_CACHE_TTL: '60s',
    LOG_LEVEL: 'warn',
    EXPERIMENTS_DIR: join(tmp.dir, 'experiments'),
    ...opts.env,
  });
  const bus = new MemoryBus();
  const open = () => openDatabase({ DATA_DIR: tmp.dir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 });
  let db = await open();
  // A fresh set per desk, as a restarted process would have.
  const features = opts.features ?? noFeatures;
  // Composers besides the features' (e.g. the alerts' /sla and Take), built anew per desk.
  const composers = () => opts.composers?.() ?? [];
  let desk = await createDesk({ db, bus, config, apiRoot: sandbox.apiRoot, features: features(), composers: composers() });
  await desk.start();
  const h: Harness = {
    bus,
    config,
    dataDir: tmp.dir,
    get sandbox() {
      return sandbox;
    },
    get client() {
      return client;
    },
    get db() {
      return db;
    },
    get desk() {
      return desk;
    },
    async restart(o = {}) {
      await desk.stop();
      await db.close();
      if (o.sandbox) {
        await sandbox.close();
        sandbox = await startSandbox(sandboxOptions);
        client = new SandboxClient(sandbox.url);
      }
      db = await open();
      desk = await createDesk({ db, bus, config, apiRoot: sandbox.apiRoot, features: features(), composers: composers() });
      await desk.start();
    },
    async settle() {
      await client.waitForIdle({ timeoutMs: 20_000 });
      await desk.services.relay.idle();
      await desk.outboxRelay.drain();
      const events = bus.events();
      await assertPseudonymous(db, events);
      return events;
    },
    async close() {
      await desk.stop().catch(() => undefined);
      await db.close().catch(() => undefined);
      await sandbox.close();
      tmp.cleanup();
    },
  };
  return h;
}

/**
 * The guard of issue 17 item 8, run by every harness test that reads the published events: no event's
 * customer_id is a Telegram id of a customer the desk knows (they carry pseudonyms, bot/store/pseudonyms.ts).
 */
export async function assertPseudonymous(db: Db, events: readonly SupportEvent[]): Promise<void> {
  const known = new Set((await db.query<{ id: number }>('SELECT id FROM customers UNION SELECT customer_id FROM customer_keys')).rows.map((r) => Number(r.id)));
  const leak = events.find((e) => e.customer_id !== null && known.has(e.customer_id));
  if (leak) throw new Error(`event ${leak.type} ${leak.event_id} carries the Telegram id ${leak.customer_id} as customer_id instead of its pseudonym`);
}

export const topicOf = async (client: SandboxClient, customerId: number, db: Db): Promise<number> => {
  const r = await client.waitFor(
    async () => (await db.query<{ thread_id: number | null }>('SELECT thread_id FROM customers WHERE id = $1', [customerId])).rows[0]?.thread_id ?? undefined,
    { what: `topic of ${customerId}`, timeoutMs: 10_000 },
  );
  return r;
};

/** A ticket by its number, or a customer's latest ticket. */
export type TicketRef = { id: number } | { customer: number };

/**
 * The ticket once `done` holds for it. The desk tells the customer (or the topic) first and records the state
 * change after — the reply's date is the change's time — and PGlite answers from a thread of its own, so a test
 * that has just seen the bot's message waits for the state it expects instead of reading the row once; then it
 * asserts on the ticket returned.
 */
export function ticketWhen(h: Pick<Harness, 'client' | 'db'>, ref: TicketRef, done: (t: Ticket) => boolean): Promise<Ticket> {
  const [where, arg] = 'id' in ref ? ['id = $1', ref.id] : ['customer_id = $1', ref.customer];
  return h.client.waitFor(
    async () => {
      const t = (await h.db.query<Ticket>(`SELECT * FROM tickets WHERE ${where} ORDER BY id DESC LIMIT 1`, [arg])).rows[0];
      return t !== undefined && done(t) && t;
    },
    { what: `ticket ${'id' in ref ? `#${ref.id}` : `of customer ${ref.customer}`} in the expected state`, timeoutMs: 10_000 },
  );
}
