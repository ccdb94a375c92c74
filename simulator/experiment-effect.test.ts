/**
 * The simulator's experiment effect on whichever surface the running experiment tests (journey.ts
 * ExperimentEffect): the demo picks the running file's surface and variant (demoEffect), the customers tell the
 * variant from what the desk sent them (the receipt's steps, the resolution's summary), and only those who met the
 * effect's variant rate higher. Through the real desk with a `notifications` experiment: with the lift at 1 every
 * rating of a customer the desk put in `summary` is a 5, while the control's are not all 5s.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExperimentsDir } from '../analytics/experiments/definition.js';
import { startFeatureHarness, type FeatureHarness } from '../test/bot/feature-harness.js';
import { demoEffect } from './demo.js';
import { liftOf } from './journey.js';
import { startSimulator } from './simulator.js';

const SHIPPED = join(import.meta.dirname, '..', 'experiments');
const file = (key: string, surface: string, variant: string, status = 'running') => ({
  key,
  surface,
  status,
  variants: [{ name: 'control' }, { name: variant }],
});

describe('which effect the demo plays', () => {
  it("the shipped experiments: the running receipt-style's steps (the demo's result stays the receipt's)", async () => {
    const { experiments } = await loadExperimentsDir(SHIPPED);
    expect(demoEffect(experiments, 0.8)).toEqual({ key: 'receipt-style', surface: 'receipt', variant: 'steps', lift: 0.8 });
    expect(demoEffect(experiments, 0)).toBeUndefined();
  });

  it('any running experiment on a surface the customers can read; none for one they cannot, a draft or a stopped one', () => {
    expect(demoEffect([file('notify', 'notifications', 'summary')], 0.5)).toEqual({ key: 'notify', surface: 'notifications', variant: 'summary', lift: 0.5 });
    expect(demoEffect([file('kb', 'kb_format', 'search'), file('r', 'receipt', 'steps', 'draft')], 0.5)).toBeUndefined();
    expect(demoEffect([file('r', 'receipt', 'steps', 'stopped'), file('n', 'notifications', 'summary')], 0.5)?.surface).toBe('notifications');
  });

  it('a ticket gets the lift only when its customer met the effect’s variant of its surface', () => {
    const effect = { surface: 'notifications', variant: 'summary', lift: 0.7 } as const;
    expect(liftOf(effect, { seen: { receipt: 'steps', notifications: 'summary' } })).toBe(0.7);
    expect(liftOf(effect, { seen: { receipt: 'steps', notifications: 'control' } })).toBe(0);
    expect(liftOf(effect, { seen: { receipt: 'steps' } })).toBe(0);
    expect(liftOf(undefined, { seen: { notifications: 'summary' } })).toBe(0);
  });
});

describe('a notifications experiment through the desk, the lift at 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-effect-'));
  let h: FeatureHarness;
  beforeAll(async () => {
    writeFileSync(
      join(dir, 'notify.yaml'),
      'key: notify\nsurface: notifications\nvariants:\n  - { name: control, weight: 1 }\n  - { name: summary, weight: 1 }\nmetrics: [csat_avg]\nstatus: running\n',
    );
    h = await startFeatureHarness({ botEnv: { EXPERIMENTS_DIR: dir } });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("customers in summary rate 5, the control's ratings are as before; the simulator saw both variants", async () => {
    const { experiments } = await loadExperimentsDir(dir);
    const effect = demoEffect(experiments, 1)!;
    expect(effect).toMatchObject({ surface: 'notifications', variant: 'summary' });
    const sim = startSimulator({
      sandboxUrl: h.sandbox.url,
      historyDays: 1,
      perDay: 40,
      live: false,
      seed: 23,
      waitMs: 20_000,
      // Everyone rates once (no changed rating), so each rating shows the effect or its absence.
      p: { csatAnswered: 1, csatChanged: 0, kbQuestion: 0.1 },
      experimentEffect: effect,
    });
    expect(await sim.replayed).toBe('replayed');
    await sim.stop();
    await h.settle();
    expect(sim.stats.effectSeen.summary).toBeGreaterThan(3);
    expect(sim.stats.effectSeen.control).toBeGreaterThan(3);

    // The ratings of the tickets resolved from the customer's exposure on, by the variant the desk stored.
    const rows = await h.db.query<{ variant: string; score: number }>(
      `SELECT x.variant, r.score FROM experiment_exposures x
         JOIN tickets t ON t.customer_id = x.customer_id AND t.resolved_at >= x.exposed_at
         JOIN ratings r ON r.ticket_id = t.id AND r.survey = 'csat' AND r.score IS NOT NULL
        WHERE x.experiment_key = 'notify'`,
    );
    const scores = (v: string) => rows.rows.filter((r) => r.variant === v).map((r) => Number(r.score));
    expect(scores('summary').length).toBeGreaterThan(3);
    expect(scores('control').length).toBeGreaterThan(3);
    expect(new Set(scores('summary'))).toEqual(new Set([5]));
    expect(scores('control').some((s) => s < 5)).toBe(true);
  }, 240_000);
});
