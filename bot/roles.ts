/**
 * Staff roles and the one authorisation function (issue 17, item 1).
 *
 *   agent      — a member of the support group: not restricted, not left or kicked (AgentDirectory,
 *                getChatMember cached by AGENT_CACHE_TTL and forgotten when a chat_member update arrives)
 *   team lead  — TEAM_LEAD_IDS (ALERT_TEAM_LEAD_IDS is its older name); unset: the support group's administrators
 *   admin      — ADMIN_IDS; unset: the support group's administrators (getChatAdministrators, cached likewise)
 *
 * An admin may do what a team lead may. `ACTION_ROLE` says which role each action needs; the one check
 * that applies it to an update is `authorize` in bot/role-guard.ts (a service the context holds lives here;
 * what reads the context lives there, so the context's types never import back into a composer).
 */
import { GrammyError, type Api } from 'grammy';
import type { AgentDirectory } from './telegram/agents.js';

export type Role = 'agent' | 'team_lead' | 'admin';

export type Action =
  | 'ticket' // take, reply, note, resolve, reopen, escalate, release, macros, KB links, alerts' Take
  | 'broadcast'
  | 'broadcast_urgent'
  | 'ban'
  | 'mute'
  | 'config' // experiment and configuration commands
  | 'incident' // open, update and resolve incidents; confirm or dismiss a suspected one (bot/features/incidents)
  | 'report' // /report: the weekly report on demand (bot/features/weekly-report)
  | 'audit'
  | 'privacy' // /forget: erase a customer's data (bot/features/privacy)
  | 'roles';

export const ACTION_ROLE: Readonly<Record<Action, Role>> = {
  ticket: 'agent',
  broadcast: 'team_lead',
  broadcast_urgent: 'team_lead',
  ban: 'team_lead',
  mute: 'team_lead',
  config: 'team_lead',
  incident: 'team_lead',
  report: 'team_lead',
  audit: 'admin',
  privacy: 'admin',
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
  experiments: 'config',
  forget: 'privacy',
  incident: 'incident',
  report: 'report',
  link: 'ticket',
  unlink: 'ticket',
};

/** Staff buttons (callback data prefix) → action. */
export const CALLBACK_ACTION: ReadonlyArray<readonly [RegExp, Action]> = [
  [/^desk:/, 'ticket'],
  [/^privacy:(forget|keep)$/, 'privacy'],
  [/^alerts:take:/, 'ticket'],
  [/^urgent:expert:/, 'ticket'],
  [/^alerts:(mute|unmute):/, 'mute'],
  [/^bc:urgent:/, 'broadcast_urgent'],
  [/^inc:(ok|no):/, 'incident'],
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
