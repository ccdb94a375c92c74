/**
 * One prom-client registry per process; every component registers its metrics
 * here so `/metrics` on any process shows that process's health.
 */
import { Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });
