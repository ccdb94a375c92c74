/**
 * Experiments end to end through the sandbox (issue 16): files → assignment → each surface's variants as the
 * customer sees them → experiment_exposure exactly once per customer and experiment, across a restart.
 * One harness, one experiments directory; each test writes the file it needs and reloads.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignVariant } from '../../analytics/experiments/assign.js';
import type { ExperimentDefinition, Surface } from '../../analytics/experiments/definition.js';
import { AGENT, startFeatureHarness, type FeatureHarness } from '../../test/bot/feature-harness.js';

const DIR = mkdtempSync(join(tmpdir(), 'experiments-e2e-'));
let h: FeatureHarness;
beforeAll(async () => {
  h = await startFeatureHarness({ botEnv: { EXPERIMENTS_DIR: DIR }, env: { SURVEY_DELAY: '24h', FOLLOWUP_DELAY: '0' } });
});
afterAll(async () => {
  await h?.close();
  rmSync(DIR, { recursive: true, force: true });
});

const experiments = () => h.desk.services.experiments;

/** Writes `<key>.yaml` running on `surface` with control and `variant`, 1:1, and reloads. */
async function run(key: string, surface: Surface, variant: string): Promise<ExperimentDefinition> {
  for (const f of ['receipt.yaml', 'question.yaml', 'kb.yaml', 'notifications.yaml', 'survey.yaml', 'bad.yaml', 'clash.yaml'])
    rmSync(join(DIR, f), { force: true });
  writeFileSync(
    join(DIR, `${key}.yaml`),
    `key: ${key}\nsurface: ${surface}\nvariants:\n  - { name: control, weight: 1 }\n  - { name: ${variant}, weight: 1 }\nmetrics: [csat_avg]\nstatus: running\n`,
  );
  await experiments().reload();
  const def = experiments()
    .list()
    .find((e) => e.key === key);
  expect(def, JSON.stringify(experiments().problems())).toBeDefined();
  return def!;
}

/** The definition a file `run(key, surface, variant)` writes, without loading it. */
function parseExperimentsFile(key: string, surface: Surface, variant: string): ExperimentDefinition {
  return {
    key,
    surface,
    variants: [
      { name: 'control', weight: 1 },
      { name: variant, weight: 1 },
    ],
    metrics: ['csat_avg'],
    status: 'running',
    file: `${key}.yaml`,
  };
}

/** A customer id in `variant` of `def`, from `from` upwards (the assignment is a pure function of key and id). */
function customerIn(def: ExperimentDefinition, variant: string, from: number): number {
  for (let id = from; ; id++) if (assignVariant(def, id)?.variant === variant) return id;
}

async function exposures(key: string) {
  return (await h.eventsOf('experiment_exposure')).filter((e) => e.experiment === key);
}

async function openWith(customerId: number, text = 'hello, I have a question about my contract') {
  const first = await h.client.sendCustomerMessage(customerId, { text, first_name: `C${customerId}`, language_code: 'en' });
  return first;
}

async function ticketOf(customerId: number): Promise<number> {
  return h.client.waitFor(
    async () => (await h.db.query<{ id: number }>(`SELECT id FROM tickets WHERE customer_id = $1 AND status <> 'resolved'`, [customerId])).rows[0]?.id,
    { what: `open ticket of ${customerId}`, timeoutMs: 10_000 },
  );
}

async function resolveByAgent(customerId: number) {
  const ticketId = await ticketOf(customerId);
  const thread = await h.thread(customerId);
  await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: 'Here is what we did' });
  await h.client.waitForCustomerMessage(customerId, 'Here is what we did');
  await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/resolve' });
  await h.client.waitFor(
    async () => (await h.db.query<{ status: string }>('SELECT status FROM tickets WHERE id = $1', [ticketId])).rows[0]?.status === 'resolved' || undefined,
    { what: `ticket ${ticketId} resolved` },
  );
  return ticketId;
}

describe('files', () => {
  it('leaves an invalid file out with a warning and keeps the rest running; a change is picked up by the watcher', async () => {
    await run('receipt', 'receipt', 'steps');
    writeFileSync(join(DIR, 'bad.yaml'), 'key: [oops\n');
    writeFileSync(
      join(DIR, 'clash.yaml'),
      'key: receipt-two\nsurface: receipt\nvariants:\n  - { name: control, weight: 1 }\n  - { name: steps, weight: 0 }\nmetrics: [csat_avg]\nstatus: running\n',
    );
    await h.client.waitFor(async () => (experiments().problems().length === 2 ? true : undefined), { what: 'the watcher to reload', timeoutMs: 10_000 });
    expect(experiments().problems()).toEqual([
      { file: 'bad.yaml', message: expect.stringMatching(/^malformed YAML at line \d+/) },
      { file: 'clash.yaml', message: 'variants.1.weight: must be greater than 0 (got 0)' },
    ]);
    expect(
      experiments()
        .list()
        .map((e) => e.key),
    ).toEqual(['receipt']);
    // Fixed weight, now a second running experiment on the surface: both are left out, the receipt is the control's.
    writeFileSync(
      join(DIR, 'clash.yaml'),
      'key: receipt-two\nsurface: receipt\nvariants:\n  - { name: control, weight: 1 }\n  - { name: steps, weight: 2 }\nmetrics: [csat_avg]\nstatus: running\n',
    );
    await h.client.waitFor(
      async () =>
        experiments()
          .problems()
          .some((p) => p.message.includes('also runs'))
          ? true
          : undefined,
      {
        what: 'the watcher to reload',
        timeoutMs: 10_000,
      },
    );
    expect(
      experiments()
        .problems()
        .map((p) => p.file),
    ).toEqual(['bad.yaml', 'clash.yaml', 'receipt.yaml']);
    expect(experiments().problems()[2]!.message).toBe(
      'surface: receipt-two (clash.yaml) also runs on receipt; at most one running experiment per surface — both are left out',
    );
    expect(experiments().list()).toEqual([]);
    const def = parseExperimentsFile('receipt', 'receipt', 'steps');
    const customer = customerIn(def, 'steps', 40_000);
    await openWith(customer);
    const receipt = await h.client.waitForCustomerMessage(customer, /Ticket #\d+ created/);
    expect(receipt.text).toMatch(/We usually answer within/);
    expect(await exposures('receipt')).toEqual([]);
  });
});

describe('receipt', () => {
  it('control gets the short receipt with the status button, steps the step-by-step one; one exposure each, even across tickets and a restart', async () => {
    const def = await run('receipt', 'receipt', 'steps');
    const control = customerIn(def, 'control', 41_000);
    const steps = customerIn(def, 'steps', 41_000);

    await openWith(control);
    const short = await h.client.waitForCustomerMessage(control, /Ticket #\d+ created/);
    expect(short.text).toMatch(/We usually answer within/);
    expect(short.buttons?.flat()).toContain('ℹ️ /status');
    await openWith(steps);
    const long = await h.client.waitForCustomerMessage(steps, /What happens next/);
    expect(long.text).toContain('1️⃣');
    expect(long.buttons?.flat() ?? []).not.toContain('ℹ️ /status');

    // Met again (a second ticket), and again after a restart: still one exposure per customer.
    await resolveByAgent(steps);
    await h.settle();
    await h.restart();
    await openWith(steps, 'another question about my contract');
    await h.client.waitFor(
      async () => (await h.client.getCustomerMessages(steps)).filter((m) => /What happens next/.test(m.text ?? '')).length === 2 || undefined,
      {
        what: 'the second receipt',
      },
    );
    const seen = await exposures('receipt');
    expect(seen.map((e) => e.variant).sort()).toEqual(['control', 'steps']);
    const stored = await h.db.query<{ customer_id: string; variant: string }>(
      `SELECT customer_id, variant FROM experiment_exposures WHERE experiment_key = 'receipt' ORDER BY variant`,
    );
    expect(stored.rows.map((r) => [Number(r.customer_id), r.variant])).toEqual([
      [control, 'control'],
      [steps, 'steps'],
    ]);
  });
});

describe('survey_timing', () => {
  it('control is asked at resolution; delayed is asked SURVEY_DELAY later by the scheduler; one exposure each', async () => {
    const def = await run('survey', 'survey_timing', 'delayed');
    const control = customerIn(def, 'control', 45_000);
    const delayed = customerIn(def, 'delayed', 45_000);
    const csat = /How would you rate our help with ticket #(\d+)/;
    for (const c of [control, delayed]) {
      await openWith(c);
      await h.client.waitForCustomerMessage(c, /Ticket #\d+ created/);
      await resolveByAgent(c);
    }
    await h.client.waitForCustomerMessage(control, csat);
    await h.settle();
    expect((await h.client.getCustomerMessages(delayed)).filter((m) => csat.test(m.text ?? ''))).toEqual([]);

    await h.runJobs(new Date(Date.now() + 23 * 3600_000));
    await h.settle();
    expect((await h.client.getCustomerMessages(delayed)).filter((m) => csat.test(m.text ?? ''))).toEqual([]);
    await h.runJobs(new Date(Date.now() + 24 * 3600_000 + 60_000));
    const asked = await h.client.waitForCustomerMessage(delayed, csat);
    expect(asked.buttons).toEqual([['1', '2', '3', '4', '5']]);
    // Run again: nothing twice.
    await h.runJobs(new Date(Date.now() + 25 * 3600_000));
    await h.settle();
    expect((await h.client.getCustomerMessages(delayed)).filter((m) => csat.test(m.text ?? ''))).toHaveLength(1);
    expect((await exposures('survey')).map((e) => e.variant).sort()).toEqual(['control', 'delayed']);
  });
});

describe('notifications', () => {
  it('control hears of each change (solved, open again); summary gets one summary at resolution and no reopen note', async () => {
    const def = await run('notifications', 'notifications', 'summary');
    const control = customerIn(def, 'control', 47_000);
    const summary = customerIn(def, 'summary', 47_000);
    for (const c of [control, summary]) {
      await openWith(c);
      await h.client.waitForCustomerMessage(c, /Ticket #\d+ created/);
      const ticketId = await resolveByAgent(c);
      await h.client.sendSupportMessage({ from_id: AGENT, thread_id: await h.thread(c), text: '/reopen' });
      await h.client.waitFor(
        async () => (await h.db.query<{ status: string }>('SELECT status FROM tickets WHERE id = $1', [ticketId])).rows[0]?.status !== 'resolved' || undefined,
        { what: `ticket ${ticketId} reopened` },
      );
    }
    await h.settle();
    const texts = async (c: number) => (await h.client.getCustomerMessages(c)).filter((m) => m.from === 'bot').map((m) => m.text ?? '');
    const a = await texts(control);
    expect(a.filter((t) => /is solved\. If something is still wrong/.test(t))).toHaveLength(1);
    expect(a.filter((t) => /is open again/.test(t))).toHaveLength(1);
    expect(a.filter((t) => /In short:/.test(t))).toEqual([]);
    const b = await texts(summary);
    const note = b.filter((t) => /In short:/.test(t));
    expect(note).toHaveLength(1);
    expect(note[0]).toMatch(/first answer: after \d+ minutes?/);
    expect(note[0]).toMatch(/solved: \d+ minutes? after you wrote/);
    expect(b.filter((t) => /is open again/.test(t))).toEqual([]);
    expect((await exposures('notifications')).map((e) => e.variant).sort()).toEqual(['control', 'summary']);
  });
});

const PASSWORD = 'I forgot my password and the reset email never arrives';
const botTexts = async (c: number) => (await h.client.getCustomerMessages(c)).filter((m) => m.from === 'bot');

describe('kb_format', () => {
  it('control gets the article as a card; search gets the matching questions, and a tap shows that card', async () => {
    const def = await run('kb', 'kb_format', 'search');
    const control = customerIn(def, 'control', 49_000);
    const search = customerIn(def, 'search', 49_000);
    await openWith(control, PASSWORD);
    const card = await h.client.waitForCustomerMessage(control, /This article may answer your question/);
    expect(card.text).toContain('Reset your password');
    expect(card.buttons?.flat()).toEqual(['✅ Solved', '👤 Talk to a human']);

    await openWith(search, PASSWORD);
    const list = await h.client.waitForCustomerMessage(search, /Is your question one of these\?/);
    const buttons = list.buttons?.flat() ?? [];
    expect(buttons[0]).toBe('❓ Reset your password');
    expect(buttons.at(-1)).toBe('👤 None of these — talk to a human');
    expect(buttons.length).toBeGreaterThanOrEqual(2);
    expect((await botTexts(search)).some((m) => /This article may answer/.test(m.text ?? ''))).toBe(false);
    await h.client.pressCustomerButton(search, '❓ Reset your password');
    const picked = await h.client.waitForCustomerMessage(search, /This article may answer your question/);
    expect(picked.text).toContain('Reset your password');
    await h.client.pressCustomerButton(search, '✅ Solved');
    await h.client.waitForCustomerMessage(search, /Glad it helped!/);

    const events = await h.settle();
    const ticket = await h.db.query<{ id: number }>('SELECT id FROM tickets WHERE customer_id = $1', [search]);
    const mine = events.filter((e) => e.ticket_id === ticket.rows[0]!.id);
    expect(mine.find((e) => e.type === 'kb_suggested')).toMatchObject({ kb_article_id: 'password-reset' });
    expect(mine.find((e) => e.type === 'kb_outcome')).toMatchObject({ kb_article_id: 'password-reset', outcome: 'solved' });
    expect((await exposures('kb')).map((e) => e.variant).sort()).toEqual(['control', 'search']);
  });

  it('search: "None of these" goes to a human, then the category keyboard (once)', async () => {
    const def = await run('kb', 'kb_format', 'search');
    const search = customerIn(def, 'search', 49_500);
    await openWith(search, PASSWORD);
    await h.client.waitForCustomerMessage(search, /Is your question one of these\?/);
    await h.client.pressCustomerButton(search, '👤 None of these — talk to a human');
    await h.client.waitForCustomerMessage(search, /an agent will take it from here/);
    await h.client.waitForCustomerMessage(search, /What is your question about\?/);
    await h.settle();
    expect((await botTexts(search)).filter((m) => /What is your question about\?/.test(m.text ?? ''))).toHaveLength(1);
  });
});

describe('question_order', () => {
  it('control: the suggestion before the category; category_first: the category keyboard first, then the suggestion', async () => {
    const def = await run('question', 'question_order', 'category_first');
    const control = customerIn(def, 'control', 51_000);
    const first = customerIn(def, 'category_first', 51_000);
    await openWith(control, PASSWORD);
    await h.client.waitForCustomerMessage(control, /This article may answer your question/);
    expect((await botTexts(control)).some((m) => /What is your question about\?/.test(m.text ?? ''))).toBe(false);

    await openWith(first, PASSWORD);
    await h.client.waitForCustomerMessage(first, /What is your question about\?/);
    expect((await botTexts(first)).some((m) => /This article may answer/.test(m.text ?? ''))).toBe(false);
    await h.client.pressCustomerButton(first, '👤 Account');
    const card = await h.client.waitForCustomerMessage(first, /This article may answer your question/);
    expect(card.text).toContain('Reset your password');
    // Not solved: an agent takes over, and no second category keyboard comes.
    await h.client.pressCustomerButton(first, '👤 Talk to a human');
    await h.client.waitForCustomerMessage(first, /^Of course — an agent will take it from here\.$/);
    await h.settle();
    // The one keyboard became "Topic: …" when pressed; none was sent again.
    expect((await botTexts(first)).map((m) => m.text ?? '').filter((t) => /What is your question about\?|^Topic: /.test(t))).toEqual(['Topic: 👤 Account']);
    expect((await exposures('question')).map((e) => e.variant).sort()).toEqual(['category_first', 'control']);
  });
});

describe('holdout and a shipped winner', () => {
  it('a holdout customer sees the control and is never exposed; a stopped experiment with a winner gives everyone the winner, exposing nobody', async () => {
    for (const f of ['receipt.yaml', 'question.yaml', 'kb.yaml', 'notifications.yaml', 'survey.yaml']) rmSync(join(DIR, f), { force: true });
    const file = (status: string, extra: string) =>
      `key: receipt-held\nsurface: receipt\nvariants:\n  - { name: control, weight: 1 }\n  - { name: steps, weight: 1 }\nmetrics: [csat_avg]\nstatus: ${status}\n${extra}`;
    writeFileSync(join(DIR, 'held.yaml'), file('running', 'holdout: 0.5\n'));
    await experiments().reload();
    const def = experiments().list()[0]!;
    expect(def.holdout).toBe(0.5);
    let held = 53_000;
    while (assignVariant(def, held) !== null) held++;
    const steps = customerIn(def, 'steps', 53_000);
    await openWith(held);
    expect((await h.client.waitForCustomerMessage(held, /Ticket #\d+ created/)).text).toMatch(/We usually answer within/);
    await openWith(steps);
    await h.client.waitForCustomerMessage(steps, /What happens next/);
    expect((await exposures('receipt-held')).map((e) => e.variant)).toEqual(['steps']);

    // Shipped: status stopped, winner steps — a new customer (in the control by the hash) gets the steps receipt, unexposed.
    writeFileSync(join(DIR, 'held.yaml'), file('stopped', 'winner: steps\n'));
    await experiments().reload();
    const control = customerIn(def, 'control', 54_000);
    await openWith(control);
    await h.client.waitForCustomerMessage(control, /What happens next/);
    expect((await exposures('receipt-held')).map((e) => e.variant)).toEqual(['steps']);
    rmSync(join(DIR, 'held.yaml'), { force: true });
  });
});
