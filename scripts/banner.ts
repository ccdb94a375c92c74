/**
 * What `npm start` tells a person once everything listens: which mode runs,
 * where to click, and where the state lives. Pure, so its wording is tested;
 * start.ts prints it as plain lines on a terminal and as one structured log
 * record otherwise (a log shipper wants JSON, a person wants a URL to click).
 */

export interface BannerFacts {
  dashboardUrl: string;
  /** The sandbox's base URL when the sandbox stands in for Telegram. */
  sandboxUrl?: string;
  simulator: boolean;
  /** "long polling" or "webhook" when talking to real Telegram. */
  telegram?: 'long polling' | 'webhook';
  botUsername?: string;
  /** Running, off (why), or pending (when it starts: the demo's alerts wait for its replayed history). */
  alerting: { prometheusUrl: string; alertmanagerUrl: string } | { off: string } | { pending: string };
  storage: { clickhouse: string; postgres: string; bus: string };
}

export type Mode = 'demo' | 'sandbox' | 'telegram';

export function modeOf(f: Pick<BannerFacts, 'sandboxUrl' | 'simulator'>): Mode {
  if (!f.sandboxUrl) return 'telegram';
  return f.simulator ? 'demo' : 'sandbox';
}

const MODE_TEXT: Record<Mode, string> = {
  demo: 'demo — the Telegram sandbox stands in for Telegram and a simulator plays customers and agents',
  sandbox: 'sandbox — the local Telegram sandbox stands in for Telegram (SIMULATE=0: no simulated traffic)',
  telegram: 'Telegram',
};

/** The alerting stack in words: its Prometheus (and Alertmanager) URL, why it is off, or when it starts. */
function alertingText(a: BannerFacts['alerting'], withAlertmanager?: 'Alertmanager'): string {
  if ('off' in a) return `off: ${a.off}`;
  if ('pending' in a) return a.pending;
  return withAlertmanager ? `Prometheus ${a.prometheusUrl} · Alertmanager ${a.alertmanagerUrl}` : a.prometheusUrl;
}

/** The banner's fields, for the structured log record. */
export function bannerFields(f: BannerFacts) {
  return {
    mode: modeOf(f),
    dashboard: f.dashboardUrl,
    api_docs: `${f.dashboardUrl}/api/docs`,
    metrics: `${f.dashboardUrl}/metrics`,
    ...(f.sandboxUrl ? { playground: `${f.sandboxUrl}/sandbox/`, sandbox_api: f.sandboxUrl } : {}),
    alerts: alertingText(f.alerting),
  };
}

/** The banner as lines of plain text. */
export function bannerLines(f: BannerFacts): string[] {
  const mode = modeOf(f);
  const pad = (label: string) => `  ${label.padEnd(12)}`;
  const lines = [
    'Support desk is running.',
    '',
    `${pad('mode')}${mode === 'telegram' ? `Telegram — @${f.botUsername ?? 'your bot'} via ${f.telegram ?? 'long polling'}` : MODE_TEXT[mode]}`,
    `${pad('dashboard')}${f.dashboardUrl}`,
  ];
  if (f.sandboxUrl) lines.push(`${pad('playground')}${f.sandboxUrl}/sandbox/   ← write as a customer, answer as an agent`);
  lines.push(`${pad('API docs')}${f.dashboardUrl}/api/docs`, `${pad('metrics')}${f.dashboardUrl}/metrics`);
  lines.push(`${pad('SLA alerts')}${alertingText(f.alerting, 'Alertmanager')}`);
  lines.push(`${pad('state')}ClickHouse ${f.storage.clickhouse} · desk ${f.storage.postgres} · bus ${f.storage.bus}`);
  if (mode === 'demo') lines.push('', '  Demo history is being replayed; a line says when it is ready. Ctrl+C stops everything.');
  else lines.push('', '  Ctrl+C stops everything.');
  return lines;
}
