/**
 * Test harness for the alerts: the sandbox's Bot API (its World and routes, on
 * a random loopback port) with a grammY Api pointed at it, and a reader of
 * what landed in a chat.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { Api } from 'grammy';
import { logger } from '../../core/log.js';
import { botApiRoutes } from '../../sandbox/bot-api-plugin.js';
import { SANDBOX_TOKEN, DEFAULT_ESCALATION_CHAT_ID } from '../../sandbox/identities.js';
import { chatMessages, type MessageView } from '../../sandbox/views.js';
import { World } from '../../sandbox/world.js';

export interface SandboxHarness {
  world: World;
  api: Api;
  apiRoot: string;
  /** Messages in a chat (default: the escalation chat), oldest first. */
  messages(chatId?: number): MessageView[];
  close(): Promise<void>;
}

export async function startSandboxHarness(): Promise<SandboxHarness> {
  const world = new World();
  const app: FastifyInstance = Fastify();
  await app.register(botApiRoutes(world, logger('sandbox')));
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const api = new Api(SANDBOX_TOKEN, { apiRoot: address });
  return {
    world,
    api,
    apiRoot: address,
    messages: (chatId = DEFAULT_ESCALATION_CHAT_ID) => {
      const chat = world.chats.get(chatId);
      return chat ? chatMessages(world, chat) : [];
    },
    close: () => app.close(),
  };
}
