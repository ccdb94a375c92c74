/** Configuration of the analytics service (dashboard/main.ts) and its API plugin. */
import { DEFAULT_CATEGORIES, parseCategories, type Category } from '../bot/routing.js';
import { ConfigError, defineConfig, env } from '../core/env.js';

const loadDashboardEnv = defineConfig('dashboard', {
  // Port and interface are the process's PORT and HOST (core/http.ts), as for every service.
  ANALYTICS_TOKEN: env.optionalString({
    doc: 'Bearer token for /api/v1/*. Required when HOST is not a loopback address; the web app asks for it.',
    secret: true,
  }),
  DASHBOARD_MIGRATE: env.bool({
    default: true,
    doc: 'Create the ClickHouse database and apply the migrations at start-up. 0: only read — for a read-only ClickHouse user (docker-compose sets 0 and gives the dashboard "desk_readonly"); the dashboard then waits up to 5 minutes for the ingest or npm run migrate to apply them.',
  }),
  DASHBOARD_LIVE_WINDOW: env.duration({
    default: '30d',
    doc: 'How far back (by creation time) the live panel looks for open tickets; older open tickets are treated as abandoned.',
  }),
  // The bot's own declarations (bot/config.ts), word for word: the dashboard labels the
  // categories the bot offers, and the registry accepts a second group only with the same default.
  CATEGORIES: env.string({
    default: DEFAULT_CATEGORIES,
    doc: 'Category keyboard and routing: "Label:queue,…". A category without ":queue" goes to the default queue (L1).',
  }),
  DEFAULT_QUEUE: env.string({ default: 'L1', doc: 'Queue of tickets before a category is picked and of categories without a queue.' }),
});

export function loadDashboardConfig(source?: Record<string, string | undefined>) {
  const e = loadDashboardEnv(source);
  let categories: Category[];
  try {
    categories = parseCategories(e.CATEGORIES, e.DEFAULT_QUEUE);
  } catch (err) {
    throw new ConfigError('CATEGORIES', (err as Error).message);
  }
  return { ...e, categories };
}
export type DashboardConfig = ReturnType<typeof loadDashboardConfig>;
