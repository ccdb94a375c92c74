/**
 * The one authorisation function and the guard that applies it (issue 17, item 1): `authorize(ctx, action)`
 * throws a DeskError (`role-<role>`) the desk's error boundary answers with the reason; `roleGuard()`
 * (installed once in bot/app.ts, before every composer) maps each staff command and button to its action
 * (`actionOf`, the tables in bot/roles.ts) and authorises it, so no handler repeats the check.
 */
import { Composer } from 'grammy';
import type { BotContext } from './context.js';
import { ACTION_ROLE, CALLBACK_ACTION, COMMAND_ACTION, type Action } from './roles.js';
import { DeskError } from './tickets/errors.js';

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
