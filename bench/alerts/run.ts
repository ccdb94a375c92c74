/**
 * Alert latency: from an SLA deadline passing to the escalation message in
 * Telegram, with the shipped Prometheus rules and Alertmanager routing and
 * their shipped timers (scrape 5 s, evaluation 5 s, critical group_wait 5 s).
 *
 *   npx tsx bench/alerts/run.ts [--breaches 20] [--spacing 10] [--queues 10]
 *
 * Breaches are --spacing seconds plus a random 0–5 s apart.
 *
 * Each breach is a ticket whose first-response deadline is 2 s after it is
 * written to the ticket store (PGlite); the clock stops when the sandbox's
 * escalation chat first shows the ticket number in a bot message (posted, or
 * edited when the queue's alert re-fires within the flap window). The ticket
 * is then answered so its alert resolves. Breaches rotate over --queues queues
 * so each queue's alert has resolved before its next breach, as in real life
 * where breaches of one queue are minutes apart.
 * Results go to BENCHMARKS.md `## Alerts`. Target: p95 ≤ 45 s.
 */
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { parseCli, runMain } from '../../core/cli.js';
import { logger } from '../../core/log.js';
import { metricsPlugin } from '../../core/metrics-plugin.js';
import { alertmanagerPlugin } from '../../bot/alerts/alertmanager-plugin.js';
import { loadAlertsConfig } from '../../bot/alerts/config.js';
import { startSandboxHarness } from '../../bot/alerts/test-support.js';
import { registerSlaCollectors } from '../../sla/exporter/collectors.js';
import { openTestStore, seedTicket } from '../../sla/exporter/test-support.js';
import { DEFAULT_ESCALATION_CHAT_ID, DEFAULT_SUPPORT_CHAT_ID } from '../../sandbox/identities.js';
import { startAlertingStack } from '../../scripts/alerting-stack.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { alertsText } from '../../bot/alerts/text.js';

const int = (v: string | undefined, d: number, name: string) => {
  const n = v === undefined ? d : Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

runMain(async () => {
  const { values } = parseCli({
    usage: 'npx tsx bench/alerts/run.ts [--breaches 20] [--spacing 10] [--queues 10]',
    description: 'Time from an SLA deadline passing to the escalation message in Telegram, with the shipped alerting configs.',
    options: { breaches: { type: 'string' }, spacing: { type: 'string' }, queues: { type: 'string' } },
    optionHelp: [
      '--breaches N   breaches to measure (20)',
      '--spacing S    seconds between breaches (10)',
      '--queues Q     queues the breaches rotate over (10)',
    ],
  });
  const breaches = int(values.breaches, 20, 'breaches');
  const spacingMs = int(values.spacing, 10, 'spacing') * 1000;
  const queues = Array.from({ length: int(values.queues, 10, 'queues') }, (_, i) => `Q${i + 1}`);

  const tmp = tmpDataDir('bench-alerts-');
  const token = `bench-${crypto.randomUUID()}`;
  const db = await openTestStore(tmp.dir);
  const tg = await startSandboxHarness();
  const registry = new Registry();
  registerSlaCollectors({ db, registry, firstResponseTargets: new Map(queues.map((q) => [q, 300])) });
  const http = Fastify();
  await http.register(metricsPlugin, { registry });
  await http.register(alertmanagerPlugin, {
    desk: { db, api: tg.api, config: { supportChatId: DEFAULT_SUPPORT_CHAT_ID }, agentText: alertsText() },
    config: loadAlertsConfig({ ALERTMANAGER_WEBHOOK_TOKEN: token }),
  });
  const address = await http.listen({ host: '127.0.0.1', port: 0 });
  const stack = await startAlertingStack({
    port: Number(new URL(address).port),
    webhookToken: token,
    dataDir: join(tmp.dir, 'alerting'),
    log: logger('bench-alerts'),
  });
  if (!stack.enabled) throw new Error(`alerting stack unavailable: ${stack.reason}`);

  const shows = (id: number) =>
    tg
      .messages(DEFAULT_ESCALATION_CHAT_ID)
      .find((m) => m.from === 'bot' && m.text?.includes('First-response SLA breached') && new RegExp(`#${id}\\b`).test(m.text));
  const results: { id: number; queue: string; seconds: number; how: 'posted' | 'edited' }[] = [];
  const pending = new Map<number, { due: number; queue: string }>();

  // Watch the chat every 50 ms; answer each ticket as soon as its breach is shown.
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      for (const [id, p] of pending) {
        const m = shows(id);
        if (!m) continue;
        const seconds = (Date.now() - p.due) / 1000;
        pending.delete(id);
        results.push({ id, queue: p.queue, seconds, how: m.edited ? 'edited' : 'posted' });
        console.log(`#${id} ${p.queue}: ${seconds.toFixed(1)} s (${m.edited ? 'edited' : 'posted'})`);
        await db.query(`UPDATE tickets SET first_response_at = now(), status = 'waiting_customer' WHERE id = $1`, [id]);
      }
      await sleep(50);
    }
  })();

  const started = Date.now();
  for (let i = 0; i < breaches; i++) {
    const queue = queues[i % queues.length]!;
    const now = Date.now();
    const due = now + 2000;
    const id = await seedTicket(db, { queue, createdAt: new Date(now - 60_000), firstResponseDueAt: new Date(due), firstName: `Bench ${i}` });
    pending.set(id, { due, queue });
    // Jitter, so deadlines fall at every phase of the 5 s scrape/evaluation cycles
    // instead of always the same one.
    await sleep(spacingMs + Math.random() * 5000);
  }
  const deadline = Date.now() + 180_000;
  while (pending.size && Date.now() < deadline) await sleep(200);
  watching = false;
  await watcher;
  const missed = [...pending.keys()];

  await stack.stop();
  await http.close();
  await tg.close();
  await db.close();
  tmp.cleanup();

  const s = results.map((r) => r.seconds).sort((a, b) => a - b);
  const summary = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`,
    breaches,
    measured: s.length,
    missed: missed.length,
    posted: results.filter((r) => r.how === 'posted').length,
    edited: results.filter((r) => r.how === 'edited').length,
    p50_s: s.length ? Number(quantile(s, 0.5).toFixed(1)) : null,
    p95_s: s.length ? Number(quantile(s, 0.95).toFixed(1)) : null,
    min_s: s.length ? Number(s[0]!.toFixed(1)) : null,
    max_s: s.length ? Number(s[s.length - 1]!.toFixed(1)) : null,
    wall_s: Math.round((Date.now() - started) / 1000),
  };
  console.log(JSON.stringify(summary, null, 2));
  if (missed.length || summary.p95_s === null || summary.p95_s > 45) process.exitCode = 1;
});
