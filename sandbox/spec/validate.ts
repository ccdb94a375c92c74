/**
 * Validates Bot API values — method results and updates — against the
 * machine-readable Bot API spec vendored next to this file (bot-api-10.1.json,
 * see README.md): every required field present, no field the type does not
 * have, every field of the right type (Integer, Float, String, Boolean, arrays,
 * nested types, "X or Y" alternatives, abstract types such as ChatMember
 * resolved by their discriminator), and the constants and enumerations the
 * spec's descriptions state (`always "member"`, `can be "private", "group"…`).
 *
 * It answers with a list of problems (empty = conforms), each with the path of
 * the offending value, so a test can show every deviation at once.
 */
import { readFileSync } from 'node:fs';

export interface SpecField {
  name: string;
  types: string[];
  required: boolean;
  description: string;
}

export interface SpecType {
  name: string;
  fields?: SpecField[];
  /** An abstract type: a value is one of these (type names, or expressions such as "String"). */
  subtypes?: string[];
}

export interface SpecMethod {
  name: string;
  fields?: SpecField[];
  returns: string[];
}

export interface BotApiSpec {
  version: string;
  release_date?: string;
  methods: Record<string, SpecMethod>;
  types: Record<string, SpecType>;
}

/** The vendored spec: Telegram Bot API 10.1 (telegram-bot-api-spec, MIT). */
export const SPEC_FILE = new URL('./bot-api-10.1.json', import.meta.url);

export function loadBotApiSpec(file: URL | string = SPEC_FILE): BotApiSpec {
  return JSON.parse(readFileSync(file, 'utf8')) as BotApiSpec;
}

/** What the descriptions say about a field's value beyond its type. */
interface FieldRule {
  constant?: string | number;
  oneOf?: string[];
}

const ARRAY_OF = 'Array of ';

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

const PRIMITIVE_KIND: Record<string, string> = {
  Integer: 'number',
  Float: 'number',
  'Float number': 'number',
  String: 'string',
  Boolean: 'boolean',
  True: 'boolean',
};

/** Whether a value of this JSON kind could be of type expression `t` at all. */
function kindFits(t: string, v: unknown): boolean {
  if (t.startsWith(ARRAY_OF)) return Array.isArray(v);
  if (t === 'InputFile') return typeof v === 'string' || kindOf(v) === 'object';
  return (PRIMITIVE_KIND[t] ?? 'object') === kindOf(v);
}
const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

export class SpecValidator {
  private readonly rules = new Map<string, FieldRule>();

  constructor(readonly spec: BotApiSpec) {
    for (const type of Object.values(spec.types)) for (const field of type.fields ?? []) this.rules.set(`${type.name}.${field.name}`, ruleOf(field));
  }

  /** Problems of a method's result (its `returns`, e.g. Message or True for editMessageText). */
  result(method: string, value: unknown): string[] {
    const m = this.spec.methods[method];
    if (!m) return [`${method}: not a Bot API method of ${this.spec.version}`];
    return this.check(m.returns, value, `${method}()`);
  }

  /** Problems of an Update: the Update type, with exactly one of its optional fields. */
  update(value: unknown): string[] {
    const problems = this.type('Update', value, 'Update');
    if (kindOf(value) === 'object') {
      const kinds = Object.keys(value as object).filter((k) => k !== 'update_id');
      if (kinds.length !== 1) problems.push(`Update: carries ${kinds.length} kinds (${kinds.join(', ') || 'none'}), not exactly one`);
    }
    return problems;
  }

  /** Problems of `value` as the named type. */
  type(name: string, value: unknown, path: string = name): string[] {
    return this.check([name], value, path);
  }

  /** Problems of `value` as any of the type expressions (the spec's "X or Y"). */
  check(types: readonly string[], value: unknown, path: string): string[] {
    if (types.length === 1) return this.one(types[0]!, value, path);
    // Report against the alternatives the value could be (by its JSON kind), the closest one first.
    const fitting = types.filter((t) => kindFits(t, value));
    if (fitting.length === 0) return [`${path}: must be ${types.join(' or ')}, got ${show(value)}`];
    let best: string[] | undefined;
    for (const t of fitting) {
      const problems = this.one(t, value, path);
      if (problems.length === 0) return [];
      if (!best || problems.length < best.length) best = problems;
    }
    return best!;
  }

  private one(t: string, value: unknown, path: string): string[] {
    if (t.startsWith(ARRAY_OF)) {
      if (!Array.isArray(value)) return [`${path}: must be ${t}, got ${kindOf(value)}`];
      const inner = t.slice(ARRAY_OF.length);
      return value.flatMap((v, i) => this.check([inner], v, `${path}[${i}]`));
    }
    switch (t) {
      case 'Integer':
        return Number.isSafeInteger(value) ? [] : [`${path}: must be Integer, got ${show(value)}`];
      case 'Float':
      case 'Float number':
        return typeof value === 'number' && Number.isFinite(value) ? [] : [`${path}: must be Float, got ${show(value)}`];
      case 'String':
        return typeof value === 'string' ? [] : [`${path}: must be String, got ${show(value)}`];
      case 'Boolean':
        return typeof value === 'boolean' ? [] : [`${path}: must be Boolean, got ${show(value)}`];
      case 'True':
        return value === true ? [] : [`${path}: must be True, got ${show(value)}`];
      case 'InputFile':
        return typeof value === 'string' || kindOf(value) === 'object' ? [] : [`${path}: must be InputFile, got ${show(value)}`];
    }
    const type = this.spec.types[t];
    if (!type) return [`${path}: type ${t} is not in the spec`];
    if (kindOf(value) !== 'object') return [`${path}: must be ${t} (an object), got ${show(value)}`];
    if (type.subtypes) return this.abstract(type, value as Record<string, unknown>, path);
    return this.object(type, value as Record<string, unknown>, path);
  }

  /** An abstract type: the subtype its discriminator names (ChatMember by status…), else whichever fits. */
  private abstract(type: SpecType, value: Record<string, unknown>, path: string): string[] {
    const subtypes = type.subtypes!;
    const discriminated = subtypes
      .map((s) => ({ s, d: this.discriminator(s) }))
      .filter((x): x is { s: string; d: { field: string; value: string | number } } => x.d !== undefined);
    if (discriminated.length === subtypes.length) {
      const field = discriminated[0]!.d.field;
      const match = discriminated.find((x) => x.d.field === field && x.d.value === value[field]);
      if (!match) return [`${path}: ${field} ${show(value[field])} names none of ${subtypes.join(', ')}`];
      return this.check([match.s], value, path.endsWith(match.s) ? path : `${path}<${match.s}>`);
    }
    return this.check(subtypes, value, path);
  }

  private discriminator(subtype: string): { field: string; value: string | number } | undefined {
    for (const f of this.spec.types[subtype]?.fields ?? []) {
      const c = this.rules.get(`${subtype}.${f.name}`)?.constant;
      if (c !== undefined && f.required) return { field: f.name, value: c };
    }
    return undefined;
  }

  private object(type: SpecType, value: Record<string, unknown>, path: string): string[] {
    const problems: string[] = [];
    const fields = type.fields ?? [];
    const known = new Set(fields.map((f) => f.name));
    for (const key of Object.keys(value)) if (!known.has(key) && value[key] !== undefined) problems.push(`${path}.${key}: ${type.name} has no field ${key}`);
    for (const f of fields) {
      const v = value[f.name];
      const at = `${path}.${f.name}`;
      if (v === undefined) {
        if (f.required) problems.push(`${at}: required field of ${type.name} missing`);
        continue;
      }
      const typed = this.check(f.types, v, at);
      problems.push(...typed);
      if (typed.length) continue;
      const rule = this.rules.get(`${type.name}.${f.name}`);
      if (rule?.constant !== undefined && v !== rule.constant) problems.push(`${at}: must be ${show(rule.constant)}, got ${show(v)}`);
      if (rule?.oneOf && !rule.oneOf.includes(v as string)) problems.push(`${at}: must be one of ${rule.oneOf.join(', ')}, got ${show(v)}`);
    }
    return problems;
  }
}

/**
 * Constants and enumerations stated in a field's description: `…, always "creator"` (String), `Always 0.` (Integer),
 * `can be either "private", "group", "supergroup" or "channel"` (String).
 */
function ruleOf(field: SpecField): FieldRule {
  const d = field.description;
  if (field.types.length === 1 && field.types[0] === 'String') {
    const always = /\balways "([^"]+)"/.exec(d);
    if (always) return { constant: always[1]! };
    const listed = /(?:\bcan be\b|\bone of\b)([\s\S]*)$/.exec(d);
    const values = listed ? [...listed[1]!.matchAll(/"([a-z][a-z0-9_]*)"/g)].map((m) => m[1]!) : [];
    if (values.length >= 2) return { oneOf: values };
  }
  if (field.types.length === 1 && field.types[0] === 'Integer' && /^Always (\d+)\./.test(d)) return { constant: Number(/^Always (\d+)\./.exec(d)![1]) };
  return {};
}
