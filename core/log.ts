/**
 * Structured logs (pino, the logger fastify uses too), one child per component.
 *
 * A person at a terminal gets readable lines (pino-pretty, in a worker thread);
 * anything else — a pipe, a container, a log shipper — gets one JSON object per
 * line. LOG_FORMAT overrides the guess.
 */
import { pino, type Logger, type TransportSingleOptions } from 'pino';
import { defineConfig, env } from './env.js';

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

const config = loadLogConfig();
/** Whether logs go out as lines for a person (so start-up can print plain text beside them). */
export const prettyLogs = config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY === true);
const prettyTransport: TransportSingleOptions = {
  target: 'pino-pretty',
  options: { colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', messageKey: 'msg', singleLine: true },
};

export const rootLogger: Logger = pino({ level: config.LOG_LEVEL, base: undefined, ...(prettyLogs ? { transport: prettyTransport } : {}) });

export function logger(component: string): Logger {
  return rootLogger.child({ component });
}
export type { Logger };
