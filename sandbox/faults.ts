/**
 * Fault injection: make the next N calls of a method (or every method, `*`)
 * fail with a chosen Telegram error, always or with a probability — to test
 * the bot's retries, 429 back-off and outbox behaviour.
 */
import { BotApiError } from './errors.js';

export interface FaultSpec {
  /** Bot API method name, or `*` for every method. */
  method: string;
  /** The error to answer with; may be omitted with `drop`. */
  error_code?: number;
  description?: string;
  retry_after?: number;
  /** How many calls fail; unlimited when omitted and probability is given, else 1. */
  count?: number;
  /** Chance (0..1] that a matching call fails; 1 when omitted. */
  probability?: number;
  /**
   * Perform the call, then fail anyway — the response was "lost": the message
   * exists although the bot saw an error (tests idempotency of retries).
   */
  after_effect?: boolean;
  /** Close the connection without any answer (grammY sees a network error). */
  drop?: boolean;
}

/** What a matching fault does to one call. */
export interface FaultAction {
  error?: BotApiError;
  afterEffect: boolean;
  drop: boolean;
}

interface ActiveFault extends FaultSpec {
  id: number;
  remaining: number;
  served: number;
}

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request: injected fault',
  401: 'Unauthorized',
  403: 'Forbidden: bot was blocked by the user',
  404: 'Not Found',
  409: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number) {}

  add(spec: FaultSpec): { id: number } {
    const count = spec.count ?? (spec.probability !== undefined ? Number.POSITIVE_INFINITY : 1);
    const fault: ActiveFault = { ...spec, id: this.nextId++, remaining: count, served: 0 };
    this.faults.push(fault);
    return { id: fault.id };
  }

  clear(): void {
    this.faults = [];
  }

  list(): Array<FaultSpec & { id: number; remaining: number | null; served: number }> {
    return this.faults.map((f) => ({ ...f, remaining: Number.isFinite(f.remaining) ? f.remaining : null }));
  }

  /** What happens to this call, if a fault matches. */
  take(method: string): FaultAction | undefined {
    if (this.faults.length === 0) return undefined;
    for (const f of this.faults) {
      if (f.remaining <= 0) continue;
      if (f.method !== '*' && f.method !== method) continue;
      if (f.probability !== undefined && this.random() >= f.probability) continue;
      f.remaining--;
      f.served++;
      if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
      return { ...(f.error_code !== undefined ? { error: toError(f, f.error_code) } : {}), afterEffect: f.after_effect === true, drop: f.drop === true };
    }
    return undefined;
  }
}

function toError(f: FaultSpec, code: number): BotApiError {
  if (code === 429) {
    const retryAfter = f.retry_after ?? 1;
    return new BotApiError(429, f.description ?? `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
  }
  return new BotApiError(code, f.description ?? DEFAULT_DESCRIPTIONS[code] ?? `Error ${code}`);
}
