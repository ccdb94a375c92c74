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

interface VarSpec<T> {
  kind: string;
  /** Raw default as it would be written in the environment; undefined = unset. */
  default: string | undefined;
  doc: string;
  secret: boolean;
  parse(raw: string, name: string): T;
}

type Opts = { doc: string; secret?: boolean };

function spec<T>(kind: string, def: string | undefined, o: Opts, parse: (raw: string, name: string) => T): VarSpec<T> {
  return { kind, default: def, doc: o.doc, secret: o.secret ?? false, parse };
}

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** Parses "90", "90s", "15m", "24h", "7d", "250ms" into seconds. */
export function parseDuration(raw: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(raw);
  if (!m) return undefined;
  return Number(m[1]) * DURATION_UNITS[m[2] ?? 's']!;
}

export const env = {
  string: (o: Opts & { default?: string }) =>
    spec<string>('string', o.default, o, (raw) => raw),
  optionalString: (o: Opts) =>
    spec<string | undefined>('string', undefined, o, (raw) => (raw === '' ? undefined : raw)),
  int: (o: Opts & { default?: number; min?: number; max?: number }) =>
    spec<number>('integer', o.default?.toString(), o, (raw, name) => {
      const n = Number(raw);
      if (!Number.isInteger(n)) throw new ConfigError(name, `must be an integer, got "${raw}"`);
      if (o.min !== undefined && n < o.min) throw new ConfigError(name, `must be ≥ ${o.min}, got ${n}`);
      if (o.max !== undefined && n > o.max) throw new ConfigError(name, `must be ≤ ${o.max}, got ${n}`);
      return n;
    }),
  optionalInt: (o: Opts) =>
    spec<number | undefined>('integer', undefined, o, (raw, name) => {
      if (raw === '') return undefined;
      const n = Number(raw);
      if (!Number.isSafeInteger(n)) throw new ConfigError(name, `must be an integer, got "${raw}"`);
      return n;
    }),
  bool: (o: Opts & { default?: boolean }) =>
    spec<boolean>('boolean', o.default === undefined ? undefined : o.default ? '1' : '0', o, (raw, name) => {
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off|)$/i.test(raw)) return false;
      throw new ConfigError(name, `must be 1/0 or true/false, got "${raw}"`);
    }),
  /** Seconds; accepts 90, 90s, 15m, 24h, 7d. */
  duration: (o: Opts & { default?: string }) =>
    spec<number>('duration', o.default, o, (raw, name) => {
      const s = parseDuration(raw);
      if (s === undefined) throw new ConfigError(name, `must be a duration like 90s, 15m, 24h or 7d, got "${raw}"`);
      return s;
    }),
  list: (o: Opts & { default?: string[] }) =>
    spec<string[]>('list', o.default?.join(','), o, (raw) =>
      raw.split(',').map((s) => s.trim()).filter(Boolean),
    ),
  url: (o: Opts & { default?: string }) =>
    spec<string | undefined>('url', o.default, o, (raw, name) => {
      if (raw === '') return undefined;
      try {
        new URL(raw);
      } catch {
        throw new ConfigError(name, `must be a URL, got "${raw}"`);
      }
      return raw;
    }),
  oneOf: <const V extends string>(values: readonly V[], o: Opts & { default?: V }) =>
    spec<V>(`one of ${values.join('|')}`, o.default, o, (raw, name) => {
      if (!(values as readonly string[]).includes(raw))
        throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${raw}"`);
      return raw as V;
    }),
};

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

/**
 * Declares a group of variables and returns a loader. The loader validates all
 * of them at once and throws a ConfigError naming the first bad variable.
 * A variable may be declared by several groups (e.g. DATA_DIR) as long as the
 * declarations agree on the default.
 */
export function defineConfig<S extends SpecMap>(group: string, specs: S) {
  for (const [name, s] of Object.entries(specs)) {
    const prev = registry.get(name);
    if (prev && prev.default !== s.default)
      throw new Error(`${name} is declared twice with different defaults (${prev.group}, ${group})`);
    if (!prev) registry.set(name, { name, group, kind: s.kind, default: s.default, doc: s.doc, secret: s.secret });
  }
  return (source: Record<string, string | undefined> = process.env): Parsed<S> => {
    const out: Record<string, unknown> = {};
    for (const [name, s] of Object.entries(specs)) {
      const raw = source[name] ?? s.default;
      if (raw === undefined) {
        out[name] = s.kind === 'list' ? [] : undefined;
        continue;
      }
      out[name] = s.parse(raw, name);
    }
    return out as Parsed<S>;
  };
}

export function documentedVariables(): DocumentedVariable[] {
  return [...registry.values()].sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
}
