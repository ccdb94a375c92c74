/** getUpdates (long polling) and webhook management. */
import { INVALID_WEBHOOK_URL, webhookUrlProblem } from '../../core/telegram-rules.js';
import { BotApiError, badRequest, TelegramErrors } from '../errors.js';
import type { MethodTable } from './context.js';

/** Telegram caps long polling at 50 s; the sandbox allows what the client asks up to that. */
const MAX_POLL_TIMEOUT = 50;

export const updateMethods: MethodTable = {
  getUpdates({ world, params: p, onCancel }) {
    if (world.webhook.active) throw TelegramErrors.webhookActive();
    const limit = Math.min(100, Math.max(1, p.int('limit') ?? 100));
    const timeoutSec = Math.min(MAX_POLL_TIMEOUT, Math.max(0, p.int('timeout') ?? 0));
    const allowed = p.list<string>('allowed_updates');
    world.updates.setAllowedUpdates(allowed);
    const offset = p.int('offset');
    return world.updates.poll({ ...(offset !== undefined ? { offset } : {}), limit, timeoutSec, onCancel });
  },

  setWebhook({ world, params: p }) {
    const url = p.str('url') ?? '';
    if (url === '') {
      world.webhook.stop();
      if (p.bool('drop_pending_updates')) world.updates.dropPending();
      return true;
    }
    // The Bot API server's order: the URL must parse, then the secret, then the webhook is verified
    // (HTTPS, port, address) — api.telegram.org's rules unless the sandbox runs like a local server.
    const problem = webhookUrlProblem(url, { localMode: world.allowInsecureWebhook });
    if (problem === INVALID_WEBHOOK_URL) throw new BotApiError(400, problem);
    const secret = p.str('secret_token') || undefined;
    if (secret !== undefined && secret.length > 256) throw badRequest('secret token is too long');
    if (secret !== undefined && !/^[A-Za-z0-9_-]+$/.test(secret)) throw badRequest('secret token contains unallowed characters');
    if (problem) throw new BotApiError(400, problem);
    const maxConnections = Math.min(100, Math.max(1, p.int('max_connections') ?? 40));
    const allowed = p.list<string>('allowed_updates');
    world.updates.setAllowedUpdates(allowed);
    if (p.bool('drop_pending_updates')) world.updates.dropPending();
    // A waiting long poll ends, as the webhook now owns the updates.
    world.updates.releaseWaiter(TelegramErrors.webhookActive());
    world.webhook.set({ url, maxConnections, ...(secret ? { secretToken: secret } : {}), ...(allowed ? { allowedUpdates: allowed } : {}) });
    return true;
  },

  deleteWebhook({ world, params: p }) {
    world.webhook.stop();
    if (p.bool('drop_pending_updates')) world.updates.dropPending();
    return true;
  },

  getWebhookInfo({ world }) {
    return world.webhook.info();
  },
};
