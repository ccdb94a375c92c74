import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/env.js';
import { loadAlertsConfig } from './alerts/config.js';
import { loadBotConfig, loadBotServiceConfig, SANDBOX_BOT_TOKEN } from './config.js';
import { parseCategories, routeQueue } from './routing.js';

/** A token of the shape @BotFather hands out (not a real one). */
const TOKEN = '110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq';

/** The ConfigError `load` throws; fails the test when it loads. */
function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('the configuration was accepted');
}

describe('bot config', () => {
  it('defaults to the sandbox and the playbook queues', () => {
    const c = loadBotConfig({});
    expect(c.token).toBe(SANDBOX_BOT_TOKEN);
    expect(c.apiRoot).toBe('http://127.0.0.1:8081');
    expect(c.supportChatId).toBe(-1002000000001);
    expect(c.categories.map((x) => `${x.key}:${x.queue}`)).toEqual(['payment:payments', 'account:L1', 'features:L1', 'complaint:L2', 'ideas:L1']);
    expect([...c.sla.keys()]).toEqual(['L1', 'L2', 'VIP', 'payments', 'security']);
    expect(c.businessHours.size).toBe(0);
    expect(c.eventsTopic).toBe('support.events');
  });

  it('reads a real token, VIPs, categories, SLA targets and business hours', () => {
    const c = loadBotConfig({
      BOT_TOKEN: TOKEN,
      SANDBOX_PORT: '9999',
      VIP_USER_IDS: '42, 43',
      CATEGORIES: 'Billing:payments,Other',
      SLA_TARGETS: 'L1=10m/2h,payments=5m/1h',
      BUSINESS_HOURS: 'L1=Mon-Fri 09:00-18:00 Europe/Berlin',
    });
    expect(c.apiRoot).toBeUndefined();
    expect([...c.vipUserIds]).toEqual([42, 43]);
    expect(c.categories).toEqual([
      { key: 'billing', label: 'Billing', queue: 'payments' },
      { key: 'other', label: 'Other', queue: 'L1' },
    ]);
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

describe('BOT_TOKEN: the demo only on purpose', () => {
  it('an empty BOT_TOKEN is an error naming it, not the sandbox', () => {
    for (const raw of ['', '  ']) {
      const e = configError(() => loadBotConfig({ BOT_TOKEN: raw }));
      expect(e.variable).toBe('BOT_TOKEN');
      expect(e.message).toMatch(/^Invalid configuration: BOT_TOKEN is empty: expected a Bot API token from @BotFather/);
      expect(e.message).toMatch(/DEMO=1/);
    }
  });

  it('a malformed BOT_TOKEN is an error that never shows the token', () => {
    for (const raw of ['123:abc', `${TOKEN} `, `bot${TOKEN}`, TOKEN.replace(':', '-'), TOKEN.slice(0, 30)]) {
      const e = configError(() => loadBotConfig({ BOT_TOKEN: raw }));
      expect(e.variable).toBe('BOT_TOKEN');
      expect(e.message).toMatch(/must be a Bot API token/);
      expect(e.message).not.toContain(raw.trim());
      expect(e.message).not.toContain('AAHdqTcv');
    }
  });

  it('DEMO=1 runs the sandbox bot, with BOT_TOKEN unset or empty, and refuses a token', () => {
    for (const env of [{ DEMO: '1' }, { DEMO: '1', BOT_TOKEN: '' }]) {
      const c = loadBotConfig(env);
      expect(c).toMatchObject({ demo: true, sandbox: true, token: SANDBOX_BOT_TOKEN, apiRoot: 'http://127.0.0.1:8081' });
    }
    expect(configError(() => loadBotConfig({ DEMO: '1', BOT_TOKEN: TOKEN })).variable).toBe('DEMO');
    expect(loadBotConfig({ BOT_TOKEN: TOKEN })).toMatchObject({ demo: false, sandbox: false, token: TOKEN, apiRoot: undefined });
  });

  it('npm run bot never falls back on the sandbox: BOT_TOKEN, or a TELEGRAM_API_ROOT named on purpose', () => {
    const unset = configError(() => loadBotServiceConfig({}));
    expect(unset.variable).toBe('BOT_TOKEN');
    expect(unset.message).toMatch(/is not set: npm run bot serves Telegram and never starts a sandbox/);
    expect(configError(() => loadBotServiceConfig({ DEMO: '1' })).variable).toBe('DEMO');
    expect(loadBotServiceConfig({ BOT_TOKEN: TOKEN }).token).toBe(TOKEN);
    expect(loadBotServiceConfig({ TELEGRAM_API_ROOT: 'http://127.0.0.1:9999' })).toMatchObject({ token: SANDBOX_BOT_TOKEN, apiRoot: 'http://127.0.0.1:9999' });
    const root = configError(() => loadBotServiceConfig({ TELEGRAM_API_ROOT: '127.0.0.1:9999' }));
    expect(root.variable).toBe('TELEGRAM_API_ROOT');
    expect(root.message).toMatch(/must be a http:\/\/ or https:\/\/ URL/);
  });
});

describe('chat ids and user ids', () => {
  it('SUPPORT_CHAT_ID: empty, malformed or not a supergroup is an error, never chat 0', () => {
    const empty = configError(() => loadBotConfig({ SUPPORT_CHAT_ID: '' }));
    expect(empty.variable).toBe('SUPPORT_CHAT_ID');
    expect(empty.message).toMatch(/is empty: expected a supergroup id: -100 followed by digits/);
    expect(configError(() => loadBotConfig({ SUPPORT_CHAT_ID: '-1001234567890x' })).message).toMatch(/SUPPORT_CHAT_ID must be an integer: a supergroup id/);
    expect(configError(() => loadBotConfig({ SUPPORT_CHAT_ID: '-123456789' })).message).toMatch(/basic group.*Topics/);
    expect(loadBotConfig({ SUPPORT_CHAT_ID: '-1001234567890' }).supportChatId).toBe(-1001234567890);
  });

  it('VIP_USER_IDS is validated element by element, naming the bad one', () => {
    const e = configError(() => loadBotConfig({ VIP_USER_IDS: '42, 4x3, 44' }));
    expect(e.variable).toBe('VIP_USER_IDS');
    expect(e.message).toMatch(/item 2 of 3, "4x3", is not one/);
    expect(configError(() => loadBotConfig({ VIP_USER_IDS: '42,,44' })).message).toMatch(/item 2 of 3 is empty/);
    expect(configError(() => loadBotConfig({ VIP_USER_IDS: '0x2A' })).message).toMatch(/"0x2A", is not one/);
    expect([...loadBotConfig({ VIP_USER_IDS: '' }).vipUserIds]).toEqual([]);
  });

  it('ESCALATION_CHAT_ID: an empty value is an error, not chat 0 where every alert is lost', () => {
    const e = configError(() => loadAlertsConfig({ ESCALATION_CHAT_ID: '' }));
    expect(e.variable).toBe('ESCALATION_CHAT_ID');
    expect(e.message).toMatch(/^Invalid configuration: ESCALATION_CHAT_ID is empty: expected a Telegram chat id: a non-zero integer/);
    expect(configError(() => loadAlertsConfig({ ESCALATION_CHAT_ID: '0' })).message).toMatch(/0 is no chat/);
    expect(configError(() => loadAlertsConfig({ ESCALATION_CHAT_ID: 'leads' })).variable).toBe('ESCALATION_CHAT_ID');
    expect(loadAlertsConfig({ ESCALATION_CHAT_ID: '-1009876543210' }).ESCALATION_CHAT_ID).toBe(-1009876543210);
  });

  it('ALERT_TEAM_LEAD_IDS: a typo is an error naming the element, not NaN; it is the older name of TEAM_LEAD_IDS', () => {
    const e = configError(() => loadBotConfig({ ALERT_TEAM_LEAD_IDS: '123456789,12a4' }));
    expect(e.variable).toBe('ALERT_TEAM_LEAD_IDS');
    expect(e.message).toMatch(/must list Telegram user ids: positive integers separated by commas .*; item 2 of 2, "12a4", is not one/);
    expect([...loadBotConfig({ ALERT_TEAM_LEAD_IDS: '123456789, 987654321' }).teamLeadIds]).toEqual([123456789, 987654321]);
    expect([...loadBotConfig({ ALERT_TEAM_LEAD_IDS: '' }).teamLeadIds]).toEqual([]);
    // One source: TEAM_LEAD_IDS wins when both are set.
    expect([...loadBotConfig({ TEAM_LEAD_IDS: '5', ALERT_TEAM_LEAD_IDS: '6' }).teamLeadIds]).toEqual([5]);
    expect(configError(() => loadBotConfig({ TEAM_LEAD_IDS: '1,x' })).variable).toBe('TEAM_LEAD_IDS');
    expect(configError(() => loadBotConfig({ ADMIN_IDS: '-3' })).variable).toBe('ADMIN_IDS');
    expect([...loadBotConfig({ ADMIN_IDS: '7,8' }).adminIds]).toEqual([7, 8]);
  });

  it('empty durations, integers and booleans of the desk are errors, an empty DIGEST_TIME means no digest', () => {
    for (const name of ['REPEAT_CONTACT_WINDOW', 'THROTTLE', 'THROTTLE_GLOBAL_PER_SECOND', 'SANDBOX_PORT', 'DEFAULT_QUEUE'])
      expect(configError(() => loadBotConfig({ [name]: '' })).message).toMatch(new RegExp(`^Invalid configuration: ${name} is empty: expected `));
    for (const name of ['ALERT_MUTE_DURATION', 'ALERT_WEBHOOK_BODY_LIMIT']) expect(configError(() => loadAlertsConfig({ [name]: '' })).variable).toBe(name);
    expect(loadAlertsConfig({ DIGEST_TIME: '' }).DIGEST_TIME).toBe('');
    expect(loadAlertsConfig({ ESCALATION_THREAD_ID: '' }).ESCALATION_THREAD_ID).toBeUndefined();
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
