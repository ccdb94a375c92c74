/** npm start's demo traffic: says when the replayed history is ready, and starts the daily digest only then. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeatureHarness, type FeatureHarness } from '../test/bot/feature-harness.js';
import { startDemoTraffic } from './demo.js';
import type { Simulator } from './simulator.js';

describe('demo traffic', () => {
  let h: FeatureHarness;
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-demo-'));
  beforeAll(async () => {
    h = await startFeatureHarness();
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** What the demo logs and when the digest starts, relative to the tickets the replay played. */
  function demo(o: { historyDays: number }) {
    const lines: string[] = [];
    const digestStarts: number[] = [];
    let sim: Simulator | undefined;
    sim = startDemoTraffic({
      sandboxUrl: h.sandbox.url,
      historyDays: o.historyDays,
      perDay: 6,
      live: false,
      seed: 3,
      waitMs: 20_000,
      dataDir,
      log: { info: ((msg: string) => void lines.push(msg)) as never },
      startDigest: () => void digestStarts.push(sim?.stats.started ?? 0),
    });
    return { sim, lines, digestStarts };
  }

  it('says the replay runs with live traffic on, then that the history is ready, and only then starts the digest', async () => {
    const { sim, lines, digestStarts } = demo({ historyDays: 1 });
    const tickets = sim.history!.tickets;
    expect(tickets).toBeGreaterThan(0);
    expect(lines[0]).toBe(
      `replaying 1 day of demo history (${tickets} ticket${tickets === 1 ? '' : 's'}) in the background; live traffic is already on — what you send now is dated now`,
    );
    expect(digestStarts).toEqual([]);

    expect(await sim.replayed).toBe('replayed');
    await h.client.waitFor(async () => digestStarts.length > 0, { what: 'the digest to start' });
    await sim.stop();
    // The digest started once, after every replayed ticket was played, right after the "ready" line.
    expect(digestStarts).toEqual([tickets]);
    expect(lines.at(-1)).toBe(`demo history ready: 1 day, ${tickets} ticket${tickets === 1 ? '' : 's'} — the dashboard shows them now`);
  });

  it('starts the digest at once when the history was replayed before for this data directory', async () => {
    const { sim, lines, digestStarts } = demo({ historyDays: 1 });
    expect(sim.history).toBeUndefined();
    expect(await sim.replayed).toBe('none');
    await h.client.waitFor(async () => digestStarts.length > 0, { what: 'the digest to start' });
    await sim.stop();
    expect(digestStarts).toEqual([0]);
    expect(lines.some((l) => l.startsWith('demo history ready'))).toBe(false);
  });

  it('never starts the digest when stopped during the replay', async () => {
    rmSync(join(dataDir, 'simulator'), { recursive: true, force: true });
    const { sim, digestStarts } = demo({ historyDays: 2 });
    expect(sim.history).toBeDefined();
    await sim.stop();
    expect(await sim.replayed).toBe('stopped');
    expect(digestStarts).toEqual([]);
  });
});
