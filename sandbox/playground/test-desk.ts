/**
 * A real desk against a real sandbox, for the playground's browser test and
 * its screenshot script: the sandbox over HTTP (serving the playground), the
 * desk with the alerts composer (so buttons in the escalation chat work and
 * /sla answers), PGlite in a scratch directory, and the alert poster that
 * Alertmanager's webhook would drive.
 */
import type { Page } from 'playwright-core';
import { createDesk, type DeskApp } from '../../bot/app.js';
import { createAlertsComposer, Escalations, loadAlertsConfig } from '../../bot/alerts/index.js';
import { loadBotConfig } from '../../bot/config.js';
import { logger } from '../../core/log.js';
import { openDatabase, type Db } from '../../core/postgres.js';
import { MemoryBus, noFeatures } from '../../test/bot/harness.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { SandboxClient, startSandbox, type RunningSandbox } from '../index.js';

export { CHROMIUM } from '../../test/helpers/chromium.js';

/** A picture a customer would send: a phone screenshot of a declined payment, drawn in the page. */
export async function receiptPng(page: Page, width = 360, height = 480): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ({ width, height }) => {
      const canvas = new OffscreenCanvas(width, height);
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#f5f7fb';
      g.fillRect(0, 0, width, height);
      g.fillStyle = '#1f2937';
      g.font = '600 22px sans-serif';
      g.fillText('Checkout', 24, 48);
      g.fillStyle = '#fff';
      g.fillRect(24, 80, width - 48, 150);
      g.fillStyle = '#6b7280';
      g.font = '16px sans-serif';
      g.fillText('Pro plan · yearly', 40, 116);
      g.fillText('Card •••• 4242', 40, 146);
      g.fillStyle = '#111827';
      g.font = '600 28px sans-serif';
      g.fillText('€ 96.00', 40, 200);
      g.fillStyle = '#fee2e2';
      g.fillRect(24, 260, width - 48, 90);
      g.fillStyle = '#b91c1c';
      g.font = '600 20px sans-serif';
      g.fillText('Payment declined', 44, 298);
      g.font = '15px sans-serif';
      g.fillText('Error 05 · try another card', 44, 326);
      g.fillStyle = '#3390ec';
      g.fillRect(24, height - 90, width - 48, 52);
      g.fillStyle = '#fff';
      g.font = '600 18px sans-serif';
      g.fillText('Try again', width / 2 - 40, height - 58);
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return btoa(s);
    },
    { width, height },
  );
  return Buffer.from(base64, 'base64');
}

export interface PlaygroundDesk {
  sandbox: RunningSandbox;
  client: SandboxClient;
  db: Db;
  desk: DeskApp;
  /** The playground's address. */
  url: string;
  /** Posts a firing first-response breach for `queue` to the escalation chat, as Alertmanager's webhook would. */
  fireFirstResponseBreach(queue: string): Promise<void>;
  close(): Promise<void>;
}

export async function startPlaygroundDesk(opts: { port?: number } = {}): Promise<PlaygroundDesk> {
  const tmp = tmpDataDir('playground-desk-');
  const sandbox = await startSandbox({ port: opts.port ?? 0 });
  const client = new SandboxClient(sandbox.url);
  const db = await openDatabase({ DATA_DIR: tmp.dir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 });
  const config = loadBotConfig({ THROTTLE: '0', ALBUM_BUFFER: '150ms', LOG_LEVEL: 'warn' });
  const alertsConfig = loadAlertsConfig({});
  const desk = await createDesk({
    db,
    bus: new MemoryBus(),
    config,
    apiRoot: sandbox.apiRoot,
    composers: [createAlertsComposer(alertsConfig)],
    features: noFeatures(),
  });
  await desk.start();
  const escalations = new Escalations({
    db,
    api: desk.services.api,
    supportChatId: config.supportChatId,
    config: alertsConfig,
    log: logger('playground-test'),
    t: desk.services.agentText,
  });
  return {
    sandbox,
    client,
    db,
    desk,
    url: `${sandbox.url}/sandbox/`,
    async fireFirstResponseBreach(queue) {
      const now = new Date();
      await escalations.handle({
        version: '4',
        status: 'firing',
        receiver: 'desk-critical',
        groupKey: '{}:{}',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'FirstResponseSlaBreached', queue, severity: 'critical', sla: 'first_response' },
            annotations: { summary: `First response overdue in ${queue}` },
            startsAt: new Date(now.getTime() - 60_000).toISOString(),
            endsAt: '0001-01-01T00:00:00Z',
            fingerprint: `first-response-${queue}`,
          },
        ],
      });
    },
    async close() {
      await desk.stop().catch(() => undefined);
      await db.close().catch(() => undefined);
      await sandbox.close();
      tmp.cleanup();
    },
  };
}
