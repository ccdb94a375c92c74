/**
 * `npm run import` end to end: the CLI as a child process on a real chDB
 * (DATA_DIR), valid lines loaded, rejected lines reported with line numbers and
 * stored in dead_letters, exit codes as documented, and a re-import adding nothing.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouse, loadClickHouseConfig, queryRows } from '../core/clickhouse.js';
import { tmpDataDir } from '../test/helpers/tmp.js';
import { eventCounts, makeEvents } from './test-support.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = tmpDataDir('desk-import-');
afterAll(() => tmp.cleanup());

function runImport(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ingest/import.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: join(tmp.dir, 'data'), INGEST_BATCH_SIZE: '250', LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run import', () => {
  it('loads valid lines, reports and dead-letters rejected ones, and is idempotent', async () => {
    const events = makeEvents(1_000, 40);
    const lines = events.map((e) => JSON.stringify(e));
    lines.splice(100, 0, '{"truncated": '); // line 101
    lines.splice(500, 0, JSON.stringify({ ...events[0], event_id: '0190a0a0-0000-7000-8000-00000000c0de', schema_version: 3 })); // line 501
    lines.splice(700, 0, ''); // line 701: blank, ignored
    const { score: _s, ...noScore } = events.find((e) => e.type === 'csat_rated')! as Record<string, unknown>;
    lines.push(JSON.stringify({ ...noScore, event_id: '0190a0a0-0000-7000-8000-00000000beef' })); // line 1004
    const file = join(tmp.dir, 'events.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);

    const dry = runImport(file, '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.out).toMatch(/validated 1000 event\(s\).*1004 line\(s\), 3 rejected, 1 blank/);

    const first = runImport(file);
    expect(first.err).not.toMatch(/error/i);
    expect(first.code).toBe(1);
    expect(first.out).toMatch(/imported 1000 event\(s\)/);
    expect(first.out).toMatch(/line 101: malformed_json/);
    expect(first.out).toMatch(/line 501: unknown_schema_version/);
    expect(first.out).toMatch(/line 1004: invalid: .*score/);
    expect(first.out).not.toMatch(/line 701/);

    const again = runImport(file, '--show', '1');
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/… and 2 more/);

    const ch = await createClickHouse(loadClickHouseConfig({ DATA_DIR: join(tmp.dir, 'data') }));
    try {
      expect(await eventCounts(ch)).toEqual({ rows: 1_000, unique: 1_000 });
      // Same blocks, same tokens: the second run wrote nothing, not even unmerged copies.
      const [raw] = await queryRows<{ n: string }>(ch, 'SELECT count() AS n FROM events');
      expect(Number(raw!.n)).toBe(1_000);
      const dead = await queryRows<{ offset: number; reason: string }>(
        ch,
        "SELECT offset, reason FROM dead_letters FINAL WHERE source = 'import' ORDER BY offset",
      );
      expect(dead).toEqual([
        { offset: 101, reason: 'malformed_json' },
        { offset: 501, reason: 'unknown_schema_version' },
        { offset: 1004, reason: 'invalid' },
      ]);
    } finally {
      await ch.close();
    }
  });

  it('exits 0 for a clean file and 2 for bad arguments', () => {
    const file = join(tmp.dir, 'clean.jsonl');
    writeFileSync(
      file,
      makeEvents(3)
        .map((e) => JSON.stringify(e))
        .join('\n'),
    );
    const ok = runImport(file, '--quiet');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/imported 3 event\(s\).*0 rejected/);
    expect(runImport().code).toBe(2);
    expect(runImport(join(tmp.dir, 'missing.jsonl')).err).toMatch(/no such file/);
    expect(runImport(file, '--bogus').code).toBe(2);
    const help = runImport('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/exit codes:/);
  });
});
