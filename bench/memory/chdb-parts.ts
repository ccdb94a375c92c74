/**
 * chDB's share of the product's memory, alone: `node --import tsx bench/memory/chdb-parts.ts DIR [engine args…]`.
 * Opens chDB on DIR (a copy of a data directory the memory bench loaded), with the engine arguments given
 * (e.g. --mark_cache_size=67108864), requests the dashboard's year-long page five times through the API, and
 * prints RSS (anonymous / file-backed) and chDB's own accounting after each step.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createClickHouse, loadClickHouseConfig, queryRows } from '../../core/clickhouse.js';
import { migrate } from '../../core/migrate.js';
import { buildDashboardServer } from '../../dashboard/server.js';

const [dir, ...engineArgs] = process.argv.slice(2);
if (!dir) throw new Error('usage: chdb-parts.ts DIR [engine args…]');
const status = () => {
  const s = readFileSync('/proc/self/status', 'utf8');
  const k = (x: string) => Math.round(Number(new RegExp(`^${x}:\\s+(\\d+)`, 'm').exec(s)?.[1]) / 1024);
  return `RSS ${k('VmRSS')} (anon ${k('RssAnon')}, file ${k('RssFile')}), HWM ${k('VmHWM')}, threads ${/^Threads:\s+(\d+)/m.exec(s)?.[1]}; V8 heap ${Math.round(process.memoryUsage().heapTotal / 2 ** 20)}, external ${Math.round(process.memoryUsage().external / 2 ** 20)}`;
};
console.log('imported:', status());
if (engineArgs.length) {
  // the first connection to a directory decides the engine's arguments; later sessions share its server
  const { Session } = createRequire(import.meta.url)('chdb') as { Session: new (p: string, o: object) => unknown };
  new Session(`${dir}/clickhouse`, { connectionArgs: engineArgs });
}
const ch = await createClickHouse(loadClickHouseConfig({ DATA_DIR: dir }));
await migrate(ch, { eventsTtlDays: 3650 });
console.log('opened:', status());
const app = await buildDashboardServer({ ch, webRoot: false });
const now = new Date();
const year = `from=${new Date(now.getTime() - 365 * 86_400_000).toISOString()}&to=${now.toISOString()}`;
const page = [
  `summary?${year}`,
  `selfservice?${year}`,
  `timeseries?metric=tickets_created&interval=day&${year}&tz=Europe/Berlin`,
  `incidents?${year}`,
  `timeseries?metric=frt_p50_seconds&interval=day&${year}&tz=Europe/Berlin`,
  `timeseries?metric=frt_p90_seconds&interval=day&${year}&tz=Europe/Berlin`,
  `frt-distribution?${year}`,
  `heatmap?${year}&tz=Europe/Berlin`,
  `breakdown?by=category&${year}`,
  `breakdown?by=queue&${year}`,
  `breakdown?by=agent&${year}`,
  'live',
];
const cpu0 = process.cpuUsage();
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  await Promise.all(
    page.map(async (p) => {
      const res = await app.inject({ url: `/api/v1/${p}` });
      if (res.statusCode !== 200) throw new Error(`${p}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    }),
  );
  console.log(`page ${i + 1}: ${Math.round(performance.now() - t)} ms,`, status());
}
const cpu = process.cpuUsage(cpu0);
console.log(`CPU for the 5 pages: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
const caches = await queryRows<{ metric: string; value: number }>(
  ch,
  "SELECT metric, value FROM system.metrics WHERE (metric LIKE '%Cache%Bytes%' OR metric = 'MemoryTracking') AND value > 0 ORDER BY metric",
);
// SMAPS=1: the process's anonymous memory by mapping size (V8's heap pages are 256 kB mappings)
if (process.env.SMAPS) {
  const byKind = new Map<string, number>();
  for (const m of readFileSync('/proc/self/smaps', 'utf8').split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/)) {
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(m)?.[1] ?? 0);
    const file = m.split('\n')[0]!.split(/\s+/).slice(5).join(' ');
    const kind = file || `anonymous ${kb('Size')} kB mapping`;
    byKind.set(kind, (byKind.get(kind) ?? 0) + kb('Anonymous'));
  }
  const top = [...byKind].sort((a, b) => b[1] - a[1]).slice(0, 12);
  for (const [kind, kb] of top) console.log(`${Math.round(kb / 1024)} MB anonymous: ${kind}`);
}
console.log(caches.map((c) => `${c.metric} ${(Number(c.value) / 2 ** 20).toFixed(1)} MB`).join('; '));
await app.close();
await ch.close();
