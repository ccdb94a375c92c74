/**
 * `GET /metrics` for any process: the prom-client registry in the Prometheus
 * text exposition format (what Prometheus 2.x scrapes by default).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import { registry as processRegistry } from './metrics.js';

export interface MetricsPluginOptions {
  registry?: Registry;
}

export const metricsPlugin: FastifyPluginAsync<MetricsPluginOptions> = async (app, opts) => {
  const reg = opts.registry ?? processRegistry;
  app.get(
    '/metrics',
    {
      schema: {
        description: 'Prometheus metrics of this process (SLA gauges, pipeline and runtime health).',
        hide: true,
        response: { 200: { type: 'string' } },
      },
      // Scrapes every 5 s would drown the access log.
      logLevel: 'warn',
    },
    async (_req, reply) => {
      const body = await reg.metrics();
      return reply.type(reg.contentType).send(body);
    },
  );
};

export default metricsPlugin;
