/**
 * Typed access to Bot API call parameters.
 *
 * Telegram accepts the same parameters as JSON (typed values), as query or
 * urlencoded strings, or as multipart fields where objects arrive as JSON text.
 * Methods read every parameter through this class so all transports behave
 * the same and type errors get Telegram's wording.
 */
import { badRequest } from './errors.js';
import type { UploadedFile } from './multipart.js';

export type ChatIdParam = number | string;

export class Params {
  constructor(
    private readonly raw: Record<string, unknown>,
    readonly files: Map<string, UploadedFile> = new Map(),
  ) {}

  has(name: string): boolean {
    const v = this.raw[name];
    return v !== undefined && v !== null && v !== '';
  }

  int(name: string): number | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    if (!Number.isSafeInteger(n)) throw badRequest(`invalid ${name} specified`);
    return n;
  }

  requireInt(name: string, missing = `${name} is empty`): number {
    const n = this.int(name);
    if (n === undefined) throw badRequest(missing);
    return n;
  }

  num(name: string): number | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) throw badRequest(`invalid ${name} specified`);
    return n;
  }

  str(name: string): string | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw badRequest(`invalid ${name} specified`);
  }

  bool(name: string): boolean {
    const v = this.raw[name];
    return v === true || v === 'true' || v === '1' || v === 1;
  }

  /** `chat_id`: an integer id or an `@username`. */
  chatId(name = 'chat_id'): ChatIdParam {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') throw badRequest(`${name} is empty`);
    if (typeof v === 'number') return v;
    if (typeof v === 'string') {
      if (/^-?\d+$/.test(v.trim())) return Number(v.trim());
      return v;
    }
    throw badRequest(`invalid ${name} specified`);
  }

  /** An object or array parameter; form transports carry it as JSON text. */
  json<T>(name: string, what = `${name}`): T | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return v as T;
    try {
      return JSON.parse(v) as T;
    } catch {
      throw badRequest(`can't parse ${what} JSON object`);
    }
  }

  /** A list parameter that may also arrive as a JSON string. */
  list<T>(name: string): T[] | undefined {
    const v = this.json<unknown>(name);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw badRequest(`${name} must be an array`);
    return v as T[];
  }
}
