/**
 * The one place the project reads environment variables.
 *
 * Every part declares its variables with `defineConfig(group, spec)`; the spec
 * carries the default and the meaning, so the README table, `.env.example` and
 * the start-up validation all come from the same declaration (and a test checks
 * that no code reads `process.env` behind this module's back).
 */

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

export interface VarSpec<T> {
  kind: string;
  /** Raw default as it would be written in the environment; undefined = unset. */
  default: string | undefined;
  doc: string;
  secret: boolean;
  /** The accepted form in words, for error messages: "an integer from 1 to 65535". */
  form: string;
  /**
   * What an empty (or blank) value means: a configuration error (the default for values the code
   * needs: an empty integer is not 0), the variable unset (optional values), or the empty string itself
   * (strings where empty is documented, e.g. DIGEST_TIME).
   */
  empty: 'error' | 'unset' | 'value';
  /** Replaces the generic "remove the variable…" advice of the empty-value error. */
  emptyHint?: string;
  /** The value when the variable is unset and has no default. */
  unset?: T;
  parse(raw: string, name: string): T;
}

type Opts = { doc: string; secret?: boolean; emptyHint?: string };

function spec<T>(
  kind: string,
  def: string | undefined,
  o: Opts,
  form: string,
  empty: VarSpec<T>['empty'],
  parse: (raw: string, name: string) => T,
  unset?: T,
): VarSpec<T> {
  return { kind, default: def, doc: o.doc, secret: o.secret ?? false, form, empty, emptyHint: o.emptyHint, unset, parse };
}

/** `, got "…"` — or, for a secret, a note that the value is not shown. Values are never echoed for secrets. */
function got(o: Opts, raw: string): string {
  return o.secret ? ' (the value given is not shown: it is a secret)' : `, got "${raw}"`;
}

/** Plain decimal integers only: "", "0x10", "1e3", "8.0" and "8_081" are not integers here (Number() would take them). */
function parseInteger(raw: string): number | undefined {
  if (!/^\s*-?\d+\s*$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return '';
}

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** Parses "90", "90s", "15m", "24h", "7d", "250ms" into seconds. */
export function parseDuration(raw: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(raw);
  if (!m) return undefined;
  return Number(m[1]) * DURATION_UNITS[m[2] ?? 's']!;
}

/** What @BotFather hands out: the bot's id, a colon, and about 35 letters, digits, "-" or "_". */
export const BOT_TOKEN_PATTERN = /^\d{1,20}:[A-Za-z0-9_-]{30,64}$/;

/** Supergroups (and channels) are -100… in the Bot API: -(10^12 + the internal id). */
const isSupergroupId = (n: number) => n <= -1_000_000_000_001 && n >= -1_999_999_999_999;

export const env = {
  /** Text. Empty is an error when there is a non-empty default, unless `allowEmpty` (then "" is the value). */
  string: (o: Opts & { default?: string; allowEmpty?: boolean; form?: string }) =>
    spec<string>('string', o.default, o, o.form ?? 'a non-empty value', o.allowEmpty || !o.default ? 'value' : 'error', (raw) => raw),
  optionalString: (o: Opts) => spec<string | undefined>('string', undefined, o, 'text', 'unset', (raw) => raw),
  int: (o: Opts & { default?: number; min?: number; max?: number }) => {
    const form = `an integer${rangeText(o.min, o.max)}`;
    return spec<number>('integer', o.default?.toString(), o, form, 'error', (raw, name) => {
      const n = parseInteger(raw);
      if (n === undefined) throw new ConfigError(name, `must be ${form}${got(o, raw)}`);
      if (o.min !== undefined && n < o.min) throw new ConfigError(name, `must be ≥ ${o.min} (${form})${o.secret ? got(o, raw) : `, got ${n}`}`);
      if (o.max !== undefined && n > o.max) throw new ConfigError(name, `must be ≤ ${o.max} (${form})${o.secret ? got(o, raw) : `, got ${n}`}`);
      return n;
    });
  },
  /** An integer or nothing: empty counts as unset. */
  optionalInt: (o: Opts) =>
    spec<number | undefined>('integer', undefined, o, 'an integer', 'unset', (raw, name) => {
      const n = parseInteger(raw);
      if (n === undefined) throw new ConfigError(name, `must be an integer${got(o, raw)}`);
      return n;
    }),
  /**
   * A Telegram chat id: a non-zero integer; with `supergroup`, a supergroup's -100… id (a forum is
   * always a supergroup). Empty is an error: there is no chat 0 to post to.
   */
  chatId: (o: Opts & { default?: number; supergroup?: boolean }) => {
    const form = o.supergroup
      ? 'a supergroup id: -100 followed by digits, as Telegram shows it (e.g. -1001234567890)'
      : 'a Telegram chat id: a non-zero integer (e.g. -1001234567890 for a supergroup)';
    return spec<number>(o.supergroup ? 'supergroup id' : 'chat id', o.default?.toString(), o, form, 'error', (raw, name) => {
      const n = parseInteger(raw);
      if (n === undefined) throw new ConfigError(name, `must be an integer: ${form}${got(o, raw)}`);
      const shown = o.secret ? got(o, raw) : `, got ${n}`;
      if (n === 0) throw new ConfigError(name, `must be ${form}${shown}: 0 is no chat`);
      if (o.supergroup && !isSupergroupId(n))
        throw new ConfigError(
          name,
          `must be ${form}${shown}${
            n > 0
              ? ': a positive id is a user (or a bot), not a group'
              : ': that is a basic group; enabling Topics in the group settings upgrades it to a supergroup with a new -100… id'
          }`,
        );
      return n;
    });
  },
  /** Comma-separated Telegram user ids, validated one by one; empty or unset is the empty list. */
  userIds: (o: Opts) => {
    const form = 'Telegram user ids: positive integers separated by commas (e.g. 123456789,987654321)';
    return spec<number[]>(
      'user id list',
      undefined,
      o,
      form,
      'unset',
      (raw, name) => {
        const items = raw.split(',').map((s) => s.trim());
        return items.map((item, i) => {
          const n = /^\d+$/.test(item) ? Number(item) : Number.NaN;
          if (Number.isSafeInteger(n) && n > 0) return n;
          const which = `item ${i + 1} of ${items.length}`;
          const what =
            item === '' ? `${which} is empty` : o.secret ? `${which} is not one (the value is not shown: it is a secret)` : `${which}, "${item}", is not one`;
          throw new ConfigError(name, `must list ${form}; ${what}`);
        });
      },
      [],
    );
  },
  bool: (o: Opts & { default?: boolean }) =>
    spec<boolean>('boolean', o.default === undefined ? undefined : o.default ? '1' : '0', o, '1/0 or true/false (yes/no, on/off)', 'error', (raw, name) => {
      if (/^\s*(1|true|yes|on)\s*$/i.test(raw)) return true;
      if (/^\s*(0|false|no|off)\s*$/i.test(raw)) return false;
      throw new ConfigError(name, `must be 1/0 or true/false (yes/no, on/off)${got(o, raw)}`);
    }),
  /** Seconds; accepts 90, 90s, 15m, 24h, 7d. */
  duration: (o: Opts & { default?: string }) =>
    spec<number>('duration', o.default, o, 'a duration like 90s, 15m, 24h or 7d', 'error', (raw, name) => {
      const s = parseDuration(raw);
      if (s === undefined) throw new ConfigError(name, `must be a duration like 90s, 15m, 24h or 7d${got(o, raw)}`);
      return s;
    }),
  list: (o: Opts & { default?: string[] }) =>
    spec<string[]>(
      'list',
      o.default?.join(','),
      o,
      'comma-separated values',
      'unset',
      (raw) =>
        raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      [],
    ),
  /**
   * An absolute URL, optionally of given schemes; empty counts as unset. The value is never shown
   * in an error: URLs carry passwords (DATABASE_URL, CLICKHOUSE_URL).
   */
  url: (o: Opts & { default?: string; protocols?: readonly string[]; example?: string }) => {
    const form = `${o.protocols ? `a ${o.protocols.map((p) => `${p}//`).join(' or ')} URL` : 'an absolute URL'}${o.example ? ` such as ${o.example}` : ''}`;
    return spec<string | undefined>('url', o.default, o, form, 'unset', (raw, name) => {
      const bad = (why: string) =>
        new ConfigError(
          name,
          `must be ${form}${why} (the value given is not shown: a URL may hold a password; special characters in a password must be percent-encoded)`,
        );
      let url: URL;
      try {
        url = new URL(raw.trim());
      } catch {
        throw bad('');
      }
      if (o.protocols && !o.protocols.includes(url.protocol)) throw bad(`; the value given has another scheme`);
      return raw.trim();
    });
  },
  /**
   * A Telegram Bot API token (always a secret). The value is never shown in an error; empty is an
   * error (an empty token must not quietly mean "no token").
   */
  botToken: (o: Opts) => {
    const form = 'a Bot API token from @BotFather: the bot id, a colon and about 35 letters, digits, - or _ (123456789:AAE…)';
    return spec<string | undefined>('Bot API token', undefined, { ...o, secret: true }, form, 'error', (raw, name) => {
      if (BOT_TOKEN_PATTERN.test(raw)) return raw;
      const wrapped = /^\s|\s$|^["'`]|["'`]$/.test(raw) ? '; it has spaces or quotes around it' : '';
      throw new ConfigError(name, `must be ${form} (the value given is not shown: it is a secret${wrapped})`);
    });
  },
  oneOf: <const V extends string>(values: readonly V[], o: Opts & { default?: V }) =>
    spec<V>(`one of ${values.join('|')}`, o.default, o, `one of ${values.join(', ')}`, 'error', (raw, name) => {
      if (!(values as readonly string[]).includes(raw)) throw new ConfigError(name, `must be one of ${values.join(', ')}${got(o, raw)}`);
      return raw as V;
    }),
};

/** The error of an empty value that must not be empty: the variable, the accepted form, and what to do. */
function emptyError(name: string, s: VarSpec<unknown>): ConfigError {
  const advice =
    s.emptyHint ??
    (s.default === undefined
      ? 'or remove the variable to leave it unset'
      : `or remove the variable to use the default (${s.secret ? 'not shown' : s.default})`);
  return new ConfigError(name, `is empty: expected ${s.form}; set it, ${advice}`);
}

type SpecMap = Record<string, VarSpec<unknown>>;
type Parsed<S extends SpecMap> = { [K in keyof S]: S[K] extends VarSpec<infer T> ? T : never };

export interface DocumentedVariable {
  name: string;
  group: string;
  kind: string;
  default: string | undefined;
  doc: string;
  secret: boolean;
}

const registry = new Map<string, DocumentedVariable>();

/** Values of secret variables read by a loader (whatever its source), for the logs' redaction. */
const loadedSecrets = new Set<string>();
/** Shorter values would blank ordinary words out of the logs; no real secret is this short. */
const MIN_SECRET_LENGTH = 6;

function rememberSecret(into: Set<string>, raw: string): void {
  const value = raw.trim();
  if (value.length >= MIN_SECRET_LENGTH) into.add(value);
  // A URL's password (DATABASE_URL, CLICKHOUSE_URL) appears alone in drivers' errors too, percent-encoded or not.
  try {
    const password = new URL(value).password;
    if (password.length >= MIN_SECRET_LENGTH) into.add(password);
    if (decodeURIComponent(password).length >= MIN_SECRET_LENGTH) into.add(decodeURIComponent(password));
  } catch {
    // not a URL
  }
}

/**
 * The values of every variable declared `secret: true` — those a loader has read (from the
 * environment or another source) and those set in the environment — so core/log.ts can blank them out
 * of every log line. Read on each use: declarations and loads happen after the logger exists.
 */
export function secretValues(): string[] {
  const fromEnv = [...registry.values()].flatMap((v) => (v.secret && process.env[v.name] ? [process.env[v.name]!] : []));
  // Every log line asks: worked out again only when something changed.
  const key = `${loadedSecrets.size}\0${fromEnv.join('\0')}`;
  if (secretsCache?.key === key) return secretsCache.values;
  const out = new Set(loadedSecrets);
  for (const raw of fromEnv) rememberSecret(out, raw);
  secretsCache = { key, values: [...out] };
  return secretsCache.values;
}
let secretsCache: { key: string; values: string[] } | undefined;

/**
 * Declares a group of variables and returns a loader. The loader validates all
 * of them at once and throws a ConfigError naming the first bad variable and
 * the accepted form (an empty value is an error, or "unset" for optional ones —
 * never a silent 0 or false; secrets and URLs are never echoed).
 * A variable may be declared by several groups (e.g. DATA_DIR) as long as the
 * declarations agree on the default.
 */
export function defineConfig<S extends SpecMap>(group: string, specs: S) {
  for (const [name, s] of Object.entries(specs)) {
    const prev = registry.get(name);
    if (prev && prev.default !== s.default) throw new Error(`${name} is declared twice with different defaults (${prev.group}, ${group})`);
    if (!prev) registry.set(name, { name, group, kind: s.kind, default: s.default, doc: s.doc, secret: s.secret });
  }
  /**
   * `emptyIsUnset` names variables whose empty value this caller reads as unset (e.g. BOT_TOKEN with
   * DEMO=1), where the declaration alone would refuse it.
   */
  return (source: Record<string, string | undefined> = process.env, o: { emptyIsUnset?: readonly string[] } = {}): Parsed<S> => {
    const out: Record<string, unknown> = {};
    for (const [name, s] of Object.entries(specs)) {
      let raw = source[name];
      if (s.secret && raw) rememberSecret(loadedSecrets, raw);
      if (raw !== undefined && raw.trim() === '' && s.empty !== 'value') {
        if (s.empty === 'error' && !o.emptyIsUnset?.includes(name)) throw emptyError(name, s);
        raw = undefined;
      }
      raw ??= s.default;
      out[name] = raw === undefined ? s.unset : s.parse(raw, name);
    }
    return out as Parsed<S>;
  };
}

export function documentedVariables(): DocumentedVariable[] {
  return [...registry.values()].sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
}
