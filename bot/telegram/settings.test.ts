import { describe, expect, it } from 'vitest';
import type { Bus } from '../../core/bus/types.js';
import { ConfigError } from '../../core/env.js';
import type { Db } from '../../core/postgres.js';
import { createDesk } from '../app.js';
import { loadBotConfig } from '../config.js';
import { createI18n } from '../i18n.js';
import { checkCommandLocales, checkEscalationThreadId, checkWebhookUrl } from './settings.js';

/** The ConfigError `check` throws; fails the test when it passes. */
function configError(check: () => unknown): ConfigError {
  try {
    check();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('the setting was accepted');
}

describe("the desk's Telegram settings, checked by the sandbox's rules", () => {
  it('ESCALATION_THREAD_ID=1 (General) is an error naming the variable and the fix', () => {
    const e = configError(() => checkEscalationThreadId(1));
    expect(e.variable).toBe('ESCALATION_THREAD_ID');
    expect(e.message).toMatch(/^Invalid configuration: ESCALATION_THREAD_ID is 1, the General topic/);
    expect(e.message).toContain('message thread not found');
    expect(e.message).toContain('unset ESCALATION_THREAD_ID to post in General');
    expect(configError(() => checkEscalationThreadId(0)).variable).toBe('ESCALATION_THREAD_ID');
    expect(() => checkEscalationThreadId(undefined)).not.toThrow();
    expect(() => checkEscalationThreadId(12)).not.toThrow();
  });

  it('a WEBHOOK_URL Telegram would refuse is an error naming the variable, without the path', () => {
    for (const [url, why] of [
      ['http://desk.example.com/tg/s3cr3t-path', 'An HTTPS URL must be provided for webhook'],
      ['https://desk.example.com:3000/tg/s3cr3t-path', 'Webhook can be set up only on ports 80, 88, 443 or 8443'],
      ['https://127.0.0.1/tg/s3cr3t-path', 'IP address 127.0.0.1 is reserved'],
    ] as const) {
      const e = configError(() => checkWebhookUrl(url, undefined));
      expect(e.variable).toBe('WEBHOOK_URL');
      expect(e.message).toContain(`bad webhook: ${why}`);
      expect(e.message).toContain('https:// URL on port 443, 80, 88 or 8443');
      expect(e.message).not.toContain('s3cr3t-path');
    }
    expect(() => checkWebhookUrl('https://desk.example.com/telegram/webhook', undefined)).not.toThrow();
    expect(() => checkWebhookUrl('https://desk.example.com:8443/telegram/webhook', undefined)).not.toThrow();
    expect(() => checkWebhookUrl(undefined, undefined)).not.toThrow();
    // Another Bot API root (a --local server, or the sandbox, which refuses it itself at setWebhook) is not judged here.
    expect(() => checkWebhookUrl('http://127.0.0.1:3000/telegram/webhook', 'http://127.0.0.1:8081')).not.toThrow();
  });

  it('a locale whose name is not a command language_code is an error naming it', () => {
    const e = configError(() => checkCommandLocales(['en', 'pt-br', 'ru']));
    expect(e.variable).toBe('locales/pt-br');
    expect(e.message).toContain('setMyCommands takes language_code as two lowercase letters');
    expect(e.message).toContain('rename it to "pt"');
    expect(configError(() => checkCommandLocales(['EN'])).variable).toBe('locales/EN');
    expect(() => checkCommandLocales(['en', 'ru', 'pt'])).not.toThrow();
  });

  it("the desk's own locales pass", () => {
    const i18n = createI18n({ agentLanguage: 'en', supportChatId: -1002000000001 });
    expect(i18n.locales.length).toBeGreaterThan(0);
    expect(() => checkCommandLocales(i18n.locales)).not.toThrow();
  });

  it('createDesk refuses a webhook api.telegram.org would refuse before it touches the database', async () => {
    const touched: string[] = [];
    const db = new Proxy({}, { get: (_t, key) => touched.push(String(key)) }) as unknown as Db;
    // Talking to api.telegram.org (no API root), with an http:// webhook.
    const config = { ...loadBotConfig({}), apiRoot: undefined, webhookUrl: 'http://desk.example.com/telegram/webhook', webhookSecret: 'wh-secret' };
    const err = await createDesk({ db, bus: {} as Bus, config }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe('WEBHOOK_URL');
    expect(touched).toEqual([]);
  });
});
