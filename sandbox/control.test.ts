import { autoRetry } from '@grammyjs/auto-retry';
import { describe, expect, it } from 'vitest';
import { apiError, rawCall, useSandbox } from './test-helpers.js';

const fx = useSandbox({ random: sequence([0.9, 0.1, 0.9, 0.1]) });

/** A deterministic "random" source cycling through values. */
function sequence(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

async function post(path: string, body: unknown, method = 'POST') {
  return rawCall(fx.sandbox.url, `/sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('control API validation', () => {
  it.each([
    ['/customers/1001/messages', { text: 5 }, /text must be string/],
    ['/customers/1001/messages', { text: 'hi', colour: 'red' }, /must NOT have additional properties/],
    ['/customers/1001/messages', { location: { latitude: 200, longitude: 1 } }, /latitude must be <= 90/],
    ['/customers/1001/messages', {}, /text or a media object is required/],
    ['/customers/1001/messages', { photo: {}, voice: {} }, /one media kind/],
    ['/customers/0/messages', { text: 'hi' }, /user_id must be >= 1/],
    ['/customers/abc/messages', { text: 'hi' }, /user_id must be integer/],
    ['/support/messages', { text: 'no sender' }, /must have required property 'from_id'/],
    ['/support/members', { user_id: 5, status: 'owner' }, /status must be equal to one of the allowed values/],
    ['/faults', { method: 'sendMessage', error_code: 200 }, /error_code must be >= 400/],
    ['/faults', { method: 'sendMessage', error_code: 500, probability: 0 }, /probability must be > 0/],
  ])('POST %s %j → 400', async (path, body, reason) => {
    const res = await post(path, body);
    expect(res.status).toBe(400);
    expect(String(res.body.error)).toMatch(reason);
  });

  it('answers 404 for unknown chats, messages and topics', async () => {
    expect((await post('/customers/1001/messages/5', { text: 'x' }, 'PATCH')).status).toBe(404);
    await fx.client.sendCustomerMessage(1001, 'hi');
    expect((await post('/customers/1001/messages/5', { text: 'x' }, 'PATCH')).status).toBe(404);
    expect((await post('/customers/1001/messages', { text: 'x', reply_to_message_id: 77 })).status).toBe(404);
    expect((await rawCall(fx.sandbox.url, '/sandbox/chats/-42/messages')).status).toBe(404);
    expect((await rawCall(fx.sandbox.url, '/sandbox/support/topics/77', { method: 'DELETE' })).status).toBe(404);
    expect((await post('/support/messages', { from_id: 5, text: 'x', chat_id: -5 })).status).toBe(404);
    expect(await rawCall(fx.sandbox.url, '/sandbox/nope')).toEqual({
      status: 404,
      body: { error: 'no control endpoint GET /sandbox/nope (see sandbox/README.md)' },
    });
  });

  it('fails agent messages into deleted topics and from banned users', async () => {
    const { message_thread_id: t } = await fx.bot.api.createForumTopic(fx.support, 'Ann');
    await fx.client.deleteTopic(t);
    await expect(fx.client.sendSupportMessage({ from_id: 501, thread_id: t, text: 'x' })).rejects.toMatchObject({
      status: 400,
      reason: 'message thread not found',
    });
    await fx.client.setMember({ user_id: 502, status: 'kicked' });
    await expect(fx.client.sendSupportMessage({ from_id: 502, text: 'x' })).rejects.toMatchObject({ status: 403 });
  });

  it('shows the escalation chat and any private chat through /chats', async () => {
    await fx.client.sendCustomerMessage(1001, 'hi');
    await fx.bot.api.sendMessage(fx.escalation, '🚨 VIP ticket #3 waiting', {
      reply_markup: { inline_keyboard: [[{ text: 'Open', url: 'https://desk.example.com/t/3' }]] },
    });
    const msgs = await fx.client.getChatMessages(fx.escalation);
    expect(msgs).toMatchObject([{ from: 'bot', text: '🚨 VIP ticket #3 waiting', buttons: [['Open']] }]);
    expect(await fx.client.getChatMessages(1001)).toMatchObject([{ from: 'customer', text: 'hi' }]);
    const info = await fx.client.getInfo();
    expect(info).toMatchObject({
      token: '7000000001:sandbox-token',
      chat_ids: { support: -1002000000001, escalation: -1002000000002 },
      api_root: fx.sandbox.url,
    });
  });

  it('waits for bot messages and reports what it saw on timeout', async () => {
    await fx.client.sendCustomerMessage(1001, 'hi');
    setTimeout(() => void fx.bot.api.sendMessage(1001, 'Ticket #7 created, ETA 30 min'), 30);
    await expect(fx.client.waitForCustomerMessage(1001, /Ticket #(\d+)/)).resolves.toMatchObject({ text: 'Ticket #7 created, ETA 30 min' });
    await expect(fx.client.waitForCustomerMessage(1001, 'never', { timeoutMs: 100 })).rejects.toThrow(/customer: hi/);
  });
});

describe('faults', () => {
  it('fails the next N calls of a method with the injected error, then recovers', async () => {
    await fx.client.sendCustomerMessage(1001, 'hi');
    await fx.client.injectFault({ method: 'sendMessage', error_code: 429, retry_after: 7, count: 2 });
    for (let i = 0; i < 2; i++) {
      const err = await apiError(fx.bot.api.sendMessage(1001, 'x'));
      expect(err.error_code).toBe(429);
      expect(err.description).toBe('Too Many Requests: retry after 7');
      expect(err.parameters).toEqual({ retry_after: 7 });
    }
    await expect(fx.bot.api.sendMessage(1001, 'through')).resolves.toMatchObject({ text: 'through' });
    const stats = await fx.client.getStats();
    expect(stats.faults_served).toEqual({ sendMessage: 2 });
    expect(stats.too_many_requests).toBe(2);
    expect(stats.calls.sendMessage).toBe(3);
    // The failed calls had no effect.
    expect((await fx.client.getCustomerMessages(1001)).filter((m) => m.from === 'bot')).toHaveLength(1);
  });

  it('serves 5xx faults to every method with "*"', async () => {
    await fx.client.injectFault({ method: '*', error_code: 502 });
    const err = await apiError(fx.bot.api.getMe());
    expect([err.error_code, err.description]).toEqual([502, 'Bad Gateway']);
    await expect(fx.bot.api.getMe()).resolves.toMatchObject({ id: 7000000001 });
  });

  it('applies probabilistic faults using the injected random source', async () => {
    await fx.client.sendCustomerMessage(1001, 'hi');
    await fx.client.injectFault({ method: 'sendMessage', error_code: 500, probability: 0.5 });
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++)
      outcomes.push(
        await fx.bot.api.sendMessage(1001, 'x').then(
          () => 'ok',
          (e: { error_code: number }) => String(e.error_code),
        ),
      );
    expect(outcomes).toEqual(['ok', '500', 'ok', '500']);
    expect(await fx.client.getFaults()).toMatchObject([{ method: 'sendMessage', remaining: null, served: 2 }]);
    await fx.client.clearFaults();
    expect(await fx.client.getFaults()).toEqual([]);
  });

  it('performs the call and still fails with after_effect, and drops connections', async () => {
    await fx.client.sendCustomerMessage(1001, 'hi');
    await fx.client.injectFault({ method: 'sendMessage', error_code: 502, after_effect: true });
    expect((await apiError(fx.bot.api.sendMessage(1001, 'lost response'))).error_code).toBe(502);
    expect((await fx.client.getCustomerMessages(1001)).map((m) => m.text)).toEqual(['hi', 'lost response']);
    await fx.client.injectFault({ method: 'getMe', drop: true });
    await expect(fx.bot.api.getMe()).rejects.toThrow(/Network request/);
    await expect(fx.bot.api.getMe()).resolves.toMatchObject({ id: 7000000001 });
    await expect(fx.client.injectFault({ method: 'getMe' })).rejects.toMatchObject({ status: 400 });
  });

  it('works with grammY auto-retry honouring retry_after', async () => {
    await fx.client.sendCustomerMessage(1001, 'hi');
    fx.bot.api.config.use(autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: 5 }));
    await fx.client.injectFault({ method: 'sendMessage', error_code: 429, retry_after: 1 });
    await expect(fx.bot.api.sendMessage(1001, 'eventually')).resolves.toMatchObject({ text: 'eventually' });
    expect((await fx.client.getStats()).calls.sendMessage).toBe(2);
  });

  it('reset clears chats, updates, faults and stats', async () => {
    await fx.client.sendCustomerMessage(1001, 'hi');
    await fx.client.injectFault({ method: 'getMe', error_code: 500 });
    await fx.client.reset();
    expect(await fx.client.getStats()).toMatchObject({ calls: {}, updates: { queued: 0, pending: 0 }, chats: 2, messages: 0 });
    await expect(fx.bot.api.getMe()).resolves.toBeDefined();
    await expect(fx.client.getCustomerMessages(1001)).rejects.toMatchObject({ status: 404 });
  });
});

describe('clock', () => {
  it('moves message dates and callback expiry', async () => {
    const set = await fx.client.setClock({ unix: 1_767_225_600 });
    expect(set.now).toBe(1_767_225_600);
    await fx.client.sendCustomerMessage(1001, 'hi');
    const sent = await fx.bot.api.sendMessage(1001, 'menu', { reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] } });
    expect(sent.date - 1_767_225_600).toBeLessThanOrEqual(1);
    const { callback_query_id } = await fx.client.pressCustomerButton(1001, 'A');
    await fx.client.setClock({ advance_seconds: 16 * 60 });
    expect((await apiError(fx.bot.api.answerCallbackQuery(callback_query_id))).description).toMatch(/query is too old/);
    await fx.client.reset();
    expect((await fx.client.getClock()).offset_seconds).toBe(0);
  });
});

describe('strict tokens', () => {
  it('answers 401 Unauthorized for an unknown well-formed token when strict', async () => {
    const { startSandbox } = await import('./server.js');
    const strict = await startSandbox({ strictToken: true });
    try {
      expect(await rawCall(strict.url, '/bot123:wrong/getMe')).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
      expect((await rawCall(strict.url, `/bot${strict.token}/getMe`)).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
