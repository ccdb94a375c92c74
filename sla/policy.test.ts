import { describe, expect, it } from 'vitest';
import { parseBusinessHours } from './business-hours.js';
import { DEFAULT_SLA_TARGETS, parseSlaTargets, SlaPolicy } from './policy.js';

describe('SLA targets', () => {
  it('defaults to the playbook targets', () => {
    const t = parseSlaTargets(DEFAULT_SLA_TARGETS);
    expect(t.get('L1')).toEqual({ firstResponseSeconds: 900, resolutionSeconds: 4 * 3600, escalateTo: 'L2' });
    expect(t.get('L2')).toEqual({ firstResponseSeconds: 1800, resolutionSeconds: 24 * 3600 });
    expect(t.get('VIP')).toEqual({ firstResponseSeconds: 300, resolutionSeconds: 8 * 3600 });
    expect(t.get('payments')).toEqual({ firstResponseSeconds: 600, resolutionSeconds: 8 * 3600 });
    expect(t.get('security')).toEqual({ firstResponseSeconds: 300, resolutionSeconds: 8 * 3600 });
  });

  it('reads where a queue escalates', () => {
    const t = parseSlaTargets('L1=15m/4h > L2, L2=30m/24h');
    expect(t.get('L1')?.escalateTo).toBe('L2');
    expect(t.get('L2')?.escalateTo).toBeUndefined();
    expect(() => parseSlaTargets('L1=15m/4h>L3')).toThrow(/L3, which has no target/);
    expect(() => parseSlaTargets('L1=15m/4h>L1')).toThrow(/itself/);
    expect(new SlaPolicy(t, new Map(), 'L1').escalationTarget('L1')).toBe('L2');
  });

  it('rejects malformed targets', () => {
    expect(() => parseSlaTargets('L1=15m')).toThrow(/QUEUE=15m\/4h/);
    expect(() => parseSlaTargets('L1=abc/4h')).toThrow(/durations/);
    expect(() => parseSlaTargets('L1=5h/4h')).toThrow(/longer/);
    expect(() => parseSlaTargets('')).toThrow(/no queue/);
  });

  it('computes deadlines per queue, with business hours where configured', () => {
    const policy = new SlaPolicy(parseSlaTargets(DEFAULT_SLA_TARGETS), parseBusinessHours('L2=Mon-Fri 09:00-18:00 Europe/Berlin'), 'L1');
    const friEvening = new Date('2026-03-06T17:30:00Z'); // Fri 18:30 Berlin
    const l1 = policy.deadlines('L1', friEvening);
    expect(l1.firstResponseDueAt.toISOString()).toBe('2026-03-06T17:45:00.000Z');
    expect(l1.resolutionDueAt.toISOString()).toBe('2026-03-06T21:30:00.000Z');
    const l2 = policy.deadlines('L2', friEvening);
    expect(l2.firstResponseDueAt.toISOString()).toBe('2026-03-09T08:30:00.000Z'); // Mon 09:30 Berlin
    expect(l2.resolutionDueAt.toISOString()).toBe('2026-03-11T14:00:00.000Z'); // 24 business hours
    expect(policy.businessSeconds('L2', friEvening, new Date('2026-03-09T08:30:00Z'))).toBe(1800);
    // Unknown queues use the default queue's target.
    expect(policy.target('nope')).toEqual(policy.target('L1'));
  });
});
