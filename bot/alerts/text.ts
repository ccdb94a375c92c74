/**
 * The escalation chat's wording for callers that have no desk (tests, the
 * alert benchmark): locales/<language>/alerts.ftl through the bot's i18n.
 * A running desk passes its own `agentText`, in AGENT_LANGUAGE.
 */
import { createI18n } from '../i18n.js';
import { pickLocale } from '../telegram/present.js';
import type { Text } from './format.js';

export function alertsText(language = 'en'): Text {
  const i18n = createI18n({ agentLanguage: language, supportChatId: 0 });
  const locale = pickLocale(i18n.locales, language);
  return (key, vars) => i18n.t(locale, key, vars);
}
