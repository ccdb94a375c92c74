import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, GrammyError } from 'grammy';
import { Counter, Registry } from 'prom-client';
import { startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import { DEFAULT_ESCALATION_CHAT_ID } from '../../sandbox/identities.js';
import { countTelegramErrors } from './telegram-metrics.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('countTelegramErrors', () => {
  it('counts failed calls by method and code, not successful ones', async () => {
    const registry = new Registry();
    const errors = new Counter({ name: 'desk_telegram_errors_total', help: 'x', labelNames: ['method', 'code'] as const, registers: [registry] });
    const api = new Api(sandbox.token, { apiRoot: sandbox.apiRoot });
    api.config.use(countTelegramErrors(errors));
    await api.sendMessage(DEFAULT_ESCALATION_CHAT_ID, 'fine');
    sandbox.world.faults.add({ method: 'sendMessage', error_code: 429, retry_after: 1, count: 2 });
    await expect(api.sendMessage(DEFAULT_ESCALATION_CHAT_ID, 'x')).rejects.toBeInstanceOf(GrammyError);
    await expect(api.sendMessage(DEFAULT_ESCALATION_CHAT_ID, 'x')).rejects.toBeInstanceOf(GrammyError);
    await expect(api.editMessageText(DEFAULT_ESCALATION_CHAT_ID, 999_999, 'nope')).rejects.toBeInstanceOf(GrammyError);
    const body = await registry.metrics();
    expect(body).toContain('desk_telegram_errors_total{method="sendMessage",code="429"} 2');
    expect(body).toContain('desk_telegram_errors_total{method="editMessageText",code="400"} 1');
    expect(body).not.toContain('code="200"');
  });
});
