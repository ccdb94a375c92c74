/** Configuration of the analytics service (dashboard/main.ts) and its API plugin. */
import { defineConfig, env } from '../core/env.js';

export const loadDashboardConfig = defineConfig('dashboard', {
  // Port and interface are the process's PORT and HOST (core/http.ts), as for every service.
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
