/**
 * The one way the project reaches ClickHouse.
 *
 * CLICKHOUSE_URL set → a ClickHouse server over HTTP. Unset → chDB in-process
 * (DATA_DIR/clickhouse) through the same @clickhouse/client API, so every
 * query, insert and migration runs unchanged in both deployments.
 */
import { accessSync, constants, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { createChdbConnection, type ChdbExtension } from 'chdb/connection';
import { defineConfig, env } from './env.js';
import type { ColumnInfo } from './rowbinary.js';

export const loadClickHouseConfig = defineConfig('clickhouse', {
  CLICKHOUSE_URL: env.url({
    protocols: ['http:', 'https:'],
    example: 'http://desk:PASSWORD@clickhouse:8123',
    secret: true,
    doc: 'ClickHouse server HTTP URL (e.g. http://default:pass@clickhouse:8123). Unset: embedded chDB in DATA_DIR/clickhouse.',
  }),
  CLICKHOUSE_DATABASE: env.string({ default: 'support', doc: 'Database on the ClickHouse server (chDB always uses its own data directory).' }),
  CLICKHOUSE_CLUSTER: env.optionalString({ doc: 'Cluster name: migrations render Replicated*/Distributed engines ON CLUSTER this cluster.' }),
  CLICKHOUSE_MAX_MEMORY: env.int({
    default: 2_000_000_000,
    min: 100_000_000,
    doc: 'max_memory_usage per query in bytes, so one heavy query cannot take the process down.',
  }),
  EVENTS_TTL_DAYS: env.int({ default: 730, min: 1, doc: 'Days raw events are kept in ClickHouse (aggregates are kept).' }),
  DATA_DIR: env.string({ default: './data', doc: 'Directory for all embedded state (chDB, PGlite, embedded bus log).' }),
});
export type ClickHouseConfig = ReturnType<typeof loadClickHouseConfig>;

// Read by docker-compose only (the Node code gets the password inside CLICKHOUSE_URL); declared here so
// the README table and .env.example list every password a deployment must set.
defineConfig('clickhouse', {
  CLICKHOUSE_PASSWORD: env.optionalString({
    secret: true,
    doc: 'docker-compose only, required there: password of the ClickHouse writer user "desk" (the server, and the CLICKHOUSE_URL compose builds for the bot and the ingest). The Node code does not read it.',
  }),
  CLICKHOUSE_READONLY_PASSWORD: env.optionalString({
    secret: true,
    doc: 'docker-compose only, required there: password of the read-only ClickHouse user "desk_readonly" (deploy/clickhouse/users.d/readonly.xml) that Grafana\'s data source and the dashboard\'s CLICKHOUSE_URL use. The Node code does not read it.',
  }),
});

export interface ClickHouse {
  client: ClickHouseClient;
  /** 'server' or 'chdb' — for logs and the few places that must know (none in query code). */
  mode: 'server' | 'chdb';
  database: string;
  cluster: string | undefined;
  /** chDB's native surface (embedded mode only), for the raw-bytes insert. */
  chdb?: ChdbExtension;
  /** Settings every statement runs with (repeated on paths that bypass the client). */
  settings: ClickHouseSettings;
  close(): Promise<void>;
}

/** Settings every query runs with, in both modes. */
function baseSettings(cfg: ClickHouseConfig): ClickHouseSettings {
  return {
    max_memory_usage: String(cfg.CLICKHOUSE_MAX_MEMORY),
    // Numbers stay numbers in JSON output in both modes (the server quotes 64-bit ints by default).
    output_format_json_quote_64bit_integers: 0,
    date_time_input_format: 'best_effort',
    date_time_output_format: 'iso',
  };
}

export interface CreateClickHouseOptions {
  /** Create CLICKHOUSE_DATABASE on a server first (default). false for a read-only user, which may not run DDL. */
  createDatabase?: boolean;
}

export async function createClickHouse(cfg: ClickHouseConfig = loadClickHouseConfig(), opts: CreateClickHouseOptions = {}): Promise<ClickHouse> {
  const clickhouse_settings = baseSettings(cfg);
  if (cfg.CLICKHOUSE_URL) {
    if (opts.createDatabase !== false) {
      // Create the database first through a client bound to `default`.
      const bootstrap = createClient({ url: cfg.CLICKHOUSE_URL, clickhouse_settings });
      const onCluster = cfg.CLICKHOUSE_CLUSTER ? ` ON CLUSTER '${cfg.CLICKHOUSE_CLUSTER}'` : '';
      await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS \`${cfg.CLICKHOUSE_DATABASE}\`${onCluster}` });
      await bootstrap.close();
    }
    const client = createClient({ url: cfg.CLICKHOUSE_URL, database: cfg.CLICKHOUSE_DATABASE, clickhouse_settings, request_timeout: 60_000 });
    return {
      client,
      mode: 'server',
      database: cfg.CLICKHOUSE_DATABASE,
      cluster: cfg.CLICKHOUSE_CLUSTER,
      settings: clickhouse_settings,
      close: () => client.close(),
    };
  }
  const path = join(cfg.DATA_DIR, 'clickhouse');
  mkdirSync(path, { recursive: true });
  // chdb declares the Connection contract from @clickhouse/client-common, which
  // @clickhouse/client now bundles under its own type names: same shape, distinct types.
  const chdbConnection = createChdbConnection({ path });
  const connection = chdbConnection as unknown as NonNullable<Parameters<typeof createClient>[0]>['connection'];
  const client = createClient({ connection, clickhouse_settings });
  return {
    client,
    mode: 'chdb',
    database: 'default',
    cluster: undefined,
    chdb: chdbConnection.chdb,
    settings: clickhouse_settings,
    close: () => client.close(),
  };
}

/** Runs a SELECT and returns its rows as objects. */
export async function queryRows<T = Record<string, unknown>>(
  ch: ClickHouse,
  query: string,
  params: Record<string, unknown> = {},
  settings: ClickHouseSettings = {},
): Promise<T[]> {
  const rs = await ch.client.query({ query, query_params: params, format: 'JSONEachRow', clickhouse_settings: settings });
  return rs.json<T>();
}

function insertSettings(opts: { dedupToken?: string; settings?: ClickHouseSettings }): ClickHouseSettings {
  return {
    insert_deduplicate: 1,
    insert_deduplication_token: opts.dedupToken ?? `once-${crypto.randomUUID()}`,
    deduplicate_blocks_in_dependent_materialized_views: 1,
    input_format_skip_unknown_fields: 1,
    input_format_null_as_default: 1,
    ...opts.settings,
  };
}

/**
 * Inserts rows as JSONEachRow. The deduplication token is always set —
 * to the caller's token, or to a fresh one — because chDB applies settings as
 * session-wide SETs and a token left over from a previous insert would make
 * ClickHouse drop the next, different block as a duplicate.
 */
export async function insertRows(
  ch: ClickHouse,
  table: string,
  rows: readonly object[],
  opts: { dedupToken?: string; settings?: ClickHouseSettings } = {},
): Promise<void> {
  if (rows.length === 0) return;
  await ch.client.insert({
    table,
    values: rows as object[],
    format: 'JSONEachRow',
    clickhouse_settings: insertSettings(opts),
  });
}

/**
 * Inserts JSONEachRow bytes as they are — for payloads already validated in
 * their original encoding (the ingest's bus messages), so nothing is parsed
 * and serialised again in JavaScript. chDB gets the buffer through its native
 * multi-threaded parser (about twice the rows per CPU-second of insertRows);
 * a server gets it as the HTTP body. Same deduplication as insertRows.
 */
export async function insertJsonEachRow(
  ch: ClickHouse,
  table: string,
  body: Buffer,
  opts: { dedupToken?: string; settings?: ClickHouseSettings } = {},
): Promise<void> {
  if (body.length === 0) return;
  const settings = { ...ch.settings, ...insertSettings(opts) };
  if (ch.chdb) {
    await ch.chdb.rawInsert({ table, values: body, format: 'JSONEachRow', settings: settings as Record<string, string | number | boolean> });
    return;
  }
  // exec, not insert: insert JSON-encodes every chunk of a JSON-format stream, and these bytes are JSON already.
  const result = await ch.client.exec({
    query: `INSERT INTO ${table} FORMAT JSONEachRow`,
    values: Readable.from([body], { objectMode: false }),
    clickhouse_settings: settings,
  });
  result.stream.resume();
  await finished(result.stream);
}

/** A table's insertable columns as the RowBinary encoder needs them (core/rowbinary.ts), in table order. */
export async function tableColumns(ch: ClickHouse, table: string): Promise<ColumnInfo[]> {
  return queryRows<ColumnInfo>(
    ch,
    'SELECT name, type, default_kind FROM system.columns WHERE database = currentDatabase() AND table = {table:String} ORDER BY position',
    { table },
  );
}

/** Where chDB reads a RowBinary body from: memory-backed /dev/shm when there is one, else the OS temp dir. */
let spoolDir: string | undefined;
function rowBinarySpoolDir(): string {
  if (spoolDir === undefined) {
    try {
      accessSync('/dev/shm', constants.W_OK);
      spoolDir = '/dev/shm';
    } catch {
      spoolDir = tmpdir();
    }
    removeOrphanSpools(spoolDir);
  }
  return spoolDir;
}

/** Bodies left by processes that died mid-insert (a crash, SIGKILL): each is up to a backlog insert's size. */
function removeOrphanSpools(dir: string): void {
  try {
    for (const name of readdirSync(dir)) {
      const pid = /^desk-insert-(\d+)-\d+\.bin$/.exec(name)?.[1];
      if (!pid || Number(pid) === process.pid) continue;
      try {
        process.kill(Number(pid), 0);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(dir, name), { force: true });
      }
    }
  } catch {
    // best effort: an unreadable directory only means orphans stay
  }
}
let spoolSeq = 0;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const quote = (s: string): string => `'${s.replace(/[\\']/g, '\\$&')}'`;
const ident = (s: string): string => {
  if (!IDENT.test(s)) throw new Error(`not a plain identifier: ${JSON.stringify(s)}`);
  return s;
};

/**
 * Runs `use` with `body` written to a spool file (memory-backed where possible), given as a quoted ClickHouse string
 * literal for `file(…)`; the file is removed afterwards. The way a binary body reaches chDB: inline data would end
 * at the first blank line, and binary values contain "\n\n" (insertRowBinary here, the chDB HTTP gateway).
 */
export async function withSpooledBody<T>(body: Buffer, use: (fileLiteral: string) => Promise<T>): Promise<T> {
  const file = join(rowBinarySpoolDir(), `desk-insert-${process.pid}-${++spoolSeq}.bin`);
  await writeFile(file, body);
  try {
    return await use(quote(file));
  } finally {
    await rm(file, { force: true });
  }
}

/**
 * Inserts a RowBinaryWithDefaults body (core/rowbinary.ts) into `columns` of `table`: no text parsing in
 * ClickHouse. chDB reads the bytes from a spooled file (/dev/shm); a server gets them as the HTTP body.
 * Same deduplication as insertRows.
 */
export async function insertRowBinary(
  ch: ClickHouse,
  table: string,
  columns: readonly string[],
  body: Buffer,
  opts: { dedupToken?: string; settings?: ClickHouseSettings } = {},
): Promise<void> {
  if (body.length === 0) return;
  const settings = { ...ch.settings, ...insertSettings(opts) };
  const target = `${ident(table)} (${columns.map(ident).join(', ')})`;
  if (ch.chdb) {
    // Not inline after the INSERT as the JSON path does: chDB ends inline data at a blank line, and binary
    // values contain "\n\n". file() reads the body with the insertion table's structure and DEFAULTs. The
    // settings go in the statement (as rawInsert does), not as the session-wide SETs clickhouse_settings become.
    const clause = Object.entries(settings)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${ident(k)} = ${typeof v === 'number' || typeof v === 'boolean' ? Number(v) : quote(String(v))}`)
      .join(', ');
    await withSpooledBody(body, (file) =>
      ch.client.command({ query: `INSERT INTO ${target} SETTINGS ${clause} SELECT * FROM file(${file}, 'RowBinaryWithDefaults')` }),
    );
    return;
  }
  const result = await ch.client.exec({
    query: `INSERT INTO ${target} FORMAT RowBinaryWithDefaults`,
    values: Readable.from([body], { objectMode: false }),
    clickhouse_settings: settings,
  });
  result.stream.resume();
  await finished(result.stream);
}
