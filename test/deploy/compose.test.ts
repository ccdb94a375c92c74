/**
 * docker-compose.yml is valid (Debian's docker-compose parses it), wires the
 * services the README promises, and passes the product only variables the
 * code declares.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT, loadAllDeclarations } from '../../scripts/config-docs.js';
import { DEFAULT_CATEGORIES } from '../../bot/routing.js';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: unknown;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

function composeConfig(): { services: Record<string, Service>; volumes: Record<string, unknown> } {
  const out = execFileSync('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), 'config'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      BOT_TOKEN: '1:x',
      SUPPORT_CHAT_ID: '-100',
      ESCALATION_CHAT_ID: '-101',
      ALERTMANAGER_WEBHOOK_TOKEN: 't',
      ANALYTICS_TOKEN: 'a',
    },
  });
  return parse(out);
}

describe('docker-compose.yml', () => {
  const cfg = composeConfig();

  it('runs every part of the distributed deployment', () => {
    expect(Object.keys(cfg.services).sort()).toEqual(
      ['alertmanager', 'bot', 'clickhouse', 'dashboard', 'grafana', 'ingest', 'kafka', 'postgres', 'prometheus'].sort(),
    );
    for (const infra of ['kafka', 'clickhouse', 'postgres', 'prometheus', 'alertmanager'])
      expect(cfg.services[infra]!.healthcheck, `${infra} healthcheck`).toBeTruthy();
    expect(Object.keys(cfg.volumes).length).toBeGreaterThanOrEqual(6);
  });

  it('starts the app services after their dependencies are healthy', () => {
    expect(cfg.services.bot!.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, kafka: { condition: 'service_healthy' } });
    expect(cfg.services.ingest!.depends_on).toMatchObject({ kafka: { condition: 'service_healthy' }, clickhouse: { condition: 'service_healthy' } });
    expect(cfg.services.dashboard!.depends_on).toMatchObject({ clickhouse: { condition: 'service_healthy' } });
  });

  it('passes the product only variables the code declares', async () => {
    const declared = new Set((await loadAllDeclarations()).map((v) => v.name));
    for (const name of ['bot', 'ingest', 'dashboard']) {
      const keys = Object.keys(cfg.services[name]!.environment ?? {});
      expect(keys.length).toBeGreaterThan(3);
      expect(
        keys.filter((k) => !declared.has(k)),
        `${name} environment`,
      ).toEqual([]);
    }
  });

  it('never hands the product an empty value: an unset variable is required (:?), not "" (an empty chat id was chat 0)', () => {
    const source = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    expect([...source.matchAll(/\$\{(\w+):?-\}/g)].map((m) => m[1])).toEqual([]);
    expect(source).toMatch(/ESCALATION_CHAT_ID: \$\{ESCALATION_CHAT_ID:\?/);
  });

  it('mounts the project configs that exist in the repository', () => {
    const mounts = Object.values(cfg.services).flatMap((s) => s.volumes ?? []);
    const hostPaths = mounts.map((m) => m.split(':')[0]!).filter((p) => p.startsWith('/'));
    expect(hostPaths.length).toBeGreaterThanOrEqual(4);
    for (const p of hostPaths) expect(existsSync(p), p).toBe(true);
  });

  it('copies into the image every directory the services import or read at run time', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const copied = new Set([...dockerfile.matchAll(/^COPY --from=build \/app\/(\S+) /gm)].map((m) => m[1]!));
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
        const target = join(dirname(file), `${m[1]}.ts`);
        if (existsSync(target)) visit(target);
      }
    };
    for (const entry of ['bot/main.ts', 'ingest/main.ts', 'dashboard/main.ts', 'scripts/migrate.ts']) visit(join(ROOT, entry));
    const dirs = new Set([...seen].map((f) => relative(ROOT, f).split('/')[0]!));
    // Read at run time rather than imported: knowledge base, macros, locales, the built web app.
    for (const d of ['kb', 'macros', 'locales']) dirs.add(d);
    expect([...dirs].filter((d) => !copied.has(d) && !d.endsWith('.ts'))).toEqual([]);
  });

  it('builds a non-root, multi-stage image', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it("gives the bot and the dashboard the same categories, defaulting to the code's", () => {
    for (const name of ['bot', 'dashboard']) {
      expect(cfg.services[name]!.environment?.CATEGORIES, name).toBe(DEFAULT_CATEGORIES);
      expect(cfg.services[name]!.environment?.DEFAULT_QUEUE, name).toBe('L1');
    }
  });
});
