/**
 * Telegram webhook as an encapsulated fastify plugin, using grammY's own
 * adapter (`webhookCallback(bot, 'fastify')`), which also checks the
 * X-Telegram-Bot-Api-Secret-Token header against the secret. Registered by
 * the entry points when WEBHOOK_URL is set; the path is WEBHOOK_URL's path.
 *
 * Updates of one customer still run one at a time: the bot's sequentialize
 * middleware works the same for webhook updates.
 *
 * An update that fails is handled as under long polling — `bot.catch` counts
 * it and logs it without what it carried — and answered with a bare 500: no
 * error text in the body (fastify's default would echo the error's message, a
 * customer's name or text included).
 */
import type { FastifyPluginAsync } from 'fastify';
import { BotError, webhookCallback, type Bot } from 'grammy';
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
  app.setErrorHandler(async (err, req, reply) => {
    if (err instanceof BotError)
      await Promise.resolve(opts.bot.errorHandler(err)).catch((e: unknown) => req.log.error({ err: e }, 'webhook error handler failed'));
    else req.log.error({ err }, 'webhook request failed');
    return reply.code(500).send();
  });
  app.post(path, { logLevel: 'warn' }, handle);
};

export default webhookPlugin;
