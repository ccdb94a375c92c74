/** Configuration of the analytics service (dashboard/main.ts) and its API plugin. */
import { defineConfig, env } from '../core/env.js';

export const loadDashboardConfig = defineConfig('dashboard', {
  // Its own variable, not PORT: the standalone service often runs beside the bot
  // (which listens on PORT) on one host. `npm start` serves the dashboard on PORT.
  DASHBOARD_PORT: env.int({ default: 3000, min: 0, max: 65535, doc: 'HTTP port of the standalone analytics service (npm run dashboard).' }),
  DASHBOARD_HOST: env.string({ default: '127.0.0.1', doc: 'Interface the analytics service listens on. Anything beyond loopback requires ANALYTICS_TOKEN.' }),
  ANALYTICS_TOKEN: env.optionalString({
    doc: 'Bearer token for /api/v1/*. Required when HOST is not a loopback address; the web app asks for it.',
    secret: true,
  }),
  DASHBOARD_LIVE_WINDOW: env.duration({
    default: '30d',
    doc: 'How far back (by creation time) the live panel looks for open tickets; older open tickets are treated as abandoned.',
  }),
});
export type DashboardConfig = ReturnType<typeof loadDashboardConfig>;
