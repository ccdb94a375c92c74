import { describe, expect, it } from 'vitest';
import { GENERAL_TOPIC_ID, isValidCommandLanguage, webhookUrlProblem } from './telegram-rules.js';

describe('Telegram rules shared by the sandbox and the desk', () => {
  it('General is thread 1', () => {
    expect(GENERAL_TOPIC_ID).toBe(1);
  });

  it('accepts a command language of two lowercase letters or empty, nothing else', () => {
    for (const ok of ['', 'en', 'ru', 'pt']) expect(isValidCommandLanguage(ok), ok).toBe(true);
    for (const bad of ['pt-br', 'pt_BR', 'EN', 'En', 'eng', 'e', 'zh-hans', ' en']) expect(isValidCommandLanguage(bad), bad).toBe(false);
  });

  it('accepts HTTPS webhooks on ports 443, 80, 88 and 8443 (a URL without a scheme is HTTPS)', () => {
    for (const url of [
      'https://desk.example.com/telegram/webhook',
      'https://desk.example.com:8443/hook',
      'https://desk.example.com:88/',
      'https://desk.example.com:80/x',
      'desk.example.com/hook',
      'https://203.0.114.7/hook',
    ])
      expect(webhookUrlProblem(url), url).toBeUndefined();
  });

  it("refuses what api.telegram.org refuses, in the Bot API server's words", () => {
    expect(webhookUrlProblem('http://desk.example.com/hook')).toBe('Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    expect(webhookUrlProblem('https://desk.example.com:3000/hook')).toBe('Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443');
    expect(webhookUrlProblem('https://127.0.0.1/hook')).toBe('Bad Request: bad webhook: IP address 127.0.0.1 is reserved');
    expect(webhookUrlProblem('https://192.168.1.10:8443/hook')).toBe('Bad Request: bad webhook: IP address 192.168.1.10 is reserved');
    expect(webhookUrlProblem('https://localhost/hook')).toBe('Bad Request: bad webhook: IP address 127.0.0.1 is reserved');
    expect(webhookUrlProblem('https://[::1]/hook')).toBe('Bad Request: bad webhook: IPv6-only addresses are not allowed');
    expect(webhookUrlProblem('ftp://desk.example.com/hook')).toBe('Bad Request: invalid webhook URL specified');
    expect(webhookUrlProblem('https://')).toBe('Bad Request: invalid webhook URL specified');
  });

  it('allows HTTP, any port and loopback only in local mode (a local Bot API server, the sandbox opt-in)', () => {
    expect(webhookUrlProblem('http://127.0.0.1:3000/hook', { localMode: true })).toBeUndefined();
    expect(webhookUrlProblem('ftp://127.0.0.1/hook', { localMode: true })).toBe('Bad Request: invalid webhook URL specified');
  });
});
