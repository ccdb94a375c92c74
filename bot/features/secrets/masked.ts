/**
 * A customer's message with a secret in it: the secrets feature masks it and marks the update
 * (`maskUpdate`); the desk's customer handler (features/intake/) then relays the masked text instead of
 * copying the original (`relayMasked`), and an edited message's copy is edited with its masked text.
 * The original is never stored: message_pairs keeps ids, events keep the kind of secret only.
 */
import type { Context } from 'grammy';
import type { Message } from 'grammy/types';
import type { Desk } from '../../context.js';
import type { Ticket } from '../../store/types.js';
import { maskSecrets, type Masked } from './mask.js';

const marks = new WeakMap<object, Masked>();

/** The text or caption of the message, masked; undefined when it holds no secret. */
export function maskMessage(msg: Pick<Message, 'text' | 'caption'>): Masked | undefined {
  const text = msg.text ?? msg.caption;
  if (!text) return undefined;
  const masked = maskSecrets(text);
  return masked.kinds.length ? masked : undefined;
}

export function maskUpdate(ctx: Context, masked: Masked): void {
  marks.set(ctx.update, masked);
}

export function maskedOf(ctx: Context): Masked | undefined {
  return marks.get(ctx.update);
}

/** What the agents see instead of the original: the note, then the masked text. */
export function maskedBody(desk: Desk, masked: Masked): string {
  return `${desk.agentText('secrets-agent-masked')}\n\n${masked.text}`;
}

/** Relays the masked message to the topic and counts it: one secret_masked event per kind. */
export async function relayMasked(desk: Desk, ticket: Ticket, msg: Message, masked: Masked, threadId: number | null): Promise<void> {
  const at = new Date(msg.date * 1000).toISOString();
  await desk.db.transaction((tx) =>
    desk.outbox.appendForTicket(
      tx,
      ticket,
      masked.kinds.map((reason) => ({ type: 'secret_masked' as const, occurred_at: at, reason })),
    ),
  );
  await desk.relay.toTopicMasked(ticket.customer_id, ticket.id, msg, maskedBody(desk, masked), { threadId, checked: true });
}

/** An edit: the copy in the topic gets the masked text (the edited original never reaches it). */
export function maskedEdit(desk: Desk, msg: Message, masked: Masked): Message {
  const body = maskedBody(desk, masked);
  return (msg.text !== undefined ? { ...msg, text: body, entities: undefined } : { ...msg, caption: body, caption_entities: undefined }) as Message;
}
