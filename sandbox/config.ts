/** Configuration of the standalone sandbox (`npm run sandbox`) and of `npm start` without BOT_TOKEN. */
import { defineConfig, env } from '../core/env.js';

export const loadSandboxConfig = defineConfig('sandbox', {
  SANDBOX_PORT: env.int({ default: 8081, min: 0, max: 65535, doc: 'Port of the local Telegram Bot API sandbox (0 = random).' }),
  SANDBOX_HOST: env.string({ default: '127.0.0.1', doc: 'Interface the sandbox listens on.' }),
  SANDBOX_FLOOD_LIMITS: env.bool({
    default: false,
    doc: "Enforce Telegram's flood limits in the sandbox (30 msg/s per bot, 20 msg/min per group, ~1 msg/s per private chat) with 429 retry_after.",
  }),
});

export type SandboxConfig = ReturnType<typeof loadSandboxConfig>;
