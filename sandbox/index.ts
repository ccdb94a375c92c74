/** Public entry of the sandbox: start it in-process and drive it with the control client. */
export { startSandbox, type RunningSandbox, type SandboxOptions } from './server.js';
export { DEFAULT_PERSIST_LIMITS, type PersistLimits } from './persistence.js';
export { SandboxClient, SandboxControlError, SandboxTimeoutError } from './client.js';
export type * from './client.js';
export {
  SANDBOX_TOKEN,
  SANDBOX_BOT_ID,
  SANDBOX_BOT_USERNAME,
  DEFAULT_SUPPORT_CHAT_ID,
  DEFAULT_ESCALATION_CHAT_ID,
  type SandboxChatIds,
} from './identities.js';
export { TOPIC_ICON_COLORS, MAX_TOPIC_NAME } from './topics.js';
