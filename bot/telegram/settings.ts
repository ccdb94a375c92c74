/**
 * The desk's own Telegram settings, checked at start-up against the rules the
 * sandbox enforces (core/telegram-rules.ts, one module for both, so they cannot
 * drift): a value the sandbox would refuse in the tests is a configuration
 * error naming the variable, not a desk that starts cleanly and then loses
 * every alert or menu in production.
 */
import { ConfigError } from '../../core/env.js';
import { GENERAL_TOPIC_ID, isValidCommandLanguage, webhookUrlProblem } from '../../core/telegram-rules.js';

/**
 * ESCALATION_THREAD_ID: a forum topic of the escalation chat. 1 is the General topic, which Telegram addresses by
 * omitting the thread — it answers "message thread not found" to thread 1, so every alert would be lost.
 */
export function checkEscalationThreadId(threadId: number | undefined): void {
  if (threadId === undefined) return;
  if (threadId === GENERAL_TOPIC_ID)
    throw new ConfigError(
      'ESCALATION_THREAD_ID',
      `is ${GENERAL_TOPIC_ID}, the General topic: Telegram addresses General by omitting the thread and answers "message thread not found" to thread ${GENERAL_TOPIC_ID}, so every alert would be lost — unset ESCALATION_THREAD_ID to post in General, or set the id of another topic (the number after the chat in the topic's t.me/c/… link)`,
    );
  if (threadId < 1)
    throw new ConfigError(
      'ESCALATION_THREAD_ID',
      `must be the id of a forum topic (an integer above ${GENERAL_TOPIC_ID}), got ${threadId}; unset it to post in General`,
    );
}

/**
 * WEBHOOK_URL, when the desk talks to api.telegram.org (no TELEGRAM_API_ROOT): the URL must be one Telegram
 * delivers to — HTTPS on port 443, 80, 88 or 8443 at a public address. A custom API root is not checked: a local
 * Bot API server in --local mode accepts HTTP and any port, and the sandbox applies these same rules itself when
 * the desk calls setWebhook. Only the URL's origin is shown: its path may carry a secret.
 */
export function checkWebhookUrl(url: string | undefined, apiRoot: string | undefined): void {
  if (!url || apiRoot !== undefined) return;
  const problem = webhookUrlProblem(url);
  if (!problem) return;
  let origin = url;
  try {
    origin = new URL(url).origin;
  } catch {
    // Shown as given: it does not parse, so it carries no path to hide.
  }
  throw new ConfigError(
    'WEBHOOK_URL',
    `is refused by Telegram (setWebhook answers "${problem}"): it must be an https:// URL on port 443, 80, 88 or 8443 at a public address, e.g. https://desk.example.com/telegram/webhook — got ${origin}`,
  );
}

/**
 * The locales the desk publishes command menus for (setMyCommands' language_code is the locale's name): each must
 * be two lowercase letters, else Telegram refuses that language's menu ("invalid language code specified") and its
 * customers never see one. `where` names the folder for the message (e.g. "locales").
 */
export function checkCommandLocales(locales: readonly string[], where = 'locales'): void {
  for (const locale of locales) {
    if (isValidCommandLanguage(locale) && locale !== '') continue;
    const guess = /^[A-Za-z]{2}/.exec(locale)?.[0].toLowerCase();
    throw new ConfigError(
      `${where}/${locale}`,
      `is not a language Telegram's command menus accept: setMyCommands takes language_code as two lowercase letters (ISO 639-1) and refuses "${locale}", so this locale's customers would get no menu — rename it${guess ? ` to "${guess}"` : ' to its two-letter language code'}`,
    );
  }
}
