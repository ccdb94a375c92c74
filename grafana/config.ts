/**
 * Grafana runs only in docker-compose: the Node code reads none of its settings. Its password is
 * declared here anyway, so the README table and .env.example list every password a deployment sets.
 */
import { defineConfig, env } from '../core/env.js';

defineConfig('grafana', {
  GRAFANA_ADMIN_PASSWORD: env.optionalString({
    secret: true,
    doc: 'docker-compose only, required there: password of Grafana\'s "admin" user (set on Grafana\'s first start; anonymous access is off). The Node code does not read it.',
  }),
});
