/**
 * `npm run bench`: runs the benchmarks one after another, each in its own
 * process (chDB binds one data directory per process), and prints where the
 * results are recorded (BENCHMARKS.md).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseCli, runMain } from '../core/cli.js';

const BENCHES = ['ingest', 'bot', 'queries', 'alerts', 'miniapp-bundle', 'miniapp-api', 'experiments', 'incident-detector', 'memory'] as const;

runMain(async () => {
  const { positionals } = parseCli({
    usage: `npm run bench -- [${BENCHES.join('|')} …]`,
    description:
      'Runs the benchmarks (all, or the ones named). Ingest needs a Kafka broker (npm run kafka -- start), alerts needs prometheus and prometheus-alertmanager on PATH.\nEach prints its numbers; record them with the machine and date in BENCHMARKS.md. Options of one benchmark: npx tsx bench/<name>/run.ts --help',
    positionals: { max: BENCHES.length },
  });
  const unknown = positionals.filter((p) => !(BENCHES as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
  const chosen = positionals.length ? positionals : [...BENCHES];
  let failed = 0;
  for (const name of chosen) {
    console.log(`\n=== bench/${name}`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, name, 'run.ts')], { stdio: 'inherit' });
    if (r.status !== 0) failed++;
  }
  if (failed) throw new Error(`${failed} benchmark(s) failed`);
});
