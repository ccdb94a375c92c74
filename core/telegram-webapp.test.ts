/** Telegram Mini App launch data: the documented algorithm, and every refusal with its reason. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signFields, signInitData, validateInitData } from './telegram-webapp.js';

const TOKEN = '7000000001:sandbox-token';
const OTHER = '7000000002:another-token';
const NOW = new Date('2026-12-02T12:00:00Z');
const now = () => NOW;
const unix = Math.floor(NOW.getTime() / 1000);
const user = { id: 4242, first_name: 'Ana', language_code: 'en' };
const check = (raw: string, maxAgeSeconds = 86_400) => validateInitData(raw, TOKEN, { maxAgeSeconds, now });

describe('Telegram initData', () => {
  it("hashes exactly as Telegram documents it (a literal transcription of the spec's steps)", () => {
    const raw = signInitData(TOKEN, { user, auth_date: unix, query_id: 'AAH', start_param: 'ticket-7' });
    const params = new URLSearchParams(raw);
    const dcs = [...params.entries()]
      .filter(([k]) => k !== 'hash')
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join('\n');
    const secret = createHmac('sha256', 'WebAppData').update(TOKEN).digest();
    expect(params.get('hash')).toBe(createHmac('sha256', secret).update(dcs).digest('hex'));
    const r = check(raw);
    expect(r).toMatchObject({ ok: true, data: { user: { id: 4242, first_name: 'Ana' }, auth_date: unix, start_param: 'ticket-7', query_id: 'AAH' } });
  });

  it('accepts fields in any order and a signature field (it stays in the data-check-string)', () => {
    const raw = signFields(TOKEN, [
      ['user', JSON.stringify(user)],
      ['signature', 'abc'],
      ['auth_date', String(unix)],
    ]);
    expect(check(raw).ok).toBe(true);
  });

  it.each([
    ['missing hash', () => new URLSearchParams({ user: JSON.stringify(user), auth_date: String(unix) }).toString(), 'missing hash'],
    ['malformed hash', () => `${signInitData(TOKEN, { user, auth_date: unix })}`.replace(/hash=[0-9a-f]+/, 'hash=xyz'), 'malformed hash'],
    ['wrong hash', () => signInitData(TOKEN, { user, auth_date: unix }).replace(/hash=([0-9a-f])/, (_m, c) => `hash=${c === 'a' ? 'b' : 'a'}`), 'wrong hash'],
    ["another bot's token", () => signInitData(OTHER, { user, auth_date: unix }), 'wrong hash'],
    [
      'altered user',
      () => signInitData(TOKEN, { user, auth_date: unix }).replace(encodeURIComponent('"id":4242'), encodeURIComponent('"id":4243')),
      'wrong hash',
    ],
    [
      'duplicate key',
      () =>
        signFields(TOKEN, [
          ['user', JSON.stringify(user)],
          ['auth_date', String(unix)],
          ['auth_date', String(unix)],
        ]),
      'duplicate key',
    ],
    ['expired', () => signInitData(TOKEN, { user, auth_date: unix - 86_401 }), 'expired'],
    ['in the future', () => signInitData(TOKEN, { user, auth_date: unix + 61 }), 'auth_date in the future'],
    ['missing auth_date', () => signFields(TOKEN, [['user', JSON.stringify(user)]]), 'missing auth_date'],
    [
      'malformed user JSON',
      () =>
        signFields(TOKEN, [
          ['user', '{"id":4242,'],
          ['auth_date', String(unix)],
        ]),
      'malformed user',
    ],
    [
      'user without an id',
      () =>
        signFields(TOKEN, [
          ['user', '{"first_name":"Ana"}'],
          ['auth_date', String(unix)],
        ]),
      'malformed user',
    ],
    ['missing user', () => signFields(TOKEN, [['auth_date', String(unix)]]), 'missing user'],
  ])('refuses %s', (_name, make, reason) => {
    expect(check(make())).toEqual({ ok: false, reason });
  });

  it('allows a small clock skew ahead, and any age when the limit is 0', () => {
    expect(check(signInitData(TOKEN, { user, auth_date: unix + 59 })).ok).toBe(true);
    expect(check(signInitData(TOKEN, { user, auth_date: unix - 10 * 86_400 }), 0).ok).toBe(true);
  });
});
