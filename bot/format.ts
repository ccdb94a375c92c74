/** @deprecated Moved to bot/telegram/present.ts; kept while bot/handlers/agent.ts moves. */
export { formatInstant } from './telegram/present.js';
