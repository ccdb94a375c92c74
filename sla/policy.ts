/**
 * SLA targets per queue and the deadlines they give a ticket. Pure: the
 * clock is always passed in. Deadlines are business-hours aware when the
 * queue has a calendar (sla/business-hours.ts).
 */
import { parseDuration } from '../core/env.js';
import { addBusinessSeconds, businessSecondsBetween, type BusinessCalendar } from './business-hours.js';

export interface SlaTarget {
  firstResponseSeconds: number;
  resolutionSeconds: number;
  /** Where an escalation of this queue goes ("L1=15m/4h>L2"): the first-response risk sweep and "needs expert". None: the queue does not escalate on its own. */
  escalateTo?: string;
}
export type SlaTargets = ReadonlyMap<string, SlaTarget>;

/** The playbook's targets (first response / resolution), L1 escalating to L2; security and payments are reached by stop words at once. */
export const DEFAULT_SLA_TARGETS = 'L1=15m/4h>L2,L2=30m/24h,VIP=5m/8h,payments=10m/8h,security=5m/8h';

/** Parses "L1=15m/4h>L2,L2=30m/24h" (">QUEUE": the queue's escalation target). */
export function parseSlaTargets(text: string): Map<string, SlaTarget> {
  const out = new Map<string, SlaTarget>();
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9_-]+)\s*=\s*([^/]+)\/([^>]+?)\s*(?:>\s*([A-Za-z0-9_-]+))?$/.exec(part);
    if (!m) throw new Error(`"${part}" must look like QUEUE=15m/4h (or QUEUE=15m/4h>L2)`);
    const fr = parseDuration(m[2]!);
    const res = parseDuration(m[3]!);
    if (!fr || !res) throw new Error(`"${part}": targets must be durations like 15m or 4h`);
    if (fr > res) throw new Error(`"${part}": first response target is longer than the resolution target`);
    if (m[4] === m[1]) throw new Error(`"${part}": a queue cannot escalate to itself`);
    out.set(m[1]!, { firstResponseSeconds: fr, resolutionSeconds: res, ...(m[4] ? { escalateTo: m[4] } : {}) });
  }
  if (out.size === 0) throw new Error('no queue targets given');
  for (const [queue, t] of out) if (t.escalateTo && !out.has(t.escalateTo)) throw new Error(`"${queue}" escalates to ${t.escalateTo}, which has no target`);
  return out;
}

export interface Deadlines {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
}

export class SlaPolicy {
  constructor(
    readonly targets: SlaTargets,
    readonly calendars: ReadonlyMap<string, BusinessCalendar>,
    readonly defaultQueue: string,
  ) {
    if (!targets.has(defaultQueue)) throw new Error(`default queue ${defaultQueue} has no SLA target`);
  }

  hasQueue(queue: string): boolean {
    return this.targets.has(queue);
  }

  queues(): string[] {
    return [...this.targets.keys()];
  }

  /** Queues without a target of their own use the default queue's. */
  target(queue: string): SlaTarget {
    return this.targets.get(queue) ?? this.targets.get(this.defaultQueue)!;
  }

  /** The queue an escalation of `queue` goes to (its ">QUEUE"), if it has one. */
  escalationTarget(queue: string): string | undefined {
    return this.targets.get(queue)?.escalateTo;
  }

  calendar(queue: string): BusinessCalendar | undefined {
    return this.calendars.get(queue);
  }

  /** Deadlines counted from `from` (ticket creation, or an escalation keeps creation as the start). */
  deadlines(queue: string, from: Date): Deadlines {
    const t = this.target(queue);
    const cal = this.calendar(queue);
    return {
      firstResponseDueAt: addBusinessSeconds(cal, from, t.firstResponseSeconds),
      resolutionDueAt: addBusinessSeconds(cal, from, t.resolutionSeconds),
    };
  }

  /** Business seconds of the queue's calendar between two instants (calendar seconds for 24/7 queues). */
  businessSeconds(queue: string, from: Date, to: Date): number {
    return businessSecondsBetween(this.calendar(queue), from, to);
  }
}
