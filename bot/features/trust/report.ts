/**
 * A report of a fake account (issue 17, item 5), one home for the chat's prompt (feature.ts) and the Mini App
 * (bot/miniapp/api/report-fake.ts): the escalation chat (team leads) is told — HTML-escaped, a forwarded message
 * forwarded after it — and `fake_reported(reason)` is counted in the spam/phishing share. The event never carries
 * the account, the log only the reason.
 */
import type { MessageOrigin } from 'grammy/types';
import { loadAlertsConfig } from '../../alerts/config.js';
import type { Desk } from '../../context.js';
import { escapeHtml } from '../../telegram/present.js';

export interface FakeReport {
  kind: 'username' | 'forward';
  /** What the escalation chat is told about the account (not escaped yet). */
  account: string;
  /** kind 'forward': the customer's message forwarded from the account, shown to the team leads after the report. */
  forwarded?: { chatId: number; messageId: number };
}

/** @username or a t.me/username link (a bare word is an ordinary message: the prompt asks for the @). */
const USERNAME = /(?:@|(?:https?:\/\/)?t(?:elegram)?\.me\/)([A-Za-z][A-Za-z0-9_]{3,31})\b/;

/** The account a text names (@username or a t.me link), if any. */
export function namedAccount(text: string): string | undefined {
  const m = USERNAME.exec(text);
  return m ? `@${m[1]}` : undefined;
}

/** Who a forwarded message came from, as the team leads need it: username, name and id. */
export function originOf(o: MessageOrigin): string {
  switch (o.type) {
    case 'user':
      return [o.sender_user.username ? `@${o.sender_user.username}` : undefined, o.sender_user.first_name, `id ${o.sender_user.id}`]
        .filter(Boolean)
        .join(' · ');
    case 'hidden_user':
      return `${o.sender_user_name} (hidden account)`;
    case 'chat':
      return [
        o.sender_chat.username ? `@${o.sender_chat.username}` : undefined,
        'title' in o.sender_chat ? o.sender_chat.title : undefined,
        `id ${o.sender_chat.id}`,
      ]
        .filter(Boolean)
        .join(' · ');
    case 'channel':
      return [o.chat.username ? `@${o.chat.username}` : undefined, o.chat.title, `id ${o.chat.id}`].filter(Boolean).join(' · ');
  }
}

/** Tells the escalation chat and counts the report (on the customer's open ticket, if any). */
export async function reportFakeAccount(desk: Desk, o: { customerId: number; language: string; report: FakeReport; at: Date }): Promise<void> {
  const { report } = o;
  const a = loadAlertsConfig();
  const where = a.ESCALATION_THREAD_ID ? { message_thread_id: a.ESCALATION_THREAD_ID } : {};
  const key = report.kind === 'forward' ? 'trust-fake-reported-forward' : 'trust-fake-reported';
  await desk.api.sendMessage(a.ESCALATION_CHAT_ID, desk.agentText(key, { account: escapeHtml(report.account) }), { parse_mode: 'HTML', ...where });
  if (report.forwarded)
    await desk.api.forwardMessage(a.ESCALATION_CHAT_ID, report.forwarded.chatId, report.forwarded.messageId, where).catch((err: unknown) => {
      desk.log.warn({ err }, 'could not forward a reported message to the escalation chat');
    });
  const open = await desk.tickets.findOpen(o.customerId);
  const at = o.at.toISOString();
  await desk.db.transaction(async (tx) => {
    if (open) await desk.outbox.appendForTicket(tx, open, [{ type: 'fake_reported', occurred_at: at, reason: report.kind }]);
    else await desk.outbox.append(tx, [{ type: 'fake_reported', occurred_at: at, customer_id: o.customerId, language: o.language, reason: report.kind }]);
  });
  desk.log.info({ event: 'fake_reported', reason: report.kind }, 'fake account reported');
}
