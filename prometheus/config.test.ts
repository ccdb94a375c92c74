/**
 * The shipped Prometheus/Alertmanager files are valid for the installed tools:
 * promtool checks the config and runs every rule unit test, amtool checks the
 * Alertmanager config and where each kind of alert is routed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

const run = promisify(execFile);
const dir = dirname(fileURLToPath(import.meta.url));

async function tool(cmd: string, args: string[], streams: 'both' | 'stdout' = 'both', cwd = dir): Promise<string> {
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd });
    return streams === 'stdout' ? stdout : stdout + stderr;
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

describe('prometheus/ configs', () => {
  it('promtool check config accepts prometheus.yml and its rules', async () => {
    // The scrape token is a file compose writes in the Prometheus container (docker-compose.yml); promtool
    // checks that it exists, so the shipped config is checked beside its rules with that one path pointed
    // at a scratch file.
    const cfg = parse(readFileSync(join(dir, 'prometheus.yml'), 'utf8')) as { scrape_configs: { authorization?: { credentials_file?: string } }[] };
    const tokenFiles = new Set(cfg.scrape_configs.map((j) => j.authorization?.credentials_file));
    expect([...tokenFiles]).toEqual(['/prometheus/analytics-token']);
    const scratch = mkdtempSync(join(tmpdir(), 'promtool-'));
    let out: string;
    try {
      writeFileSync(join(scratch, 'analytics-token'), 'token');
      for (const j of cfg.scrape_configs) j.authorization!.credentials_file = join(scratch, 'analytics-token');
      writeFileSync(join(scratch, 'prometheus.yml'), stringify(cfg));
      symlinkSync(join(dir, 'rules'), join(scratch, 'rules'));
      out = await tool('promtool', ['check', 'config', 'prometheus.yml'], 'both', scratch);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    expect(out).toContain('SUCCESS: prometheus.yml is valid prometheus config file syntax');
    // Every rule file is found with all its rules (a YAML slip that drops a rule shows as a smaller count).
    for (const file of readdirSync(join(dir, 'rules')).filter((f) => f.endsWith('.yml'))) {
      const groups = (parse(readFileSync(join(dir, 'rules', file), 'utf8')) as { groups: { rules: unknown[] }[] }).groups;
      const rules = groups.reduce((n, g) => n + g.rules.length, 0);
      expect(out).toContain(`Checking ${join('rules', file)}\n  SUCCESS: ${rules} rules found`);
    }
  });

  it('promtool test rules passes every rule unit test', async () => {
    const tests = readdirSync(join(dir, 'tests'))
      .filter((f) => f.endsWith('.yml'))
      .map((f) => join('tests', f));
    expect(tests.length).toBeGreaterThanOrEqual(2);
    const out = await tool('promtool', ['test', 'rules', ...tests]);
    expect(out.match(/SUCCESS/g)?.length).toBe(tests.length);
  });

  it('every alert rule has a unit test', async () => {
    const { parse } = await import('yaml');
    const { readFileSync } = await import('node:fs');
    const alerts = new Set<string>();
    for (const f of readdirSync(join(dir, 'rules'))) {
      const doc = parse(readFileSync(join(dir, 'rules', f), 'utf8')) as { groups: { rules: { alert?: string }[] }[] };
      for (const g of doc.groups) for (const r of g.rules) if (r.alert) alerts.add(r.alert);
    }
    const tested = readdirSync(join(dir, 'tests'))
      .map((f) => readFileSync(join(dir, 'tests', f), 'utf8'))
      .join('\n');
    for (const a of alerts) expect(tested, `no promtool test for ${a}`).toContain(`alertname: ${a}`);
  });

  it('amtool check-config accepts alertmanager.yml', async () => {
    const out = await tool('amtool', ['check-config', 'alertmanager.yml']);
    expect(out).toContain('SUCCESS');
    expect(out).toContain('3 inhibit rules');
  });

  it.each([
    [['alertname=FirstResponseSlaBreached', 'severity=critical', 'queue=VIP'], 'desk-critical'],
    [['alertname=FirstResponseSlaBreached', 'severity=critical', 'queue=L1'], 'desk-critical'],
    [['alertname=FirstResponseSlaImminent', 'severity=warning', 'queue=L1'], 'desk-warning'],
    [['alertname=SomethingNew'], 'desk-warning'],
  ])('routes %j to %s', async (labels, receiver) => {
    const out = await tool('amtool', ['config', 'routes', 'test', '--config.file=alertmanager.yml', ...labels], 'stdout');
    expect(out.trim()).toBe(receiver);
  });
});
