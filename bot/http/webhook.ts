/**
 * Telegram webhook as an encapsulated fastify plugin, using grammY's own
 * adapter (`webhookCallback(bot, 'fastify')`), which also checks the
 * X-Telegram-Bot-Api-Secret-Token header against the secret. Registered by
 * the entry points when WEBHOOK_URL is set; the path is WEBHOOK_URL's path.
 *
 * Updates of one customer still run one at a time: the bot's sequentialize
 * middleware works the same for webhook updates.
 */
import type { FastifyPluginAsync } from 'fastify';
import { webhookCallback, type Bot } from 'grammy';
import type { BotContext } from '../context.js';

export interface WebhookPluginOptions {
  bot: Bot<BotContext>;
  /** WEBHOOK_URL: only its path is used here. */
  url: string;
  secret: string;
  /** Telegram waits this long for an answer before retrying the update. */
  timeoutMs?: number;
}

export const webhookPlugin: FastifyPluginAsync<WebhookPluginOptions> = async (app, opts) => {
  const path = new URL(opts.url).pathname || '/';
  const handle = webhookCallback(opts.bot, 'fastify', { secretToken: opts.secret, timeoutMilliseconds: opts.timeoutMs ?? 55_000, onTimeout: 'return' });
  app.post(path, { logLevel: 'warn' }, handle);
};

export default webhookPlugin;
