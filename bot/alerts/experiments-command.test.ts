/**
 * `/experiments` through the sandbox: refused to an agent, answered to a team lead in the escalation chat
 * with every valid file, the customers exposed per variant (the desk's record), a sample-ratio warning and
 * the files left out with their reason; with ClickHouse (chDB, the experiment scenario) the primary
 * metric's result and the days still needed, the dashboard's numbers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentResults } from '../../analytics/experiments/analysis.js';
import { clickHouseRunner } from '../../analytics/query.js';
import { DEFAULT_ESCALATION_CHAT_ID } from '../../sandbox/identities.js';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../../test/analytics/chdb.js';
import { DEF, scenario } from '../../test/analytics/experiment-scenario.js';
import { startHarness, type Harness } from '../../test/bot/harness.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { loadAlertsConfig } from './config.js';
import { createAlertsComposer } from './composer.js';
import { useExperimentAnalytics } from './experiments-command.js';

const AGENT = 600_101;
const LEAD = 600_102;
const NOW = new Date(Date.parse('2026-03-02T09:00:00Z') + 12 * 86_400_000);
const files = tmpDataDir('desk-experiments-cmd-');
let h: Harness;
let ch: AnalyticsDb;

beforeAll(async () => {
  const dir = join(files.dir, 'experiments');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'receipt-style.yaml'),
    `key: receipt-style\nsurface: receipt\nvariants:\n  - { name: control, weight: 1 }\n  - { name: steps, weight: 1 }\nmetrics: [${DEF.metrics.join(', ')}]\nstatus: running\n`,
  );
  writeFileSync(
    join(dir, 'two.yaml'),
    'key: notify\nsurface: notifications\nvariants:\n  - { name: control, weight: 1 }\n  - { name: summary, weight: 0 }\nmetrics: [csat_avg]\nstatus: running\n',
  );
  writeFileSync(join(dir, 'bad.yaml'), 'key: x\nsurface: banner\n');
  h = await startHarness({
    env: { TEAM_LEAD_IDS: String(LEAD), EXPERIMENTS_DIR: dir },
    composers: () => [createAlertsComposer(loadAlertsConfig(), () => NOW)],
  });
  // the desk's record of first exposures: 30 control, 5 steps — far from 1:1
  for (let i = 0; i < 35; i++)
    await h.db.query('INSERT INTO experiment_exposures (customer_id, experiment_key, variant, exposed_at) VALUES ($1, $2, $3, now())', [
      9000 + i,
      'receipt-style',
      i < 30 ? 'control' : 'steps',
    ]);
  ch = await openAnalyticsDb();
  await ingest(ch.ch, scenario().events, 2);
}, 120_000);
afterAll(async () => {
  useExperimentAnalytics(undefined);
  await h?.close();
  await ch?.close();
  files.cleanup();
});

const ask = async (from: number) => {
  const sent = await h.client.sendSupportMessage({ chat_id: DEFAULT_ESCALATION_CHAT_ID, from_id: from, text: '/experiments' });
  return h.client.waitForChatMessage(DEFAULT_ESCALATION_CHAT_ID, /Experiments|team lead/, { after: sent.message_id });
};

describe('/experiments', () => {
  it('is refused to an agent', async () => {
    const reply = await ask(AGENT);
    expect(reply.text).toMatch(/Only a team lead can do this/);
  });

  it('gives a team lead the files, exposures, a sample-ratio warning and the files left out', async () => {
    const text = (await ask(LEAD)).text!;
    expect(text).toMatch(/receipt-style · receipt · running/);
    expect(text).toContain('35 customers exposed: control 30 · steps 5');
    expect(text).toMatch(/Sample-ratio mismatch \(p < 0\.001\)/);
    expect(text).toMatch(/Files left out/);
    expect(text).toMatch(/bad\.yaml — .*unknown surface "banner"/);
    expect(text).toMatch(/two\.yaml — variants\.1\.weight: must be greater than 0/);
    expect(text).not.toMatch(/vs control/);
  });

  it('with ClickHouse: the primary metric’s result and the days still needed, as the dashboard computes them', async () => {
    const run = clickHouseRunner(ch.ch);
    useExperimentAnalytics(run);
    const r = await experimentResults(run, { ...DEF, file: 'receipt-style.yaml' }, { from: new Date(NOW.getTime() - 90 * 86_400_000), to: NOW }, NOW);
    const c = r.comparisons.find((x) => x.metric === 'csat_avg')!;
    const text = (await ask(LEAD)).text!;
    expect(text).toContain(`csat_avg, steps vs control: ${c.value!.toLocaleString('en-US', { maximumFractionDigits: 3 })} vs`);
    expect(text).toContain(`p ${c.p_value!.toFixed(3)}, always-valid p ${c.sequential_p_value!.toFixed(3)}`);
    expect(text).toMatch(/Detectable now: [\d.]+ %; about [\d.,]+ more days for a 5 % change/);
  });
});
