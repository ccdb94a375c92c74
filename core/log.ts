/** Structured logs (pino, the logger fastify uses too), one child per component. */
import { pino, type Logger } from 'pino';
import { defineConfig, env } from './env.js';

const loadLogConfig = defineConfig('logging', {
  LOG_LEVEL: env.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, { default: 'info', doc: 'Minimum level of the JSON logs on stdout (pino): fatal, error, warn, info, debug, trace or silent.' }),
});

export const rootLogger: Logger = pino({ level: loadLogConfig().LOG_LEVEL, base: undefined });

export function logger(component: string): Logger {
  return rootLogger.child({ component });
}
export type { Logger };
