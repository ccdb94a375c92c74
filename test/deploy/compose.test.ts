/**
 * docker-compose.yml is valid (Debian's docker-compose parses it), wires the
 * services the README promises, and passes the product only variables the
 * code declares. Hardened (issue 18, item 5): no default password, published
 * ports on loopback unless set otherwise, Grafana and the dashboard on the
 * read-only ClickHouse user.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT, loadAllDeclarations } from '../../scripts/config-docs.js';
import { DEFAULT_CATEGORIES } from '../../bot/routing.js';
import { QUERY_SETTINGS } from '../../analytics/ticket-facts.js';
import { createClickHouse, loadClickHouseConfig } from '../../core/clickhouse.js';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: unknown;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
}

const PASSWORDS = {
  POSTGRES_PASSWORD: 'pg-secret',
  CLICKHOUSE_PASSWORD: 'ch-writer-secret',
  CLICKHOUSE_READONLY_PASSWORD: 'ch-reader-secret',
  GRAFANA_ADMIN_PASSWORD: 'grafana-secret',
};
const REQUIRED = {
  BOT_TOKEN: '1:x',
  SUPPORT_CHAT_ID: '-100',
  ESCALATION_CHAT_ID: '-101',
  ALERTMANAGER_WEBHOOK_TOKEN: 't',
  ANALYTICS_TOKEN: 'a',
  ...PASSWORDS,
};

function runCompose(env: Record<string, string | undefined>): string {
  return execFileSync('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), 'config'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, ...env },
  });
}

function composeConfig(env: Record<string, string | undefined> = REQUIRED): {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
} {
  return parse(runCompose(env));
}

/** Every ${NAME…} interpolation of the compose file as written: the name and what follows it. */
function interpolations(source: string): { name: string; rest: string }[] {
  return [...source.matchAll(/\$\{(\w+)([^}]*)\}/g)].map((m) => ({ name: m[1]!, rest: m[2]! }));
}

const READONLY_USERS_FILE = 'deploy/clickhouse/users.d/readonly.xml';

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

  describe('hardened (issue 18, item 5)', () => {
    const source = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');

    it('has no default password: every *PASSWORD* interpolation is required (:?), and no password is written out', () => {
      const passwords = interpolations(source).filter((i) => /PASSWORD/i.test(i.name));
      expect(new Set(passwords.map((i) => i.name))).toEqual(new Set(Object.keys(PASSWORDS)));
      for (const i of passwords) expect(i.rest, `\${${i.name}${i.rest}}`).toMatch(/^:\?\S/);
      // Written out: an environment key naming a password, or a user:password@ in a URL, that is not an interpolation.
      const raw = parse(source) as { services: Record<string, { environment?: Record<string, unknown> }> };
      for (const [name, svc] of Object.entries(raw.services))
        for (const [key, value] of Object.entries(svc.environment ?? {}))
          if (/PASSWORD/i.test(key)) expect(String(value), `${name}.${key}`).toMatch(/^\$\{\w*PASSWORD:\?[^}]+\}$/);
      const urlPasswords = [...source.matchAll(/:\/\/[\w.-]+:(\$\{[^}]*\}|[^@\s/]+)@/g)].map((m) => m[1]!);
      expect(urlPasswords.length).toBeGreaterThanOrEqual(3);
      for (const p of urlPasswords) expect(p).toMatch(/^\$\{\w*PASSWORD:\?[^}]+\}$/);
    });

    it.each(Object.keys(PASSWORDS))('refuses to start without %s, naming it', (name) => {
      let stderr = '';
      try {
        runCompose({ ...REQUIRED, [name]: undefined });
      } catch (e) {
        stderr = String((e as { stderr?: string }).stderr);
      }
      expect(stderr).toContain(`set ${name} in .env`);
    });

    it('passes each service the passwords it is given, and only where they belong', () => {
      const cfg = composeConfig();
      const env = (s: string) => cfg.services[s]!.environment ?? {};
      expect(env('postgres').POSTGRES_PASSWORD).toBe(PASSWORDS.POSTGRES_PASSWORD);
      expect(env('clickhouse').CLICKHOUSE_PASSWORD).toBe(PASSWORDS.CLICKHOUSE_PASSWORD);
      expect(env('clickhouse').CLICKHOUSE_READONLY_PASSWORD).toBe(PASSWORDS.CLICKHOUSE_READONLY_PASSWORD);
      expect(env('grafana').GF_SECURITY_ADMIN_PASSWORD).toBe(PASSWORDS.GRAFANA_ADMIN_PASSWORD);
      // Grafana holds the read-only password, never the writer's.
      expect(env('grafana').CLICKHOUSE_READONLY_PASSWORD).toBe(PASSWORDS.CLICKHOUSE_READONLY_PASSWORD);
      expect(Object.values(env('grafana'))).not.toContain(PASSWORDS.CLICKHOUSE_PASSWORD);
      for (const s of ['bot', 'ingest', 'dashboard']) expect(env(s).DATABASE_URL, s).toBe(`postgres://desk:${PASSWORDS.POSTGRES_PASSWORD}@postgres:5432/desk`);
    });

    it('runs Grafana without admin/admin: the admin password is required, anonymous access and sign-up are off', () => {
      const env = composeConfig().services.grafana!.environment ?? {};
      expect(source).toMatch(/GF_SECURITY_ADMIN_PASSWORD: \$\{GRAFANA_ADMIN_PASSWORD:\?/);
      expect(String(env.GF_AUTH_ANONYMOUS_ENABLED)).toBe('false');
      expect(String(env.GF_USERS_ALLOW_SIGN_UP)).toBe('false');
    });

    it('binds every published port to 127.0.0.1 by default, and to the *_BIND address when set', () => {
      const published = (cfg: ReturnType<typeof composeConfig>) =>
        Object.entries(cfg.services).flatMap(([name, s]) => (s.ports ?? []).map((p) => ({ name, p: String(p) })));
      const byDefault = published(composeConfig());
      expect(byDefault.map((x) => x.name).sort()).toEqual(['dashboard', 'grafana', 'prometheus']);
      for (const { name, p } of byDefault) expect(p, name).toMatch(/^127\.0\.0\.1:\d+:\d+(\/tcp)?$/);
      // As written: every port entry is ${X_BIND:-127.0.0.1}:${X_PORT:-n}:n.
      const raw = parse(source) as { services: Record<string, { ports?: string[] }> };
      for (const [name, s] of Object.entries(raw.services))
        for (const p of s.ports ?? []) expect(p, name).toMatch(/^\$\{[A-Z]+_BIND:-127\.0\.0\.1\}:\$\{[A-Z]+_PORT:-\d+\}:\d+$/);
      const opened = published(composeConfig({ ...REQUIRED, DASHBOARD_BIND: '0.0.0.0', GRAFANA_BIND: '10.0.0.5' }));
      expect(opened.find((x) => x.name === 'dashboard')!.p).toMatch(/^0\.0\.0\.0:3000:3000/);
      expect(opened.find((x) => x.name === 'grafana')!.p).toMatch(/^10\.0\.0\.5:3001:3000/);
      expect(opened.find((x) => x.name === 'prometheus')!.p).toMatch(/^127\.0\.0\.1:9090:9090/);
    });

    it("points Grafana's ClickHouse data source at the read-only user", () => {
      const ds = parse(readFileSync(join(ROOT, 'grafana/provisioning/datasources/datasources.yml'), 'utf8')) as {
        datasources: { type: string; jsonData?: Record<string, unknown>; secureJsonData?: Record<string, string> }[];
      };
      const clickhouse = ds.datasources.filter((d) => d.type === 'grafana-clickhouse-datasource');
      expect(clickhouse.length).toBe(1);
      expect(clickhouse[0]!.jsonData?.username).toBe('desk_readonly');
      expect(clickhouse[0]!.secureJsonData?.password).toMatch(/^\$\{?CLICKHOUSE_READONLY_PASSWORD\}?$/);
    });

    it('gives the dashboard the read-only user (no migrations) and keeps the writer for the bot and the ingest, which migrates', () => {
      const cfg = composeConfig();
      const url = (s: string) => new URL(String(cfg.services[s]!.environment?.CLICKHOUSE_URL));
      expect(url('dashboard').username).toBe('desk_readonly');
      expect(url('dashboard').password).toBe(PASSWORDS.CLICKHOUSE_READONLY_PASSWORD);
      expect(String(cfg.services.dashboard!.environment?.DASHBOARD_MIGRATE)).toBe('0');
      for (const s of ['bot', 'ingest']) {
        expect(url(s).username, s).toBe('desk');
        expect(url(s).password, s).toBe(PASSWORDS.CLICKHOUSE_PASSWORD);
      }
      expect(readFileSync(join(ROOT, 'ingest/main.ts'), 'utf8')).toMatch(/await migrate\(ch,/);
      expect(readFileSync(join(ROOT, 'dashboard/main.ts'), 'utf8')).toMatch(/if \(cfg\.DASHBOARD_MIGRATE\)/);
    });

    describe(`ClickHouse users file ${READONLY_USERS_FILE}`, () => {
      const xml = readFileSync(join(ROOT, READONLY_USERS_FILE), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
      const section = (text: string, tag: string) => {
        const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(text);
        expect(m, `<${tag}>`).not.toBeNull();
        return m![1]!;
      };
      const user = section(section(xml, 'users'), 'desk_readonly');
      const profileName = section(user, 'profile').trim();
      const profile = section(section(xml, 'profiles'), profileName);

      it('is mounted into the clickhouse service, which has the password it reads', () => {
        const ch = composeConfig().services.clickhouse!;
        expect(ch.volumes).toContain(`${join(ROOT, READONLY_USERS_FILE)}:/etc/clickhouse-server/users.d/readonly.xml:ro`);
        expect(user).toMatch(/<password from_env="CLICKHOUSE_READONLY_PASSWORD"\s*\/>/);
        expect(ch.environment?.CLICKHOUSE_READONLY_PASSWORD).toBe(PASSWORDS.CLICKHOUSE_READONLY_PASSWORD);
      });

      it('defines desk_readonly as read-only: readonly=1 that cannot be changed, SELECT on the support database only, no access management', () => {
        expect(section(profile, 'readonly').trim()).toBe('1');
        expect(section(section(profile, 'constraints'), 'readonly')).toMatch(/<const\s*\/>/);
        expect(section(user, 'access_management').trim()).toBe('0');
        const grants = [...section(user, 'grants').matchAll(/<query>([^<]*)<\/query>/g)].map((m) => m[1]!.trim());
        expect(grants).toEqual(['GRANT SELECT ON support.*']);
      });

      it('lets the clients change, in read-only mode, the settings they send with every query', async () => {
        // Settings the Node client sends (core/clickhouse.ts; no connection is made), the analytics queries'
        // and Grafana's plugin's (max_execution_time): readonly=1 refuses any other change with "Setting is locked".
        const ch = await createClickHouse(loadClickHouseConfig({ CLICKHOUSE_URL: 'http://desk_readonly:x@127.0.0.1:9' }), {
          createDatabase: false,
        });
        const sent = [...Object.keys(ch.settings), ...Object.keys(QUERY_SETTINGS), 'max_execution_time'];
        await ch.close();
        const constraints = section(profile, 'constraints');
        for (const name of sent) expect(section(constraints, name), name).toMatch(/<changeable_in_readonly\s*\/>/);
      });
    });
  });

  it('gives every service that listens beyond loopback the analytics token, and Prometheus the same to scrape with', () => {
    for (const name of ['bot', 'ingest', 'dashboard', 'prometheus']) expect(cfg.services[name]!.environment?.ANALYTICS_TOKEN, name).toBeTruthy();
    const prom = cfg.services.prometheus as Service & { entrypoint?: string[] };
    expect(prom.command?.join(' ')).toContain('> /prometheus/analytics-token');
  });
});
