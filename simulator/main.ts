/**
 * `npm run simulate`: plays customers and agents against a running desk
 * through the sandbox (`npm start`'s demo, or `npm run sandbox` + `npm run bot`
 * with TELEGRAM_API_ROOT pointing at it).
 */
import { parseCli, fail, runMain } from '../core/cli.js';
import { logger } from '../core/log.js';
import { TICKETS_PER_DAY } from './model.js';
import { startSimulator } from './simulator.js';

const log = logger('simulator');

async function main(): Promise<void> {
  const { values } = parseCli({
    usage: 'npm run simulate -- [--sandbox URL] [--mode live|replay|both] [--days N] [--per-day N] [--speed N] [--seed N]',
    description:
      'Plays many customers and agents through the Telegram sandbox control API: daily peaks, category mix, knowledge-base questions, reply times per queue, ratings and repeat contacts. live plays in real time; replay plays the past days fast, with past message dates, to seed history.',
    options: {
      sandbox: { type: 'string' },
      mode: { type: 'string' },
      days: { type: 'string' },
      'per-day': { type: 'string' },
      speed: { type: 'string' },
      seed: { type: 'string' },
    },
    optionHelp: [
      '--sandbox URL   sandbox base URL (default http://127.0.0.1:8081)',
      '--mode MODE     live (default), replay (history only, then exit) or both',
      '--days N        replay: days of history (default 7)',
      `--per-day N     new tickets on an average weekday, replay and live alike (default ${TICKETS_PER_DAY})`,
      '--speed N       live: play N times faster than real time (default 1)',
      '--seed N        random seed, to repeat a run',
    ],
  });
  const num = (name: string, raw: string | undefined, def: number) => {
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) fail(`--${name} must be a non-negative number, got "${raw}"`);
    return n;
  };
  const mode = values.mode ?? 'live';
  if (!['live', 'replay', 'both'].includes(mode)) fail(`--mode must be live, replay or both, got "${mode}"`);
  const sim = startSimulator({
    sandboxUrl: values.sandbox ?? 'http://127.0.0.1:8081',
    historyDays: mode === 'live' ? 0 : num('days', values.days, 7),
    perDay: num('per-day', values['per-day'], TICKETS_PER_DAY),
    live: mode !== 'replay',
    speed: Math.max(1, num('speed', values.speed, 1)),
    ...(values.seed !== undefined ? { seed: num('seed', values.seed, 0) } : {}),
  });
  const report = setInterval(() => log.info({ stats: sim.stats }, 'simulating'), 30_000);
  const stop = async () => {
    clearInterval(report);
    await sim.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  if (mode === 'replay') {
    await sim.replayed;
    await stop();
  }
}

runMain(main);
