/**
 * PGlite's share of the product's memory, alone:
 * `node --expose-gc --import tsx bench/memory/pglite-parts.ts fresh|existing|seed [initialMemoryMB|-] [postgres setting …]`.
 *
 * Opens PGlite on a new directory — `fresh`: empty, so PGlite runs initdb in this process; `existing`: a copy
 * of the one `seed` left in /tmp/pglite-parts-seed —, with the PGlite initialMemory and the Postgres settings
 * given (e.g. shared_buffers=16MB, passed as -c after PGlite's default start parameters), applies the bot's
 * migrations, runs 2,000 inserts and 200 counts, and prints RSS (anonymous / file-backed), V8's external memory
 * and the WebAssembly memory's size after each step (BENCHMARKS.md "Memory", part by part).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { migrateBot } from '../../bot/store/migrate.js';
import type { Db } from '../../core/postgres.js';

const SEED = join(tmpdir(), 'pglite-parts-seed');
const [mode, initialMb, ...settings] = process.argv.slice(2);
if (!mode || !['fresh', 'existing', 'seed'].includes(mode)) throw new Error('usage: pglite-parts.ts fresh|existing|seed [initialMemoryMB|-] [setting=value …]');
const status = () => {
  const s = readFileSync('/proc/self/status', 'utf8');
  const k = (x: string) => Math.round(Number(new RegExp(`^${x}:\\s+(\\d+)`, 'm').exec(s)?.[1]) / 1024);
  const m = process.memoryUsage();
  return `RSS ${k('VmRSS')} (anon ${k('RssAnon')}, file ${k('RssFile')}), HWM ${k('VmHWM')}; V8 external ${Math.round(m.external / 2 ** 20)}, heap used ${Math.round(m.heapUsed / 2 ** 20)}`;
};
console.log('imported:', status());
const dir = mkdtempSync(join(tmpdir(), 'pglite-parts-'));
if (mode === 'existing') cpSync(SEED, dir, { recursive: true });
const opts: PGliteOptions = { parsers: { 20: (v: string) => Number(v) } };
if (initialMb && initialMb !== '-') opts.initialMemory = Number(initialMb) * 2 ** 20;
if (settings.length) opts.startParams = [...PGlite.defaultStartParams, ...settings.flatMap((s) => ['-c', s])];
const pg = await PGlite.create(dir, opts);
// the module's WebAssembly memory (not a public API: for this measurement only)
const wasmMb = () => Math.round((pg as unknown as { mod: { wasmMemory: WebAssembly.Memory } }).mod.wasmMemory.buffer.byteLength / 2 ** 20);
console.log('opened:', status(), `WebAssembly memory ${wasmMb()} MB`);
const db: Db = {
  mode: 'pglite',
  query: async (sql, params) => {
    const r = await pg.query(sql, params);
    return { rows: r.rows as never[], rowCount: r.rows.length };
  },
  transaction: (fn) =>
    pg.transaction((tx) =>
      fn({
        query: async (sql, params) => {
          const r = await tx.query(sql, params);
          return { rows: r.rows as never[], rowCount: r.rows.length };
        },
      }),
    ),
  close: () => pg.close(),
};
await migrateBot(db);
console.log('migrated:', status(), `WebAssembly memory ${wasmMb()} MB`);
await pg.exec('CREATE TABLE IF NOT EXISTS parts_t (id serial PRIMARY KEY, a text, b int)');
for (let i = 0; i < 2000; i++) {
  await pg.query('INSERT INTO parts_t (a, b) VALUES ($1, $2)', ['x'.repeat(200), i]);
  if (i % 10 === 0) await pg.query('SELECT count(*), max(b) FROM parts_t');
}
console.log('2,000 queries:', status(), `WebAssembly memory ${wasmMb()} MB`);
(globalThis as { gc?: () => void }).gc?.();
await new Promise((r) => setTimeout(r, 500));
console.log('after a GC:', status());
const shown = await pg.query("SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'wal_buffers', 'temp_buffers')");
console.log(JSON.stringify(shown.rows));
await pg.close();
if (mode === 'seed') {
  rmSync(SEED, { recursive: true, force: true });
  cpSync(dir, SEED, { recursive: true });
}
rmSync(dir, { recursive: true, force: true });
