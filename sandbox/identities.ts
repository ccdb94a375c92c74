/**
 * The sandbox's fixed identities (docs/CONTRACTS.md, "Sandbox identities").
 * Every part that runs against the sandbox without a real BOT_TOKEN relies on
 * these exact values.
 */
export const SANDBOX_BOT_ID = 7000000001;
export const SANDBOX_TOKEN = `${SANDBOX_BOT_ID}:sandbox-token`;
export const SANDBOX_BOT_USERNAME = 'support_desk_bot';
export const SANDBOX_BOT_FIRST_NAME = 'Support Desk';
export const DEFAULT_SUPPORT_CHAT_ID = -1002000000001;
export const DEFAULT_ESCALATION_CHAT_ID = -1002000000002;

export interface SandboxChatIds {
  /** The forum supergroup where every customer gets a topic. */
  support: number;
  /** Where critical tickets and monitoring alerts go; also a forum. */
  escalation: number;
}

export const DEFAULT_CHAT_IDS: SandboxChatIds = {
  support: DEFAULT_SUPPORT_CHAT_ID,
  escalation: DEFAULT_ESCALATION_CHAT_ID,
};

/** Telegram's token shape: the bot id, a colon, the secret. */
export const TOKEN_PATTERN = /^(\d+):([A-Za-z0-9_-]+)$/;

export const botUser = () => ({
  id: SANDBOX_BOT_ID,
  is_bot: true as const,
  first_name: SANDBOX_BOT_FIRST_NAME,
  username: SANDBOX_BOT_USERNAME,
});
