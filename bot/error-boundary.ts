/**
 * How the desk's update handling fails, in one place. `replyWithDeskError` is
 * the errorBoundary around every composer (bot/app.ts): a DeskError — the
 * ticket state machine refusing a change (already resolved, unknown queue, …)
 * — becomes an answer to whoever acted, in their language: a toast under a
 * pressed button, else a reply in the thread. Anything else goes on to
 * `bot.catch` (`logUpdateError`), which logs it without personal data (core/log.ts).
 */
import { GrammyError, type BotError } from 'grammy';
import type { Logger } from '../core/log.js';
import type { BotContext } from './context.js';
import { updatesHandled } from './metrics.js';
import { inThread } from './telegram/update.js';
import { DeskError } from './tickets/errors.js';

/** The text of a refusal for the one who acted. */
export type DeskErrorText = (ctx: BotContext, e: DeskError) => string;

/** `desk-error-<code>` in the chat's language: the agents' in the support group, the customer's in a private chat. */
export const deskErrorText: DeskErrorText = (ctx, e) => ctx.t(`desk-error-${e.code}`, e.detail);

/**
 * The errorBoundary handler for desk errors. A composer that words its
 * refusals otherwise (the escalation chat's "Cannot take #N") passes its own
 * text; `showAlert` makes a button's answer a dialog instead of a toast.
 */
export function replyWithDeskError(text: DeskErrorText = deskErrorText, o: { showAlert?: boolean } = {}) {
  return async (err: BotError<BotContext>): Promise<void> => {
    const e = err.error;
    if (!(e instanceof DeskError)) throw e;
    const ctx = err.ctx;
    const message = text(ctx, e);
    // An answer Telegram refuses (a press too old to answer) changes nothing: the refusal stands.
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: message, ...(o.showAlert ? { show_alert: true } : {}) }).catch(() => undefined);
    else await ctx.reply(message, inThread(ctx));
  };
}

/** `bot.catch`: counts the failed update and logs the error without what it carried. */
export function logUpdateError(log: Logger) {
  return (err: BotError<BotContext>): void => {
    updatesHandled.inc({ outcome: 'error' });
    // core/log.ts reduces the context to its ids and blanks what it carried (a name, a text) out of the error.
    log.error({ err: err.error, ctx: err.ctx }, 'update failed');
  };
}

/**
 * What an error says about itself — its type, message, stack and codes —
 * without what it carried: a GrammyError's payload is the message that was
 * sent (a customer's text, a name), a database error's detail the values.
 * Logged under `error` (pino's `err` serializer would copy every property).
 */
export function withoutPersonalData(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { type: typeof e };
  const out: Record<string, unknown> = { type: e.name, message: e.message, stack: e.stack };
  if (e instanceof GrammyError) Object.assign(out, { method: e.method, error_code: e.error_code });
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  return out;
}
