/**
 * `npm run import -- FILE.jsonl`: validates and loads an events file into
 * ClickHouse through the ingest insert path. See --help for the exit codes.
 */
import { existsSync } from 'node:fs';
import { SingleBar, Presets } from 'cli-progress';
import { fail, parseCli, runMain } from '../core/cli.js';
import { createClickHouse, loadClickHouseConfig } from '../core/clickhouse.js';
import { migrate } from '../core/migrate.js';
import { loadIngestConfig } from './config.js';
import { importFile, type ImportSummary } from './importer.js';

const USAGE = {
  usage: 'npm run import -- FILE.jsonl [--dry-run] [--quiet] [--show N]',
  description: [
    'Loads support events, one JSON object per line (the schema of schemas/events.ts), into ClickHouse.',
    'Valid lines are inserted in batches of INGEST_BATCH_SIZE lines; importing the same file again adds nothing.',
    "Rejected lines are listed with their line number and reason and stored in dead_letters (source 'import').",
    "customer_id must be the desk's pseudonymous id, as the desk's own events carry it (SECURITY.md): never import",
    "another system's raw Telegram user ids, which would put people's ids into analytics.",
    '',
    'exit codes:',
    '  0  every non-blank line was imported',
    '  1  some lines were rejected (the valid ones were still imported) or the import failed',
    '  2  bad arguments or configuration',
  ].join('\n'),
  options: {
    'dry-run': { type: 'boolean' as const },
    quiet: { type: 'boolean' as const, short: 'q' },
    show: { type: 'string' as const },
  },
  optionHelp: ['--dry-run   validate only; write nothing', '-q, --quiet no progress bar', '--show N    list at most N rejected lines (default 20)'],
  positionals: { min: 1, max: 1 },
};

function report(s: ImportSummary, show: number, dryRun: boolean): string {
  const out = [
    `${dryRun ? 'validated' : 'imported'} ${s.imported} event(s) from ${s.file}: ${s.lines} line(s), ${s.rejected.length} rejected, ${s.blank} blank`,
  ];
  for (const r of s.rejected.slice(0, show)) out.push(`  line ${r.line}: ${r.reason}: ${r.detail}`);
  if (s.rejected.length > show) out.push(`  … and ${s.rejected.length - show} more`);
  if (s.rejected.length > 0 && !dryRun) out.push(`rejected lines are in dead_letters: source = 'import' AND topic = '${s.source}'`);
  return out.join('\n');
}

runMain(async () => {
  const { values, positionals } = parseCli(USAGE);
  const show = values.show === undefined ? 20 : Number(values.show);
  if (!Number.isInteger(show) || show < 0) fail(`--show must be a whole number, got "${values.show}"`);
  const file = positionals[0]!;
  if (!existsSync(file)) fail(`no such file: ${file}`);
  const dryRun = values['dry-run'] === true;
  const cfg = loadIngestConfig();
  const chCfg = loadClickHouseConfig();

  const ch = dryRun ? undefined : await createClickHouse(chCfg);
  try {
    if (ch) await migrate(ch, { cluster: chCfg.CLICKHOUSE_CLUSTER, eventsTtlDays: chCfg.EVENTS_TTL_DAYS });
    // Progress goes to stderr and only to a terminal; piped output stays clean.
    const bar =
      process.stderr.isTTY && !values.quiet
        ? new SingleBar(
            { stream: process.stderr, format: 'import [{bar}] {percentage}% | {value}/{total} bytes | ETA {eta_formatted}' },
            Presets.shades_classic,
          )
        : undefined;
    let started = false;
    const summary = await importFile(ch, file, {
      batchSize: cfg.INGEST_BATCH_SIZE,
      retryMaxMs: cfg.INGEST_RETRY_MAX_MS,
      dryRun,
      onProgress: (read, total) => {
        if (!bar) return;
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(read);
      },
    });
    bar?.stop();
    console.log(report(summary, show, dryRun));
    process.exitCode = summary.rejected.length > 0 ? 1 : 0;
  } finally {
    await ch?.close();
  }
});
