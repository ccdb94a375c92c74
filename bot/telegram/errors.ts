/** Classifies Bot API errors the desk reacts to (by description: Telegram has no error subcodes). */
import { GrammyError } from 'grammy';

/** The forum topic is gone (deleted by someone): recreate it and send again. */
export function isThreadGone(e: unknown): boolean {
  return e instanceof GrammyError && e.error_code === 400 && /message thread not found|TOPIC_DELETED|TOPIC_ID_INVALID|thread not found/i.test(e.description);
}

/** The customer blocked the bot or deleted the account: never retry. */
export function isBlockedByUser(e: unknown): boolean {
  return e instanceof GrammyError && e.error_code === 403;
}

/** The message to edit is unchanged or gone: nothing to do. */
export function isHarmlessEditError(e: unknown): boolean {
  return e instanceof GrammyError && e.error_code === 400 && /not modified|message to edit not found|TOPIC_NOT_MODIFIED/i.test(e.description);
}

/** The replied-to message no longer exists. */
export function isReplyGone(e: unknown): boolean {
  return e instanceof GrammyError && e.error_code === 400 && /message to be replied not found|replied message not found/i.test(e.description);
}

/**
 * The message to edit is gone for good — deleted by someone, lost with a
 * restarted sandbox, or no longer editable: the caller posts a new one instead.
 * Telegram's wordings: "message to edit not found", "message can't be edited",
 * "MESSAGE_ID_INVALID" (the sandbox answers the first two, sandbox/errors.ts).
 */
export function isMessageGone(e: unknown): boolean {
  return e instanceof GrammyError && e.error_code === 400 && /message to edit not found|message can't be edited|MESSAGE_ID_INVALID/i.test(e.description);
}

/**
 * The one copy failure that is permanent: the original cannot be copied ("message to copy not found": the
 * customer deleted it; "message can't be copied": e.g. a quiz poll). Every other failure is retried.
 */
export function isUncopyable(e: unknown): boolean {
  return e instanceof GrammyError && e.error_code === 400 && /message to copy not found|message can't be copied/i.test(e.description);
}
