/**
 * Flood control on the Bot API client, in grammY's way: transformers.
 * The throttler (bottleneck) keeps us under Telegram's limits and keeps each
 * chat's calls in order (one at a time per chat); auto-retry, installed after
 * it and so wrapping it, waits out `retry_after` on 429 and retries 5xx and
 * network errors — each retry queues through the throttler again.
 *
 * The limits are rolling, never fixed windows. A window's reservoir that is
 * reset every second (the plugin's default) lets a whole second's budget go
 * out at the end of one window and another at the start of the next: up to
 * 60 messages within a few milliseconds, which Telegram (and the sandbox,
 * sandbox/flood.ts) answers with 429s. So the bot-wide limit is a spacing
 * (one call every 1/globalPerSecond s: never more than globalPerSecond in
 * any second, with a second's worth of headroom for calls that reach
 * Telegram bunched up), and a group's per-minute budget is a token bucket
 * (bottleneck's reservoir increase: one call back every 60/groupPerMinute s,
 * only ever late, never early) holding one call less than Telegram's, so
 * that calls arriving a little closer together than they left still fit.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler, type APIThrottlerOptions } from '@grammyjs/transformer-throttler';
import type { Api } from 'grammy';
import { guardAttempts, guardQueue } from './attempts.js';
import { countTelegramErrors } from './telegram-metrics.js';
import type { Logger } from '../../core/log.js';
import type { BotConfig } from '../config.js';

/** bottleneck's options for the throttler's three limiters, from the configured limits. */
export function throttlerOptions(t: BotConfig['throttle']): APIThrottlerOptions {
  const groupRefillMs = Math.ceil(60_000 / t.groupPerMinute);
  const groupBurst = Math.max(1, t.groupPerMinute - 1);
  return {
    global: { minTime: Math.ceil(1000 / t.globalPerSecond) },
    group: {
      maxConcurrent: 1,
      minTime: Math.ceil(60_000 / t.groupPerMinute / 3),
      reservoir: groupBurst,
      reservoirIncreaseAmount: 1,
      reservoirIncreaseInterval: groupRefillMs,
      reservoirIncreaseMaximum: groupBurst,
      // bottleneck looks at the reservoir on this beat (250 ms by default): a refill waits for the next beat after it is due.
      heartbeatInterval: Math.min(250, groupRefillMs),
    },
    out: { maxConcurrent: 1, minTime: Math.ceil(1000 / t.chatPerSecond) },
  };
}

export function installFloodControl(api: Api, t: BotConfig['throttle'], log: Pick<Logger, 'warn'>): void {
  // Innermost: every error Telegram answers is counted, retried ones included (desk_telegram_errors_total).
  api.config.use(countTelegramErrors());
  // A relay's claim is held only while a copy may be under way (attempts.ts): taken right before each request,
  // inside the throttler; given back after a refused attempt, and while the call waits its turn in the throttler.
  api.config.use(guardAttempts());
  if (t.enabled) api.config.use(apiThrottler(throttlerOptions(t)));
  // Outside the throttler, inside auto-retry: it sees each attempt's wait for its turn.
  api.config.use(guardQueue((err) => log.warn({ err }, 'a relay claim could not be given back while its copy waited (kept)')));
  // 10 attempts: with 30 % of calls failing, all failing has a chance of 6e-6.
  api.config.use(autoRetry({ maxRetryAttempts: 10, maxDelaySeconds: 120 }));
}
