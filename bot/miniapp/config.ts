/** The Mini App API's variables (WEBAPP_URL, which the bot's buttons need too, is in bot/config.ts). */
import { defineConfig, env } from '../../core/env.js';

export const loadMiniAppConfig = defineConfig('miniapp', {
  WEBAPP_AUTH_MAX_AGE: env.duration({
    default: '24h',
    doc: "Oldest Mini App launch data (initData auth_date) the app's API accepts; older → 401 (reopening the app signs anew). 0: no limit.",
  }),
  WEBAPP_RATE_LIMIT: env.int({
    default: 120,
    min: 1,
    doc: 'Mini App API requests one customer may make per minute; more answer 429 with Retry-After.',
  }),
});
export type MiniAppConfig = ReturnType<typeof loadMiniAppConfig>;
