/**
 * The Bot API surface: `/bot<token>/<method>` (and grammY's test environment
 * `/bot<token>/test/<method>`) over GET query, JSON, urlencoded or multipart,
 * answering `{ok, result}` / `{ok:false, error_code, description, parameters?}`
 * with the HTTP status equal to error_code, as api.telegram.org does.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BotApiError, TelegramErrors } from './errors.js';
import { SANDBOX_TOKEN, TOKEN_PATTERN } from './identities.js';
import { findMethod } from './methods/index.js';
import { boundaryOf, parseMultipart, type MultipartBody } from './multipart.js';
import { Params } from './params.js';
import type { World } from './world.js';
import type { Logger } from '../core/log.js';

const BOT_PATH = /^\/bot([^/]*)\/(?:test\/)?([^/?]*)/;
const FILE_PATH = /^\/file\/bot([^/]*)\/(.+)$/;

/** Telegram accepts uploads up to 50 MB; allow some headroom for multipart framing. */
const BODY_LIMIT = 60 * 1024 * 1024;

/**
 * The Bot API routes as an encapsulated plugin, with their own body parsers and
 * error shape, so they can also be mounted on another fastify instance
 * (the alerts' test harness does).
 */
export function botApiRoutes(world: World, log: Logger) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (req, body, done) => {
      const boundary = boundaryOf(String(req.headers['content-type']));
      if (!boundary) return done(Object.assign(new Error('multipart boundary missing'), { statusCode: 400 }), undefined);
      done(null, parseMultipart(body as Buffer, boundary));
    });
    world.webhook.executeReply = async (name, payload) => {
      const method = findMethod(name);
      if (!method) return;
      world.stats.countCall(method.name);
      await method.fn({ world, params: new Params(payload), onCancel: () => undefined });
    };
    // Bodies that cannot be parsed get Telegram's error shape.
    app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
      const status = err.statusCode === 413 ? 413 : err.statusCode && err.statusCode < 500 ? 400 : 500;
      if (status === 500) log.error({ err, url: req.url }, 'sandbox request failed');
      const description = status === 413 ? 'Request Entity Too Large' : status === 400 ? `Bad Request: ${err.message}` : 'Internal Server Error';
      return reply.code(status).send({ ok: false, error_code: status, description });
    });
    app.route({
      method: ['GET', 'POST'],
      url: '/*',
      handler: async (req, reply) => {
        const path = req.url.split('?')[0]!;
        const file = FILE_PATH.exec(path);
        if (file) return serveFile(world, decodeURIComponent(file[1]!), reply);
        const m = BOT_PATH.exec(path);
        if (!m) return send(reply, TelegramErrors.notFound());
        return handleCall(world, log, decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), req, reply);
      },
    });
  };
}

/** Telegram answers 404 for a path that is not a token, 401 for a well-formed token it does not know. */
function checkToken(world: World, token: string): BotApiError | undefined {
  if (!TOKEN_PATTERN.test(token)) return TelegramErrors.notFound();
  if (world.strictToken && token !== SANDBOX_TOKEN) return TelegramErrors.unauthorized();
  return undefined;
}

async function handleCall(world: World, log: Logger, token: string, methodName: string, req: FastifyRequest, reply: FastifyReply) {
  const tokenError = checkToken(world, token);
  if (tokenError) return send(reply, tokenError);
  const method = findMethod(methodName);
  world.stats.countCall(method?.name ?? methodName);
  if (!method) return send(reply, TelegramErrors.notFound(), world);
  const fault = world.faults.take(method.name);
  if (fault) world.stats.countFault(method.name);
  if (fault && !fault.afterEffect) {
    if (fault.drop) return dropConnection(reply);
    if (fault.error) return send(reply, fault.error, world);
  }
  const params = paramsOf(req);
  const cancels: Array<() => void> = [];
  const onClose = () => {
    if (!reply.raw.writableFinished) for (const c of cancels) c();
  };
  reply.raw.once('close', onClose);
  try {
    const result = await method.fn({ world, params, onCancel: (c) => cancels.push(c) });
    // An "after effect" fault: the call happened, but the bot never learns it did.
    if (fault?.drop) return dropConnection(reply);
    if (fault?.error) return send(reply, fault.error, world);
    return send(reply, result);
  } catch (e) {
    if (e instanceof BotApiError) return send(reply, e, world);
    log.error({ err: e, method: method.name }, 'sandbox method failed');
    return send(reply, new BotApiError(500, 'Internal Server Error'), world);
  } finally {
    reply.raw.off('close', onClose);
  }
}

/** Query parameters and body merged, the body winning, as Telegram merges them. */
function paramsOf(req: FastifyRequest): Params {
  const query = (req.query ?? {}) as Record<string, unknown>;
  const body = req.body as unknown;
  if (body && typeof body === 'object' && 'files' in body && (body as MultipartBody).files instanceof Map) {
    const mp = body as MultipartBody;
    return new Params({ ...query, ...mp.fields }, mp.files);
  }
  return new Params({ ...query, ...(body && typeof body === 'object' ? (body as Record<string, unknown>) : {}) });
}

function send(reply: FastifyReply, result: unknown, world?: World) {
  if (result instanceof BotApiError) {
    world?.stats.countError(result.errorCode, result.description);
    return reply.code(result.errorCode).type('application/json').send(JSON.stringify(result.toJSON()));
  }
  return reply
    .code(200)
    .type('application/json')
    .send(JSON.stringify({ ok: true, result }));
}

function dropConnection(reply: FastifyReply) {
  reply.hijack();
  reply.raw.socket?.destroy();
  return reply;
}

function serveFile(world: World, token: string, reply: FastifyReply) {
  const err = checkToken(world, token);
  if (err) return send(reply, err);
  // Placeholder bytes: the sandbox never stores uploaded content.
  return reply.code(200).type('application/octet-stream').send(Buffer.from('sandbox file'));
}
