/**
 * Staff roles and the one authorisation function (issue 17, item 1).
 *
 *   agent      — a member of the support group: not restricted, not left or kicked (AgentDirectory,
 *                getChatMember cached by AGENT_CACHE_TTL and forgotten when a chat_member update arrives)
 *   team lead  — TEAM_LEAD_IDS (ALERT_TEAM_LEAD_IDS is its older name); unset: the support group's administrators
 *   admin      — ADMIN_IDS; unset: the support group's administrators (getChatAdministrators, cached likewise)
 *
 * An admin may do what a team lead may. `ACTION_ROLE` says which role each action needs; `authorize(ctx,
 * action)` throws a DeskError (`role-<role>`) the desk's error boundary answers with the reason.
 * `roleGuard()` (installed once in bot/app.ts, before every composer) maps each staff command and button
 * to its action (`actionOf`) and authorises it, so no handler repeats the check.
 */
import { Composer, GrammyError, type Api } from 'grammy';
import type { BotContext } from './context.js';
import type { AgentDirectory } from './telegram/agents.js';
import { DeskError } from './tickets/errors.js';

export type Role = 'agent' | 'team_lead' | 'admin';

export type Action =
  | 'ticket' // take, reply, note, resolve, reopen, escalate, release, macros, KB links, alerts' Take
  | 'broadcast'
  | 'broadcast_urgent'
  | 'ban'
  | 'mute'
  | 'config' // experiment and configuration commands
  | 'audit'
  | 'roles';

export const ACTION_ROLE: Readonly<Record<Action, Role>> = {
  ticket: 'agent',
  broadcast: 'team_lead',
  broadcast_urgent: 'team_lead',
  ban: 'team_lead',
  mute: 'team_lead',
  config: 'team_lead',
  audit: 'admin',
  roles: 'admin',
};

/** Staff commands → action. Commands not listed here are not staff actions (customers', /help, /sla…). */
export const COMMAND_ACTION: Readonly<Record<string, Action>> = {
  take: 'ticket',
  resolve: 'ticket',
  reopen: 'ticket',
  note: 'ticket',
  escalate: 'ticket',
  m: 'ticket',
  find_kb: 'ticket',
  ban: 'ban',
  unban: 'ban',
  broadcast: 'broadcast',
  audit: 'audit',
};

/** Staff buttons (callback data prefix) → action. */
export const CALLBACK_ACTION: ReadonlyArray<readonly [RegExp, Action]> = [
  [/^desk:/, 'ticket'],
  [/^alerts:take:/, 'ticket'],
  [/^alerts:(mute|unmute):/, 'mute'],
  [/^bc:urgent:/, 'broadcast_urgent'],
  [/^bc:/, 'broadcast'],
];

const ADMIN_STATUSES = new Set(['creator', 'administrator']);

export class StaffRoles {
  private admins: { ids: ReadonlySet<number>; until: number } | undefined;

  constructor(
    private readonly o: {
      api: Api;
      agents: AgentDirectory;
      supportChatId: number;
      teamLeadIds: ReadonlySet<number>;
      adminIds: ReadonlySet<number>;
      cacheTtlMs: number;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  /** The support group's administrators (creator included), cached for the agent cache's TTL. */
  async groupAdministrators(): Promise<ReadonlySet<number>> {
    if (this.admins && this.admins.until > this.now()) return this.admins.ids;
    let ids = new Set<number>();
    try {
      const list = await this.o.api.getChatAdministrators(this.o.supportChatId);
      ids = new Set(list.filter((m) => ADMIN_STATUSES.has(m.status) && !m.user.is_bot).map((m) => m.user.id));
    } catch (e) {
      if (!(e instanceof GrammyError && e.error_code === 400)) throw e;
    }
    this.admins = { ids, until: this.now() + this.o.cacheTtlMs };
    return ids;
  }

  async isAdmin(userId: number): Promise<boolean> {
    if (this.o.adminIds.size > 0) return this.o.adminIds.has(userId);
    return (await this.groupAdministrators()).has(userId);
  }

  async isTeamLead(userId: number): Promise<boolean> {
    if (this.o.teamLeadIds.size > 0 ? this.o.teamLeadIds.has(userId) : (await this.groupAdministrators()).has(userId)) return true;
    return this.isAdmin(userId);
  }

  async has(userId: number, role: Role): Promise<boolean> {
    if (role === 'agent') return this.o.agents.isAgent(userId);
    if (role === 'team_lead') return this.isTeamLead(userId);
    return this.isAdmin(userId);
  }

  /** A chat_member update of the support group: the user's membership and the administrators list are asked again. */
  invalidate(userId: number): void {
    this.o.agents.invalidate(userId);
    this.admins = undefined;
  }
}

/** The one authorisation check: returns when `ctx.from` may do `action`, else throws the refusal with its reason. */
export async function authorize(ctx: BotContext, action: Action): Promise<void> {
  const role = ACTION_ROLE[action];
  const from = ctx.from;
  if (from && !from.is_bot && !ctx.msg?.sender_chat && (await ctx.desk.roles.has(from.id, role))) return;
  throw new DeskError(`role-${role}`, { action });
}

/** The action a staff command or button is, or undefined (customers' private chats, other messages). */
export function actionOf(ctx: BotContext): Action | undefined {
  const chat = ctx.chat ?? ctx.callbackQuery?.message?.chat;
  if (!chat || chat.type === 'private') return undefined;
  const data = ctx.callbackQuery?.data;
  if (data !== undefined) return CALLBACK_ACTION.find(([re]) => re.test(data))?.[1];
  const text = ctx.msg?.text;
  const m = text ? /^\/([A-Za-z0-9_]+)(?:@(\S+))?(?:\s|$)/.exec(text) : null;
  if (!m) return undefined;
  if (m[2] !== undefined && m[2].toLowerCase() !== ctx.me.username.toLowerCase()) return undefined;
  return COMMAND_ACTION[m[1]!.toLowerCase()];
}

/**
 * Before every composer: keeps the role caches fresh from the support group's chat_member updates and
 * authorises every staff command and button. Inside the error boundary, so a refusal is answered.
 */
export function roleGuard(): Composer<BotContext> {
  const guard = new Composer<BotContext>();
  guard.on('chat_member', async (ctx, next) => {
    if (ctx.chat.id === ctx.desk.config.supportChatId) ctx.desk.roles.invalidate(ctx.chatMember.new_chat_member.user.id);
    await next();
  });
  guard.use(async (ctx, next) => {
    const action = actionOf(ctx);
    if (action !== undefined) await authorize(ctx, action);
    await next();
  });
  return guard;
}
