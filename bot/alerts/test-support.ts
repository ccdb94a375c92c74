/**
 * Test harness for the alerts: the real sandbox (startSandbox on a random
 * loopback port) with a grammY Api pointed at it, its control client, and a
 * synchronous reader of what landed in a chat.
 */
import { Api } from 'grammy';
import { DEFAULT_ESCALATION_CHAT_ID } from '../../sandbox/identities.js';
import { SandboxClient, startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import { chatMessages, type MessageView } from '../../sandbox/views.js';
import type { World } from '../../sandbox/world.js';

export interface SandboxHarness {
  sandbox: RunningSandbox;
  client: SandboxClient;
  world: World;
  api: Api;
  apiRoot: string;
  /** Messages in a chat (default: the escalation chat), oldest first. */
  messages(chatId?: number): MessageView[];
  close(): Promise<void>;
}

export async function startSandboxHarness(): Promise<SandboxHarness> {
  const sandbox = await startSandbox({ port: 0 });
  const api = new Api(sandbox.token, { apiRoot: sandbox.apiRoot });
  return {
    sandbox,
    client: new SandboxClient(sandbox.url),
    world: sandbox.world,
    api,
    apiRoot: sandbox.apiRoot,
    messages: (chatId = DEFAULT_ESCALATION_CHAT_ID) => {
      const chat = sandbox.world.chats.get(chatId);
      return chat ? chatMessages(sandbox.world, chat) : [];
    },
    close: () => sandbox.close(),
  };
}
