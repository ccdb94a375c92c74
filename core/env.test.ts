/**
 * The typed parsers of core/env.ts: an empty or malformed value is a
 * configuration error that names the variable and the accepted form — never a
 * silent 0, NaN, false or fallback — optional values may be left empty
 * ("unset"), and a secret is never echoed back.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, defineConfig, env, type VarSpec } from './env.js';

let declared = 0;
/** Declares `spec` under a fresh name (the registry is per process) and loads it from `raw` (undefined: unset). */
function load<T>(spec: VarSpec<T>, raw: string | undefined): { name: string; value: () => T } {
  const name = `ENV_TEST_${++declared}`;
  const loader = defineConfig('env-test', { [name]: spec });
  return { name, value: () => loader({ [name]: raw })[name] as T };
}
const parse = <T>(spec: VarSpec<T>, raw: string | undefined): T => load(spec, raw).value();

/** The ConfigError loading `raw` throws; fails the test when the value is accepted. */
function rejects<T>(spec: VarSpec<T>, raw: string | undefined): ConfigError {
  const { name, value } = load(spec, raw);
  let accepted: T;
  try {
    accepted = value();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const err = e as ConfigError;
    expect(err.variable).toBe(name);
    expect(err.message).toMatch(new RegExp(`^Invalid configuration: ${name} `));
    // One line for a person.
    expect(err.message).not.toContain('\n');
    return err;
  }
  throw new Error(`${JSON.stringify(raw)} was accepted as ${JSON.stringify(accepted)}`);
}

const doc = 'a variable of the parser tests';

describe('integers', () => {
  const port = () => env.int({ default: 8081, min: 1, max: 65535, doc });

  it('an empty value is an error naming the accepted form, not 0', () => {
    for (const raw of ['', '   ']) {
      const e = rejects(port(), raw);
      expect(e.message).toMatch(/is empty/);
      expect(e.message).toMatch(/an integer from 1 to 65535/);
      expect(e.message).toMatch(/default \(8081\)/);
    }
  });

  it('only plain decimal integers are accepted', () => {
    expect(parse(port(), '3000')).toBe(3000);
    expect(parse(port(), ' 3000 ')).toBe(3000);
    expect(parse(port(), undefined)).toBe(8081);
    for (const raw of ['eighty', '0x50', '1e3', '80.0', '80.5', '8_081', '80 80', 'NaN', 'Infinity']) {
      expect(rejects(port(), raw).message, raw).toMatch(new RegExp(`must be an integer from 1 to 65535, got "${raw.replace('.', '\\.')}"`));
    }
    expect(rejects(port(), '70000').message).toMatch(/must be ≤ 65535.*got 70000/);
    expect(rejects(port(), '0').message).toMatch(/must be ≥ 1.*got 0/);
    expect(rejects(env.int({ default: 1, doc }), '99999999999999999999').message).toMatch(/must be an integer/);
  });

  it('an optional integer left empty is unset; a malformed one is an error', () => {
    expect(parse(env.optionalInt({ doc }), '')).toBeUndefined();
    expect(parse(env.optionalInt({ doc }), undefined)).toBeUndefined();
    expect(parse(env.optionalInt({ doc }), '42')).toBe(42);
    expect(rejects(env.optionalInt({ doc }), '4x2').message).toMatch(/must be an integer, got "4x2"/);
    expect(rejects(env.optionalInt({ doc }), '1e3').message).toMatch(/must be an integer/);
  });
});

describe('chat ids', () => {
  const chat = () => env.chatId({ default: -1002000000002, doc });
  const supergroup = () => env.chatId({ default: -1002000000001, supergroup: true, doc });

  it('an empty chat id is an error, never chat 0', () => {
    const e = rejects(chat(), '');
    expect(e.message).toMatch(/is empty/);
    expect(e.message).toMatch(/a Telegram chat id/);
    expect(rejects(chat(), '0').message).toMatch(/0 is no chat/);
  });

  it('accepts any other integer chat id, rejects the rest with the accepted form', () => {
    expect(parse(chat(), '-1009876543210')).toBe(-1009876543210);
    expect(parse(chat(), '-123456789')).toBe(-123456789);
    expect(parse(chat(), undefined)).toBe(-1002000000002);
    for (const raw of ['escalation', '-100 123', '1.5', '@team_leads'])
      expect(rejects(chat(), raw).message).toMatch(/must be an integer: a Telegram chat id.*e\.g\. -1001234567890/);
  });

  it('a forum must be a supergroup: -100 followed by digits', () => {
    expect(parse(supergroup(), '-1001234567890')).toBe(-1001234567890);
    const basic = rejects(supergroup(), '-123456789');
    expect(basic.message).toMatch(/must be a supergroup id: -100 followed by digits/);
    expect(basic.message).toMatch(/a basic group/);
    expect(rejects(supergroup(), '123456789').message).toMatch(/a user/);
    expect(rejects(supergroup(), '').message).toMatch(/is empty.*supergroup id/);
  });
});

describe('lists of user ids', () => {
  const ids = () => env.userIds({ doc });

  it('empty or unset is the empty list; ids are read as numbers', () => {
    expect(parse(ids(), '')).toEqual([]);
    expect(parse(ids(), undefined)).toEqual([]);
    expect(parse(ids(), '42, 43,44')).toEqual([42, 43, 44]);
  });

  it('validates element by element and names the bad one', () => {
    const typo = rejects(ids(), '123456789,12a4,987654321');
    expect(typo.message).toMatch(/must list Telegram user ids: positive integers separated by commas/);
    expect(typo.message).toMatch(/item 2 of 3, "12a4", is not one/);
    expect(rejects(ids(), '42,,43').message).toMatch(/item 2 of 3 is empty/);
    expect(rejects(ids(), '42,').message).toMatch(/item 2 of 2 is empty/);
    expect(rejects(ids(), '-5').message).toMatch(/item 1 of 1, "-5", is not one/);
    expect(rejects(ids(), '0').message).toMatch(/"0", is not one/);
    expect(rejects(ids(), '1e3').message).toMatch(/"1e3", is not one/);
  });
});

describe('durations', () => {
  const window = () => env.duration({ default: '7d', doc });

  it('an empty duration is an error, not 0 seconds; the units are read and anything else rejected', () => {
    const e = rejects(window(), '');
    expect(e.message).toMatch(/is empty/);
    expect(e.message).toMatch(/a duration like 90s, 15m, 24h or 7d/);
    expect(parse(window(), '15m')).toBe(900);
    expect(parse(window(), '250ms')).toBe(0.25);
    expect(parse(window(), '90')).toBe(90);
    expect(parse(window(), undefined)).toBe(7 * 86400);
    for (const raw of ['15 minutes', '-5s', '1w', 'soon']) expect(rejects(window(), raw).message).toMatch(/must be a duration like 90s/);
  });
});

describe('URLs', () => {
  const database = () => env.url({ protocols: ['postgres:', 'postgresql:'], example: 'postgres://desk:PASSWORD@localhost:5432/desk', doc });

  it('an empty URL is unset; a malformed one is an error that never shows the value (it may hold a password)', () => {
    expect(parse(database(), '')).toBeUndefined();
    expect(parse(database(), undefined)).toBeUndefined();
    expect(parse(database(), 'postgres://desk:s3cret@db:5432/desk')).toBe('postgres://desk:s3cret@db:5432/desk');
    for (const raw of ['postgres://desk:hunter2@db:54x32/desk', 'desk:hunter2@db:5432/desk', 'http://desk:hunter2@db:5432/desk', 'hunter2']) {
      const e = rejects(database(), raw);
      expect(e.message).toMatch(/must be a postgres:\/\/ or postgresql:\/\/ URL such as postgres:\/\/desk:PASSWORD@localhost:5432\/desk/);
      expect(e.message).not.toContain('hunter2');
      expect(e.message).not.toContain(raw);
    }
    const any = rejects(env.url({ doc }), 'not a url with hunter2');
    expect(any.message).toMatch(/must be an absolute URL/);
    expect(any.message).not.toContain('hunter2');
  });
});

describe('booleans', () => {
  const flag = () => env.bool({ default: true, doc });

  it('an empty boolean is an error, not false; the usual spellings are read and others rejected', () => {
    const e = rejects(flag(), '');
    expect(e.message).toMatch(/is empty/);
    expect(e.message).toMatch(/1\/0 or true\/false/);
    expect([parse(flag(), '1'), parse(flag(), 'yes'), parse(flag(), 'ON'), parse(flag(), 'true')]).toEqual([true, true, true, true]);
    expect([parse(flag(), '0'), parse(flag(), 'no'), parse(flag(), 'off'), parse(flag(), 'False')]).toEqual([false, false, false, false]);
    expect(parse(flag(), undefined)).toBe(true);
    expect(rejects(flag(), 'sometimes').message).toMatch(/must be 1\/0 or true\/false.*got "sometimes"/);
  });
});

describe('Bot API tokens', () => {
  const token = () => env.botToken({ doc });
  const real = '110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq';

  it('accepts the shape @BotFather hands out', () => {
    expect(parse(token(), real)).toBe(real);
    expect(parse(token(), undefined)).toBeUndefined();
  });

  it('an empty token is an error naming the accepted form', () => {
    const e = rejects(token(), '');
    expect(e.message).toMatch(/is empty/);
    expect(e.message).toMatch(/a Bot API token from @BotFather/);
  });

  it('a malformed token is an error that never shows the value', () => {
    for (const raw of ['123:abc', 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq', `bot${real}`, `${real}/`, '110201543-AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq']) {
      const e = rejects(token(), raw);
      expect(e.message).toMatch(/must be a Bot API token from @BotFather/);
      expect(e.message).toMatch(/not shown/);
      expect(e.message).not.toContain(raw);
      expect(e.message).not.toContain('AAHdqTcvCH1vGWJx');
    }
    expect(rejects(token(), ` ${real}`).message).toMatch(/spaces or quotes around it/);
    expect(rejects(token(), `"${real}"`).message).toMatch(/spaces or quotes around it/);
  });
});

describe('strings and choices', () => {
  it('an empty string with a default is an error unless empty means something', () => {
    expect(rejects(env.string({ default: '127.0.0.1', doc }), '').message).toMatch(/is empty.*default \(127\.0\.0\.1\)/);
    expect(parse(env.string({ default: '09:00', allowEmpty: true, doc }), '')).toBe('');
    expect(parse(env.optionalString({ doc }), '')).toBeUndefined();
  });

  it('an empty choice is an error listing the choices', () => {
    expect(rejects(env.oneOf(['json', 'pretty'] as const, { default: 'json', doc }), '').message).toMatch(/is empty: expected one of json, pretty/);
  });

  it('no parser echoes a secret', () => {
    const secret = 'hunter2-is-my-password';
    for (const spec of [
      env.int({ default: 1, secret: true, doc }),
      env.duration({ default: '1s', secret: true, doc }),
      env.bool({ default: true, secret: true, doc }),
      env.oneOf(['a', 'b'] as const, { default: 'a', secret: true, doc }),
      env.chatId({ default: -1, secret: true, doc }),
      env.userIds({ secret: true, doc }),
    ] as VarSpec<unknown>[]) {
      const e = rejects(spec, secret);
      expect(e.message).not.toContain(secret);
      expect(e.message).toMatch(/not shown/);
    }
  });
});

describe('loading', () => {
  it('an empty value can be read as unset where a caller says so', () => {
    const name = `ENV_TEST_${++declared}`;
    const loader = defineConfig('env-test', { [name]: env.botToken({ doc }) });
    expect(() => loader({ [name]: '' })).toThrow(ConfigError);
    expect(loader({ [name]: '' }, { emptyIsUnset: [name] })[name]).toBeUndefined();
  });
});
