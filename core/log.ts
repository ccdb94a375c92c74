/**
 * Structured logs (pino, the logger fastify uses too), one child per component.
 *
 * A person at a terminal gets readable lines (pino-pretty, in a worker thread);
 * anything else — a pipe, a container, a log shipper — gets one JSON object per
 * line. LOG_FORMAT overrides the guess.
 *
 * No line carries a secret or what a customer wrote or is called (issue 17):
 * - errors (under any key) keep their type, message, codes and stack, never what they carried
 *   (a GrammyError's payload, an HttpError's request URL beyond its scrubbed message, a BotError's context);
 * - grammY contexts and Telegram updates, messages, users and chats are reduced to their ids;
 * - text, caption, first_name, last_name, username and phone_number are `[redacted]` wherever they are;
 * - the strings a line's Telegram objects carried (a name, a text) are blanked out of the rest of
 *   the line — an error message that quotes them included;
 * - last, every finished line loses Bot API tokens (`<id>:<secret>`, also inside URLs) and the values
 *   of the variables declared `secret: true` (core/env.ts).
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions, type TransportSingleOptions } from 'pino';
import { defineConfig, env } from './env.js';
import { logMethod, PERSONAL_KEYS, REDACTED, redactLogObject, safeErrorSerializer, scrubLine } from './redact.js';

export { describeError, REDACTED, redactLogObject, scrubText } from './redact.js';

const loadLogConfig = defineConfig('logging', {
  LOG_LEVEL: env.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, {
    default: 'info',
    doc: 'Minimum level of the logs on stdout (pino): fatal, error, warn, info, debug, trace or silent.',
  }),
  LOG_FORMAT: env.oneOf(['auto', 'json', 'pretty'] as const, {
    default: 'auto',
    doc: 'json: one JSON object per line; pretty: coloured lines for people; auto: pretty when stdout is a terminal, JSON otherwise.',
  }),
});

/** Pino's options: core/redact.ts's redaction, and `redact` paths for the personal keys at the top and one level down. */
export function logOptions(level: string): LoggerOptions {
  return {
    level,
    base: undefined,
    formatters: { log: redactLogObject },
    serializers: { err: safeErrorSerializer, error: safeErrorSerializer },
    redact: { paths: [...PERSONAL_KEYS].flatMap((k) => [k, `*.${k}`]), censor: REDACTED },
    hooks: {
      logMethod: logMethod as NonNullable<NonNullable<LoggerOptions['hooks']>['logMethod']>,
      // Last guard over the whole line (the message, bindings, fastify's request): tokens and secret values.
      streamWrite: scrubLine,
    },
  };
}

const config = loadLogConfig();
/** Whether logs go out as lines for a person (so start-up can print plain text beside them). */
export const prettyLogs = config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY === true);
const prettyTransport: TransportSingleOptions = {
  target: 'pino-pretty',
  options: { colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', messageKey: 'msg', singleLine: true },
};

/** The process's logger; with a destination (a test's buffer), JSON lines go there instead of stdout. */
export function createLogger(destination?: DestinationStream, o: { level?: string } = {}): Logger {
  const options = logOptions(o.level ?? config.LOG_LEVEL);
  return destination ? pino(options, destination) : pino({ ...options, ...(prettyLogs ? { transport: prettyTransport } : {}) });
}

export const rootLogger: Logger = createLogger();

export function logger(component: string): Logger {
  return rootLogger.child({ component });
}
export type { Logger };
