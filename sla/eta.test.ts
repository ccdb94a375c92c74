import { describe, expect, it } from 'vitest';
import { estimateEtaSeconds, etaPromise, median, roundEtaSeconds } from './eta.js';

describe('estimateEtaSeconds', () => {
  it('falls back to the SLA target without enough history', () => {
    expect(estimateEtaSeconds({ targetSeconds: 900, waitingAhead: 0, recentFirstResponses: [] })).toBe(900);
    expect(estimateEtaSeconds({ targetSeconds: 900, waitingAhead: 0, recentFirstResponses: [60, 120] })).toBe(900);
  });

  it('uses the median of recent first responses when there is history', () => {
    expect(estimateEtaSeconds({ targetSeconds: 900, waitingAhead: 0, recentFirstResponses: [120, 180, 240, 3000] })).toBe(210);
  });

  it('grows with the tickets waiting ahead and shrinks with active agents', () => {
    const history = [300, 300, 300];
    const idle = estimateEtaSeconds({ targetSeconds: 900, waitingAhead: 0, recentFirstResponses: history });
    const busy = estimateEtaSeconds({ targetSeconds: 900, waitingAhead: 8, recentFirstResponses: history });
    const busyTwoAgents = estimateEtaSeconds({ targetSeconds: 900, waitingAhead: 8, recentFirstResponses: history, activeAgents: 2 });
    expect(idle).toBe(300);
    expect(busy).toBe(900); // 300 × (1 + 8/4)
    expect(busyTwoAgents).toBe(600); // 300 × (1 + 8/8)
  });

  it('does not promise beyond the target on guesswork, but tells the truth when history is slower', () => {
    expect(estimateEtaSeconds({ targetSeconds: 900, waitingAhead: 40, recentFirstResponses: [] })).toBe(900);
    expect(estimateEtaSeconds({ targetSeconds: 900, waitingAhead: 0, recentFirstResponses: [1800, 2400, 2000] })).toBe(2000);
  });

  it('never says less than a minute and ignores bad samples', () => {
    expect(estimateEtaSeconds({ targetSeconds: 900, waitingAhead: 0, recentFirstResponses: [2, 3, 5] })).toBe(60);
    expect(estimateEtaSeconds({ targetSeconds: 900, waitingAhead: 0, recentFirstResponses: [NaN, -5, 100, 200, 300] })).toBe(200);
  });
});

describe('median / roundEtaSeconds', () => {
  it('computes medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
  it('rounds up to figures people say', () => {
    expect(roundEtaSeconds(61)).toBe(120);
    expect(roundEtaSeconds(16 * 60)).toBe(20 * 60);
    expect(roundEtaSeconds(70 * 60)).toBe(75 * 60);
    expect(roundEtaSeconds(5 * 3600 + 1)).toBe(6 * 3600);
  });
});

describe('etaPromise', () => {
  it('never rounds a promise within the target past the target', () => {
    // Payments: 10-minute SLA; an estimate just under it is said as the target itself.
    expect(etaPromise(599.6, 600)).toEqual({ seconds: 600, overTarget: false });
    expect(etaPromise(600, 600)).toEqual({ seconds: 600, overTarget: false });
    expect(etaPromise(590, 600)).toEqual({ seconds: 600, overTarget: false });
    expect(etaPromise(14 * 60 + 10, 15 * 60)).toEqual({ seconds: 15 * 60, overTarget: false });
    expect(etaPromise(61, 900)).toEqual({ seconds: 120, overTarget: false });
  });

  it('says so when the queue is slower than its target, with the honest figure', () => {
    // L1: 15-minute SLA, recent answers take ~37 min.
    expect(etaPromise(37 * 60, 15 * 60)).toEqual({ seconds: 40 * 60, overTarget: true });
    // Payments answering in 10 min 40 s: "about 11 min", said as busier than usual rather than as a promise.
    expect(etaPromise(640, 600)).toEqual({ seconds: 660, overTarget: true });
    expect(etaPromise(600.4, 600)).toEqual({ seconds: 660, overTarget: true });
  });
});
