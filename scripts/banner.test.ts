import { describe, expect, it } from 'vitest';
import { bannerFields, bannerLines, modeOf, type BannerFacts } from './banner.js';

const demo: BannerFacts = {
  dashboardUrl: 'http://127.0.0.1:3000',
  sandboxUrl: 'http://127.0.0.1:8081',
  simulator: true,
  alerting: { prometheusUrl: 'http://127.0.0.1:9090', alertmanagerUrl: 'http://127.0.0.1:9093' },
  storage: { clickhouse: 'chDB in data/clickhouse', postgres: 'PGlite in data/pglite', bus: 'embedded log in data/bus' },
};

describe('start-up banner', () => {
  it('tells a demo user the mode and where to click, in plain text', () => {
    const text = bannerLines(demo).join('\n');
    expect(text).toMatch(/mode +demo — the Telegram sandbox stands in for Telegram/);
    expect(text).toContain('dashboard   http://127.0.0.1:3000');
    expect(text).toContain('playground  http://127.0.0.1:8081/sandbox/');
    expect(text).toContain('Prometheus http://127.0.0.1:9090 · Alertmanager http://127.0.0.1:9093');
    expect(text).toContain('a line says when it is ready');
    expect(text).not.toMatch(/[{}"]/); // no JSON for a person
  });

  it('names the bot and the transport with a real token, and no playground', () => {
    const real: BannerFacts = {
      ...demo,
      sandboxUrl: undefined,
      simulator: false,
      telegram: 'webhook',
      botUsername: 'acme_help_bot',
      alerting: { off: 'prometheus not found on PATH' },
    };
    expect(modeOf(real)).toBe('telegram');
    const text = bannerLines(real).join('\n');
    expect(text).toContain('Telegram — @acme_help_bot via webhook');
    expect(text).not.toContain('playground');
    expect(text).toContain('SLA alerts  off: prometheus not found on PATH');
  });

  it('says when alerts wait for the demo history', () => {
    const waiting: BannerFacts = { ...demo, alerting: { pending: 'start once the demo history is replayed' } };
    expect(bannerLines(waiting).join('\n')).toContain('SLA alerts  start once the demo history is replayed');
    expect(bannerFields(waiting).alerts).toBe('start once the demo history is replayed');
  });

  it('a sandbox without the simulator says so', () => {
    expect(modeOf({ sandboxUrl: 'http://127.0.0.1:8081', simulator: false })).toBe('sandbox');
    expect(bannerLines({ ...demo, simulator: false }).join('\n')).toContain('SIMULATE=0');
  });

  it('gives log shippers the same facts as fields', () => {
    expect(bannerFields(demo)).toEqual({
      mode: 'demo',
      dashboard: 'http://127.0.0.1:3000',
      api_docs: 'http://127.0.0.1:3000/api/docs',
      metrics: 'http://127.0.0.1:3000/metrics',
      playground: 'http://127.0.0.1:8081/sandbox/',
      sandbox_api: 'http://127.0.0.1:8081',
      alerts: 'http://127.0.0.1:9090',
    });
  });
});
