/**
 * Counts failed Bot API calls for the TelegramErrors alert: a grammY API
 * transformer, so every call through the desk's Api is seen, including each
 * attempt that auto-retry later repeats (a 429 storm shows up as such).
 *
 * Install it first, before the throttler and auto-retry, so it sits closest to
 * the network:  `api.config.use(countTelegramErrors())`.
 */
import { Counter } from 'prom-client';
import type { Transformer } from 'grammy';
import { registry } from '../../core/metrics.js';

export const TELEGRAM_ERRORS_METRIC = 'desk_telegram_errors_total';

function counter(): Counter<'method' | 'code'> {
  return (
    (registry.getSingleMetric(TELEGRAM_ERRORS_METRIC) as Counter<'method' | 'code'> | undefined) ??
    new Counter({
      name: TELEGRAM_ERRORS_METRIC,
      help: 'Failed Telegram Bot API calls (every attempt), by method and error code ("network" when no answer came).',
      labelNames: ['method', 'code'] as const,
      registers: [registry],
    })
  );
}

export function countTelegramErrors(errors: Counter<'method' | 'code'> = counter()): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      const res = await prev(method, payload, signal);
      if (!res.ok) errors.inc({ method, code: String(res.error_code) });
      return res;
    } catch (e) {
      errors.inc({ method, code: 'network' });
      throw e;
    }
  };
}
