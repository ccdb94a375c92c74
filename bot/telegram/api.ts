/**
 * Flood control on the Bot API client, in grammY's way: transformers.
 * The throttler (bottleneck) keeps us under Telegram's limits and keeps each
 * chat's calls in order (one at a time per chat); auto-retry, installed after
 * it and so wrapping it, waits out `retry_after` on 429 and retries 5xx and
 * network errors — each retry queues through the throttler again.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import type { Api } from 'grammy';
import { countTelegramErrors } from './telegram-metrics.js';
import type { BotConfig } from '../config.js';

export function installFloodControl(api: Api, t: BotConfig['throttle']): void {
  // Innermost: every error Telegram answers is counted, retried ones included (desk_telegram_errors_total).
  api.config.use(countTelegramErrors());
  if (t.enabled) {
    api.config.use(
      apiThrottler({
        global: { reservoir: t.globalPerSecond, reservoirRefreshAmount: t.globalPerSecond, reservoirRefreshInterval: 1000 },
        group: {
          maxConcurrent: 1,
          minTime: Math.ceil(60_000 / t.groupPerMinute / 3),
          reservoir: t.groupPerMinute,
          reservoirRefreshAmount: t.groupPerMinute,
          reservoirRefreshInterval: 60_000,
        },
        out: { maxConcurrent: 1, minTime: Math.ceil(1000 / t.chatPerSecond) },
      }),
    );
  }
  // 10 attempts: with 30 % of calls failing, all failing has a chance of 6e-6.
  api.config.use(autoRetry({ maxRetryAttempts: 10, maxDelaySeconds: 120 }));
}
