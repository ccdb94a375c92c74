/**
 * The one authorisation of the Mini App API: every /app/api route runs `authenticate` first (the plugin
 * installs it as a preHandler of its whole scope). The caller is who Telegram signed the launch data for:
 * `Authorization: tma <initData>`, checked by core/telegram-webapp.ts (HMAC-SHA256 with the bot token,
 * constant-time, auth_date within WEBAPP_AUTH_MAX_AGE, at most 60 s in the future). The customer's id comes
 * only from the validated `user`; nothing in a path, query or body can name another customer.
 *  - missing header, another scheme, or launch data refused → 401 `{error: <reason>}`;
 *  - a banned customer → 403.
 * A customer who opens the app before ever writing to the bot is created from the signed user (as their
 * first message would).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { validateInitData, type WebAppInitData } from '../../core/telegram-webapp.js';
import type { Desk } from '../context.js';
import type { Customer } from '../store/types.js';

export interface AppCaller {
  customer: Customer;
  initData: WebAppInitData;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the Mini App API's authenticate (bot/miniapp/auth.ts) before any route handler runs. */
    appCaller: AppCaller | null;
  }
}

export class AuthError extends Error {
  constructor(
    readonly statusCode: 401 | 403,
    reason: string,
  ) {
    super(reason);
  }
}

export interface AuthOptions {
  desk: Pick<Desk, 'customers' | 'config'>;
  /** The bot token the launch data must be signed with. */
  botToken: string;
  /** WEBAPP_AUTH_MAX_AGE in seconds (0: no limit). */
  maxAgeSeconds: number;
  now?: () => Date;
}

/** Who the request is from, or an AuthError (401 with the reason, 403 when banned). */
export async function authorizeAppRequest(authorization: string | undefined, o: AuthOptions): Promise<AppCaller> {
  if (!authorization) throw new AuthError(401, 'missing Authorization header (Authorization: tma <initData>)');
  const m = /^(\S+)\s+(\S+)$/.exec(authorization.trim());
  if (!m || m[1]!.toLowerCase() !== 'tma') throw new AuthError(401, 'wrong authorization scheme (Authorization: tma <initData>)');
  const checked = validateInitData(m[2]!, o.botToken, { maxAgeSeconds: o.maxAgeSeconds, ...(o.now ? { now: o.now } : {}) });
  if (!checked.ok) throw new AuthError(401, `init data refused: ${checked.reason}`);
  const user = checked.data.user;
  const known = await o.desk.customers.get(user.id);
  const customer = known ?? (await o.desk.customers.upsert(user, o.desk.config.vipUserIds.has(user.id)));
  if (customer.banned) throw new AuthError(403, 'this account may not use support');
  return { customer, initData: checked.data };
}

/** The preHandler: sets request.appCaller or answers 401/403. */
export function authenticate(o: AuthOptions) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    try {
      req.appCaller = await authorizeAppRequest(req.headers.authorization, o);
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      return void (await reply.code(e.statusCode).send({ error: e.message }));
    }
  };
}

/** The authenticated caller of a route (the preHandler ran: never null inside a handler). */
export function callerOf(req: FastifyRequest): AppCaller {
  if (!req.appCaller) throw new AuthError(401, 'not authenticated');
  return req.appCaller;
}
