/**
 * The control API under /sandbox: drives the people around the bot (customers,
 * agents, whoever deletes a topic), injects faults, and shows every chat as its
 * participants see it. Bodies are validated with JSON Schema; errors answer
 * `{error}` with a 4xx status. Documented in sandbox/README.md.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import {
  agentPresses,
  agentWrites,
  ControlError,
  customerChat,
  customerPresses,
  customerPressesKeyboard,
  customerReacts,
  customerWrites,
  groupChat,
  setBlocked,
  setMember,
  userChangesTopic,
  userCreatesTopic,
  userDeletesTopic,
  userEdits,
  type AgentWriteBody,
  type PressBody,
  type WriteBody,
} from './actions.js';
import { schemas } from './control-schemas.js';
import { groupRoutes } from './groups.js';
import type { FaultSpec } from './faults.js';
import { SANDBOX_TOKEN } from './identities.js';
import type { MemberStatus } from './state.js';
import { chatMessages, topicView } from './views.js';
import { launchWebApp, type LaunchOptions } from './webapp.js';
import type { World } from './world.js';

type UserParams = { user_id: number };
type ChatQuery = { chat_id?: number; include_deleted?: boolean; thread_id?: number; since?: number };

export function controlRoutes(world: World, baseUrl: () => string) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.setErrorHandler((err: FastifyError, _req, reply) => {
      if (err instanceof ControlError) return reply.code(err.status).send({ error: err.message });
      if (err.validation) return reply.code(400).send({ error: err.message });
      if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: err.message });
      return reply.code(500).send({ error: err.message });
    });

    app.get('/info', async () => ({
      bot: world.bot,
      token: SANDBOX_TOKEN,
      api_root: baseUrl(),
      chat_ids: world.chatIds,
      webhook: world.webhook.info(),
    }));

    // ---- customers ----
    app.post<{ Params: UserParams; Body: WriteBody }>(
      '/customers/:user_id/messages',
      { schema: { params: schemas.userParams, body: schemas.customerMessage } },
      async (req) => {
        const stored = customerWrites(world, req.params.user_id, req.body);
        return { message_id: stored.message.message_id };
      },
    );

    app.patch<{ Params: UserParams & { message_id: number }; Body: { text?: string; caption?: string; date?: number } }>(
      '/customers/:user_id/messages/:message_id',
      { schema: { params: schemas.userMessageParams, body: schemas.edit } },
      async (req) => {
        const chat = customerChat(world, req.params.user_id);
        const stored = userEdits(world, chat, req.params.user_id, req.params.message_id, req.body);
        return { message_id: stored.message.message_id, edit_date: stored.message.edit_date };
      },
    );

    app.post<{ Params: UserParams & { message_id: number }; Body: { emoji: string[]; date?: number } }>(
      '/customers/:user_id/messages/:message_id/reaction',
      { schema: { params: schemas.userMessageParams, body: schemas.reaction } },
      async (req) => {
        customerReacts(world, req.params.user_id, req.params.message_id, req.body.emoji, req.body.date);
        return { message_id: req.params.message_id, emoji: req.body.emoji };
      },
    );

    app.get<{ Params: UserParams; Querystring: ChatQuery }>(
      '/customers/:user_id/messages',
      { schema: { params: schemas.userParams, querystring: schemas.chatQuery } },
      async (req) => {
        const chat = customerChat(world, req.params.user_id);
        return chatMessages(world, chat, {
          includeDeleted: req.query.include_deleted === true,
          ...(req.query.since !== undefined ? { since: req.query.since } : {}),
        });
      },
    );

    app.get<{ Params: UserParams }>('/customers/:user_id', { schema: { params: schemas.userParams } }, async (req) => {
      const chat = customerChat(world, req.params.user_id);
      return {
        user: chat.user,
        blocked: chat.blocked,
        messages: chat.messages.size,
        ...(chat.replyKeyboard ? { reply_keyboard: chat.replyKeyboard } : {}),
        ...(chat.lastChatAction ? { last_chat_action: chat.lastChatAction } : {}),
      };
    });

    // A customer opens the bot's Mini App (menu button or web_app button): signed launch data and the app's URL.
    app.get<{ Params: UserParams; Querystring: LaunchOptions }>(
      '/customers/:user_id/webapp',
      { schema: { params: schemas.userParams, querystring: schemas.webAppLaunch } },
      async (req) => launchWebApp(world, req.params.user_id, req.query),
    );

    app.post<{ Params: UserParams; Body: PressBody }>(
      '/customers/:user_id/press',
      { schema: { params: schemas.userParams, body: schemas.press } },
      async (req) => customerPresses(world, req.params.user_id, req.body),
    );

    app.post<{ Params: UserParams; Body: PressBody }>(
      '/customers/:user_id/keyboard',
      { schema: { params: schemas.userParams, body: schemas.press } },
      async (req) => {
        const stored = customerPressesKeyboard(world, req.params.user_id, req.body);
        return { message_id: stored.message.message_id };
      },
    );

    app.post<{ Params: UserParams }>('/customers/:user_id/block', { schema: { params: schemas.userParams } }, async (req) => {
      setBlocked(world, req.params.user_id, true);
      return { blocked: true };
    });

    app.post<{ Params: UserParams }>('/customers/:user_id/unblock', { schema: { params: schemas.userParams } }, async (req) => {
      setBlocked(world, req.params.user_id, false);
      return { blocked: false };
    });

    // ---- support group ----
    app.post<{ Body: AgentWriteBody }>('/support/messages', { schema: { body: schemas.supportMessage } }, async (req) => {
      const stored = agentWrites(world, req.body);
      return {
        message_id: stored.message.message_id,
        ...(stored.message.message_thread_id !== undefined ? { thread_id: stored.message.message_thread_id } : {}),
      };
    });

    app.patch<{ Params: { message_id: number }; Body: { text?: string; caption?: string; date?: number; chat_id?: number } }>(
      '/support/messages/:message_id',
      { schema: { params: schemas.messageParams, body: schemas.supportEdit } },
      async (req) => {
        const chat = groupChat(world, req.body.chat_id);
        const stored = world.message(chat, req.params.message_id);
        if (!stored) throw new ControlError(404, `message ${req.params.message_id} does not exist in chat ${chat.id}`);
        if (stored.fromBot) throw new ControlError(403, 'that message was sent by the bot; agents edit only their own messages');
        userEdits(world, chat, stored.message.from!.id, req.params.message_id, req.body);
        return { message_id: req.params.message_id, edit_date: stored.message.edit_date };
      },
    );

    app.post<{ Body: PressBody & { from_id: number; chat_id?: number; message_id?: number; thread_id?: number; not_member?: boolean } }>(
      '/support/press',
      { schema: { body: schemas.supportPress } },
      async (req) => agentPresses(world, req.body),
    );

    app.post<{ Body: { user_id: number; status: MemberStatus; chat_id?: number; first_name?: string; can_manage_topics?: boolean } }>(
      '/support/members',
      { schema: { body: schemas.member } },
      async (req) => {
        setMember(world, req.body);
        return { user_id: req.body.user_id, status: req.body.status };
      },
    );

    // The support (or escalation) chat's own settings: is_forum false is a group without topics, for the desk's self-check tests.
    app.patch<{ Body: { chat_id?: number; is_forum: boolean } }>('/support/chat', { schema: { body: schemas.chatSettings } }, async (req) => {
      const chat = groupChat(world, req.body.chat_id);
      if (req.body.is_forum) chat.info.is_forum = true;
      else delete chat.info.is_forum;
      return { chat_id: chat.id, is_forum: chat.info.is_forum === true };
    });

    app.get<{ Querystring: ChatQuery }>('/support/topics', { schema: { querystring: schemas.chatQuery } }, async (req) =>
      [...groupChat(world, req.query.chat_id).topics.values()].map(topicView),
    );

    app.post<{ Body: { from_id: number; chat_id?: number; name: string; icon_color?: number } }>(
      '/support/topics',
      { schema: { body: schemas.topicCreate } },
      async (req) => topicView(userCreatesTopic(world, req.body)),
    );

    app.patch<{ Params: { thread_id: number }; Body: { from_id: number; chat_id?: number; name?: string; closed?: boolean } }>(
      '/support/topics/:thread_id',
      { schema: { params: schemas.threadParams, body: schemas.topicChange } },
      async (req) => {
        userChangesTopic(world, req.params.thread_id, req.body);
        return topicView(groupChat(world, req.body.chat_id).topics.get(req.params.thread_id)!);
      },
    );

    app.delete<{ Params: { thread_id: number }; Querystring: ChatQuery }>(
      '/support/topics/:thread_id',
      { schema: { params: schemas.threadParams, querystring: schemas.chatQuery } },
      async (req) => {
        userDeletesTopic(world, req.params.thread_id, req.query.chat_id);
        return { thread_id: req.params.thread_id, deleted: true };
      },
    );

    // ---- any chat ----
    app.get<{ Params: { chat_id: number }; Querystring: ChatQuery }>(
      '/chats/:chat_id/messages',
      { schema: { params: schemas.chatParams, querystring: schemas.chatQuery } },
      async (req) => {
        const chat = world.chats.get(req.params.chat_id);
        if (!chat) throw new ControlError(404, `chat ${req.params.chat_id} does not exist`);
        return chatMessages(world, chat, {
          includeDeleted: req.query.include_deleted === true,
          ...(req.query.thread_id !== undefined ? { threadId: req.query.thread_id } : {}),
          ...(req.query.since !== undefined ? { since: req.query.since } : {}),
        });
      },
    );

    // Pending updates, without confirming them (debugging tests).
    app.get('/updates', async () => world.updates.peek(100));

    // ---- faults, stats, reset ----
    app.post<{ Body: FaultSpec }>('/faults', { schema: { body: schemas.fault } }, async (req) => {
      if (req.body.error_code === undefined && !req.body.drop) throw new ControlError(400, 'a fault needs error_code, or drop: true');
      return world.faults.add(req.body);
    });
    app.get('/faults', async () => world.faults.list());
    app.delete('/faults', async () => {
      world.faults.clear();
      return { cleared: true };
    });

    app.get('/stats', async () => ({
      calls: world.stats.calls,
      faults_served: world.stats.faultsServed,
      too_many_requests: world.stats.tooManyRequests,
      flood_limited: world.stats.floodLimited,
      errors: world.stats.errors,
      updates: { queued: world.updates.queuedTotal, pending: world.updates.pendingCount },
      webhook: { delivered: world.webhook.deliveredTotal, failed: world.webhook.failedTotal },
      chats: world.chats.size,
      messages: [...world.chats.values()].reduce((n, c) => n + c.messages.size, 0),
    }));

    const clockView = () => ({ now: world.unixNow(), offset_seconds: world.clockOffsetSeconds });
    app.get('/clock', async () => clockView());
    app.put<{ Body: { unix?: number; advance_seconds?: number } }>('/clock', { schema: { body: schemas.clock } }, async (req) => {
      world.setClock({
        ...(req.body.unix !== undefined ? { unix: req.body.unix } : {}),
        ...(req.body.advance_seconds !== undefined ? { advanceSeconds: req.body.advance_seconds } : {}),
      });
      return clockView();
    });

    app.post('/reset', async () => {
      world.reset();
      return { reset: true };
    });

    // ---- other groups (a community chat): created, joined, asked to join (sandbox/groups.ts) ----
    groupRoutes(app, world);

    app.all('/*', async (req, reply) => reply.code(404).send({ error: `no control endpoint ${req.method} ${req.url.split('?')[0]} (see sandbox/README.md)` }));
  };
}
