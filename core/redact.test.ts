/** core/redact.ts: what the logs and printed errors never carry (issue 17, item 3). */
import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { defineConfig, env } from './env.js';
import { describeError, redactLogObject, scrubLine, scrubText } from './redact.js';

const TOKEN = '1234567890:AAHrecognisableTOKENvalueXXXXXXXXXXXXXXX';

describe('scrubText and scrubLine', () => {
  it('remove a bot token alone, in a Bot API URL and percent-encoded', () => {
    expect(scrubText(`token ${TOKEN}`)).toBe('token [redacted]');
    expect(scrubText(`https://api.telegram.org/bot${TOKEN}/getMe`)).toBe('https://api.telegram.org/bot[redacted]/getMe');
    expect(scrubText(`?t=${encodeURIComponent(TOKEN)}`)).toBe('?t=[redacted]');
  });

  it('leave ids, times and short tokens of the sandbox alone', () => {
    expect(scrubText('chat -1002000000001 message 42 at 12:30:15')).toBe('chat -1002000000001 message 42 at 12:30:15');
    expect(scrubText('7000000001:sandbox-token')).toBe('7000000001:sandbox-token');
  });

  it('remove the values of variables declared secret, as loaded and as JSON escapes them', () => {
    const load = defineConfig('redact-test', { REDACT_TEST_SECRET: env.optionalString({ doc: 'test', secret: true }) });
    load({ REDACT_TEST_SECRET: 'pa"ss\\word-42' });
    expect(scrubText('auth pa"ss\\word-42 refused')).toBe('auth [redacted] refused');
    expect(scrubLine(JSON.stringify({ msg: 'auth pa"ss\\word-42 refused' }))).toBe('{"msg":"auth [redacted] refused"}');
  });

  it("remove a database URL's password wherever it appears", () => {
    const load = defineConfig('redact-test-url', { REDACT_TEST_URL: env.url({ doc: 'test', secret: true }) });
    load({ REDACT_TEST_URL: 'postgres://desk:s3cr%40t-pw@db:5432/desk' });
    expect(scrubText('password authentication failed (s3cr@t-pw)')).toBe('password authentication failed ([redacted])');
  });
});

describe('redactLogObject', () => {
  it("keeps a GrammyError's method, code and description, never its payload", () => {
    const e = new GrammyError("Call to 'sendMessage' failed!", { ok: false, error_code: 400, description: 'Bad Request: chat not found' }, 'sendMessage', {
      chat_id: 42,
      text: 'my secret order 4242',
    });
    const out = redactLogObject({ err: e });
    expect(out.err).toMatchObject({ type: 'GrammyError', method: 'sendMessage', error_code: 400, description: 'Bad Request: chat not found' });
    expect(JSON.stringify(out)).not.toContain('4242');
  });

  it("keeps an HttpError's cause without the token of its URL", () => {
    const cause = Object.assign(new Error(`request to https://api.telegram.org/bot${TOKEN}/getMe failed, reason: connect ECONNREFUSED`), {
      code: 'ECONNREFUSED',
    });
    const out = redactLogObject({ err: new HttpError("Network request for 'getMe' failed!", cause) });
    expect(out.err).toMatchObject({ type: 'HttpError', cause: { code: 'ECONNREFUSED', message: expect.stringContaining('/bot[redacted]/getMe') } });
    expect(JSON.stringify(out)).not.toContain('AAHrecognisable');
  });

  it('reduces updates, messages and users to ids and blanks their strings out of the rest of the line', () => {
    const from = { id: 7, is_bot: false, first_name: 'Zebedee', last_name: 'Quux', username: 'zq', language_code: 'en' };
    const update = {
      update_id: 5,
      message: { message_id: 9, date: 0, chat: { id: 7, type: 'private', first_name: 'Zebedee' }, from, text: 'order 4242 please' },
    };
    const out = redactLogObject({ update, err: new Error('no ticket for Zebedee Quux: order 4242 please'), note: 'Zebedee Quux wrote' });
    expect(out.update).toEqual({ update_id: 5, kind: 'message', chat_id: 7, message_id: 9, thread_id: undefined, user_id: 7 });
    expect(JSON.stringify(out)).not.toMatch(/Zebedee|Quux|4242/);
    expect(redactLogObject({ who: from })).toEqual({ who: { id: 7, is_bot: false } });
    expect(redactLogObject({ contact: { phone_number: '+15550100', user_id: 7 } })).toEqual({ contact: { phone_number: '[redacted]', user_id: 7 } });
  });
});

describe('describeError', () => {
  it('prints an error and its causes for a person, scrubbed', () => {
    const cause = new Error(`request to https://api.telegram.org/bot${TOKEN}/getMe failed`);
    const text = describeError(new HttpError("Network request for 'getMe' failed!", cause));
    expect(text).toContain("HttpError: Network request for 'getMe' failed!");
    expect(text).toContain('Caused by: Error: request to https://api.telegram.org/bot[redacted]/getMe failed');
    expect(text).not.toContain('AAHrecognisable');
  });
});
