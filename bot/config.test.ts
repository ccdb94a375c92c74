import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/env.js';
import { loadBotConfig, SANDBOX_BOT_TOKEN } from './config.js';
import { parseCategories, routeQueue } from './routing.js';

describe('bot config', () => {
  it('defaults to the sandbox and the playbook queues', () => {
    const c = loadBotConfig({});
    expect(c.token).toBe(SANDBOX_BOT_TOKEN);
    expect(c.apiRoot).toBe('http://127.0.0.1:8081');
    expect(c.supportChatId).toBe(-1002000000001);
    expect(c.categories.map((x) => `${x.key}:${x.queue}`)).toEqual(['payment:payments', 'account:L1', 'features:L1', 'complaint:L2', 'ideas:L1']);
    expect([...c.sla.keys()]).toEqual(['L1', 'L2', 'VIP', 'payments']);
    expect(c.businessHours.size).toBe(0);
    expect(c.eventsTopic).toBe('support.events');
  });

  it('reads a real token, VIPs, categories, SLA targets and business hours', () => {
    const c = loadBotConfig({
      BOT_TOKEN: '123:abc', SANDBOX_PORT: '9999', VIP_USER_IDS: '42, 43', CATEGORIES: 'Billing:payments,Other',
      SLA_TARGETS: 'L1=10m/2h,payments=5m/1h', BUSINESS_HOURS: 'L1=Mon-Fri 09:00-18:00 Europe/Berlin',
    });
    expect(c.apiRoot).toBeUndefined();
    expect([...c.vipUserIds]).toEqual([42, 43]);
    expect(c.categories).toEqual([{ key: 'billing', label: 'Billing', queue: 'payments' }, { key: 'other', label: 'Other', queue: 'L1' }]);
    expect(c.sla.get('L1')!.firstResponseSeconds).toBe(600);
    expect(c.businessHours.get('L1')!.zone).toBe('Europe/Berlin');
  });

  it('names the bad variable', () => {
    const bad = (env: Record<string, string>, variable: string) => {
      try {
        loadBotConfig(env);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as ConfigError).variable).toBe(variable);
      }
    };
    bad({ VIP_USER_IDS: 'abc' }, 'VIP_USER_IDS');
    bad({ SLA_TARGETS: 'L1=15m' }, 'SLA_TARGETS');
    bad({ BUSINESS_HOURS: 'L1=Mon-Fri 09:00-18:00 Mars/Olympus' }, 'BUSINESS_HOURS');
    bad({ CATEGORIES: 'A:bad queue' }, 'CATEGORIES');
    bad({ WEBHOOK_URL: 'https://example.org/tg' }, 'WEBHOOK_SECRET');
  });
});

describe('routing', () => {
  const cats = parseCategories('Payment:payments,Account:L1,Complaint:L2,Ideas', 'L1');
  it('routes by category, VIP always wins, default otherwise', () => {
    expect(routeQueue({ isVip: false, category: cats[0], defaultQueue: 'L1' })).toEqual({ queue: 'payments', reason: 'routing' });
    expect(routeQueue({ isVip: false, category: cats[2], defaultQueue: 'L1' })).toEqual({ queue: 'L2', reason: 'routing' });
    expect(routeQueue({ isVip: false, category: cats[3], defaultQueue: 'L1' }).queue).toBe('L1');
    expect(routeQueue({ isVip: true, category: cats[0], defaultQueue: 'L1' })).toEqual({ queue: 'VIP', reason: 'vip' });
    expect(routeQueue({ isVip: false, category: undefined, defaultQueue: 'L1' }).queue).toBe('L1');
  });
  it('rejects duplicate and empty categories', () => {
    expect(() => parseCategories('A,a', 'L1')).toThrow(/twice/);
    expect(() => parseCategories('', 'L1')).toThrow(/no categories/);
  });
});
