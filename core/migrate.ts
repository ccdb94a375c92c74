/**
 * ClickHouse migration runner.
 *
 * Migrations are `schemas/clickhouse/NNN_name.sql`, applied in number order and
 * recorded in `schema_migrations` (`schema.snapshot.sql` beside them is their
 * result, kept by `npm run schema:snapshot`, not a migration). Every statement
 * is idempotent (IF NOT EXISTS), so a run that failed half-way is resumed by
 * running again: the migration is recorded only after all its statements
 * succeeded.
 *
 * Templating keeps one SQL text for single-node and cluster deployments:
 *   {{ON_CLUSTER}}      → ON CLUSTER 'name' | ''
 *   {{REPLICATED}}      → Replicated | ''          (prefix of a *MergeTree engine)
 *   {{LOCAL}}           → _local | ''              (suffix of a shard-local table; on a cluster
 *                                                   queries read a Distributed table of the plain name)
 *   {{CLUSTER}}         → the cluster name          (Distributed engine arguments)
 *   {{EVENTS_TTL_DAYS}} → the configured retention
 *   {{#cluster}} … {{/cluster}}   kept only on a cluster (e.g. Distributed tables)
 *   {{^cluster}} … {{/cluster}}   kept only on a single node
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { queryRows, type ClickHouse } from './clickhouse.js';

export const DEFAULT_MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas', 'clickhouse');

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface RenderOptions {
  cluster?: string | undefined;
  eventsTtlDays: number;
}

export function loadMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Migration[] {
  const seen = new Map<number, string>();
  const out: Migration[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sql') && !f.endsWith('.snapshot.sql'))
    .sort()) {
    const m = /^(\d+)_([\w-]+)\.sql$/.exec(file);
    if (!m) throw new Error(`migration file name must be NNN_name.sql: ${file}`);
    const version = Number(m[1]);
    if (seen.has(version)) throw new Error(`two migrations share number ${version}: ${seen.get(version)} and ${file}`);
    seen.set(version, file);
    const sql = readFileSync(join(dir, file), 'utf8');
    out.push({ version, name: m[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex').slice(0, 16) });
  }
  return out.sort((a, b) => a.version - b.version);
}

export function renderMigration(sql: string, o: RenderOptions): string[] {
  const clustered = Boolean(o.cluster);
  const text = sql
    .replace(/\{\{#cluster\}\}([\s\S]*?)\{\{\/cluster\}\}/g, (_, body: string) => (clustered ? body : ''))
    .replace(/\{\{\^cluster\}\}([\s\S]*?)\{\{\/cluster\}\}/g, (_, body: string) => (clustered ? '' : body))
    .replaceAll('{{ON_CLUSTER}}', clustered ? `ON CLUSTER '${o.cluster}'` : '')
    .replaceAll('{{REPLICATED}}', clustered ? 'Replicated' : '')
    .replaceAll('{{LOCAL}}', clustered ? '_local' : '')
    .replaceAll('{{CLUSTER}}', o.cluster ?? '')
    .replaceAll('{{EVENTS_TTL_DAYS}}', String(o.eventsTtlDays));
  const leftover = /\{\{[^}]*\}\}/.exec(text);
  if (leftover) throw new Error(`unknown template ${leftover[0]} in migration`);
  return splitStatements(text);
}

/** Splits on semicolons that end a line, ignoring `--` comment lines. */
export function splitStatements(sql: string): string[] {
  const withoutComments = sql
    .split('\n')
    .filter((l) => !/^\s*--/.test(l))
    .join('\n');
  return withoutComments
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface MigrateResult {
  applied: number[];
  alreadyApplied: number[];
}

export async function migrate(ch: ClickHouse, o: RenderOptions & { dir?: string; log?: (msg: string) => void }): Promise<MigrateResult> {
  const onCluster = o.cluster ? `ON CLUSTER '${o.cluster}'` : '';
  const engine = o.cluster ? 'ReplicatedReplacingMergeTree(applied_at)' : 'ReplacingMergeTree(applied_at)';
  await ch.client.command({
    query: `CREATE TABLE IF NOT EXISTS schema_migrations ${onCluster} (
      version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
    ) ENGINE = ${engine} ORDER BY version`,
  });
  const done = new Map(
    (
      await queryRows<{ version: number; checksum: string }>(
        ch,
        'SELECT version, argMax(checksum, applied_at) AS checksum FROM schema_migrations GROUP BY version',
      )
    ).map((r) => [Number(r.version), r.checksum]),
  );
  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  for (const m of loadMigrations(o.dir)) {
    const prev = done.get(m.version);
    if (prev !== undefined) {
      if (prev !== m.checksum)
        throw new Error(`migration ${m.version}_${m.name} changed after it was applied (checksum ${prev} → ${m.checksum}); add a new migration instead`);
      result.alreadyApplied.push(m.version);
      continue;
    }
    for (const statement of renderMigration(m.sql, o)) {
      try {
        await ch.client.command({ query: statement });
      } catch (e) {
        throw new Error(`migration ${m.version}_${m.name} failed: ${(e as Error).message}\n--- statement ---\n${statement}`);
      }
    }
    await ch.client.insert({
      table: 'schema_migrations',
      values: [{ version: m.version, name: m.name, checksum: m.checksum }],
      format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplication_token: `migration-${m.version}-${m.checksum}` },
    });
    o.log?.(`applied ClickHouse migration ${m.version}_${m.name}`);
    result.applied.push(m.version);
  }
  return result;
}

/**
 * The migrations of `dir` that `schema_migrations` does not record yet, read with a SELECT only — so a
 * read-only user can tell whether the schema its queries need is there (no table yet: all of them).
 */
export async function pendingMigrations(ch: ClickHouse, dir?: string): Promise<Migration[]> {
  let done: Set<number>;
  try {
    done = new Set((await queryRows<{ version: number }>(ch, 'SELECT DISTINCT version FROM schema_migrations')).map((r) => Number(r.version)));
  } catch (e) {
    // UNKNOWN_TABLE (60) / UNKNOWN_DATABASE (81): nothing applied yet.
    const code = String((e as { code?: unknown }).code ?? '');
    if (code !== '60' && code !== '81' && !/UNKNOWN_TABLE|UNKNOWN_DATABASE|does ?n[o']t exist/i.test((e as Error).message)) throw e;
    done = new Set();
  }
  return loadMigrations(dir).filter((m) => !done.has(m.version));
}

/**
 * For a process that does not migrate (a read-only ClickHouse user, e.g. the dashboard in docker-compose):
 * waits until another process (the ingest) has applied every migration this code knows, or fails after
 * `timeoutMs` naming what is missing.
 */
export async function waitForMigrations(
  ch: ClickHouse,
  o: { timeoutMs: number; intervalMs?: number; dir?: string; log?: (msg: string) => void },
): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  let logged = false;
  for (;;) {
    const pending = await pendingMigrations(ch, o.dir);
    if (pending.length === 0) return;
    const names = pending.map((m) => `${m.version}_${m.name}`).join(', ');
    if (Date.now() >= deadline)
      throw new Error(
        `ClickHouse schema is not current after ${Math.round(o.timeoutMs / 1000)} s: migrations ${names} are not applied. This process does not migrate; start the ingest (it applies them) or run npm run migrate.`,
      );
    if (!logged) o.log?.(`waiting for ClickHouse migrations ${names} (applied by the ingest or npm run migrate)`);
    logged = true;
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 2000));
  }
}
