/** Configuration of the standalone sandbox (`npm run sandbox`) and of npm start's demo (scripts/start-mode.ts). */
import { defineConfig, env } from '../core/env.js';

export const loadSandboxConfig = defineConfig('sandbox', {
  SANDBOX_PORT: env.int({ default: 8081, min: 0, max: 65535, doc: 'Port of the local Telegram Bot API sandbox (0 = random).' }),
  SANDBOX_HOST: env.string({
    default: '127.0.0.1',
    form: 'a host name or IP address to listen on (e.g. 127.0.0.1)',
    doc: 'Interface the sandbox listens on. The demo (npm start) refuses a non-loopback one: the control API lets anyone write as any customer or agent.',
  }),
  SANDBOX_FLOOD_LIMITS: env.bool({
    default: false,
    doc: "Enforce Telegram's flood limits in the sandbox (30 msg/s per bot, 20 msg/min per group, ~1 msg/s per private chat) with 429 retry_after.",
  }),
  // The sandbox keeps its world in DATA_DIR/sandbox (declared like every other part's DATA_DIR).
  DATA_DIR: env.string({ default: './data', doc: 'Directory for all embedded state (chDB, PGlite, embedded bus log).' }),
});

export type SandboxConfig = ReturnType<typeof loadSandboxConfig>;
