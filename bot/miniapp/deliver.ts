/**
 * A request or reply written in the Mini App joins the desk exactly as a message to the bot does
 * (features/intake/accept.ts: ticket, card, message_in, receipt, SLA, ETA): its text is masked when it holds
 * a secret (features/secrets/, the same rules and events as in the chat), then sent into the customer's
 * topic — in the customer's relay order — and kept in the ticket's history as the topic saw it.
 */
import { InputFile } from 'grammy';
import type { Desk } from '../context.js';
import { acceptCustomerMessage } from '../features/intake/accept.js';
import { maskSecrets } from '../features/secrets/mask.js';
import { maskedBody } from '../features/secrets/masked.js';
import type { Customer, Ticket } from '../store/types.js';
import { customerLocale } from '../telegram/present.js';

/** Marks a message written in the app for the agents (it is not a copy of a chat message they could reply to). */
export const APP_MARK = '📱';

export async function messageFromApp(
  desk: Desk,
  o: {
    customer: Customer;
    openTicket: Ticket | undefined;
    text: string;
    category?: string;
    at: Date;
    /** An attachment (api/upload.ts): sent as a photo or document with `text` as its caption. */
    file?: { kind: 'photo' | 'document'; name: string; data: Buffer };
  },
): Promise<{ ticket: Ticket; created: boolean }> {
  const { customer, text, at, file } = o;
  const masked = maskSecrets(text);
  const body = masked.kinds.length ? maskedBody(desk, masked) : text;
  return acceptCustomerMessage(desk, {
    customer,
    openTicket: o.openTicket,
    at,
    language: customerLocale(desk.locales, customer, o.openTicket),
    kind: file?.kind ?? 'text',
    textLength: [...text].length,
    channel: 'app',
    ...(o.category !== undefined ? { category: o.category } : {}),
    deliver: (ticket) =>
      desk.relay.exclusive(customer.id, async () => {
        if (masked.kinds.length)
          await desk.db.transaction((tx) =>
            desk.outbox.appendForTicket(
              tx,
              ticket,
              masked.kinds.map((reason) => ({ type: 'secret_masked' as const, occurred_at: at.toISOString(), reason })),
            ),
          );
        const sent = file
          ? await desk.relay.sendFileToTopic(customer.id, file.kind, new InputFile(file.data, file.name), `${APP_MARK} ${body}`.trim())
          : await desk.relay.sendToTopic(customer.id, `${APP_MARK} ${body}`.slice(0, 4096), { link_preview_options: { is_disabled: true } });
        await desk.history.record([
          {
            ticketId: ticket.id,
            customerId: customer.id,
            sender: 'customer',
            text: body || null,
            mediaKind: file?.kind ?? null,
            mediaName: file?.kind === 'document' ? file.name : null,
            chatId: sent.chat.id,
            messageId: sent.message_id,
            channel: 'app',
            // Telegram's date of the topic message, like every other row (the page orders by it).
            at: new Date(sent.date * 1000),
          },
        ]);
      }),
  });
}
