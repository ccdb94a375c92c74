/**
 * A request or reply written in the Mini App joins the desk exactly as a message to the bot does
 * (features/intake/accept.ts: ticket, card, message_in, receipt, SLA, ETA): its text is masked when it holds
 * a secret (features/secrets/, the same rules and events as in the chat), then sent into the customer's
 * topic — in the customer's relay order — and kept in the ticket's history as the topic saw it. A text is kept
 * before it is sent, so one the topic cannot take now waits for the repair (pending_deliveries) instead of
 * failing the request; a stop word in it makes the ticket urgent exactly as in the chat (accept.ts).
 */
import { InputFile } from 'grammy';
import type { Desk } from '../context.js';
import { withoutPersonalData } from '../error-boundary.js';
import { acceptCustomerMessage } from '../features/intake/accept.js';
import { maskSecrets } from '../features/secrets/mask.js';
import { maskedBody } from '../features/secrets/masked.js';
import type { StopWordMatch } from '../features/urgent/matcher.js';
import type { Customer, Ticket } from '../store/types.js';
import { APP_MARK } from '../telegram/relay.js';
import { customerLocale } from '../telegram/present.js';
import { AppError } from './api/context.js';

export { APP_MARK };

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
    /** The stop word the text holds (features/urgent/ stopWordIn): the ticket turns urgent, as in the chat. */
    stopWord?: StopWordMatch | undefined;
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
    stopWord: o.stopWord,
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
        const row = {
          ticketId: ticket.id,
          customerId: customer.id,
          sender: 'customer' as const,
          text: body || null,
          mediaKind: file?.kind ?? null,
          mediaName: file?.kind === 'document' ? file.name : null,
          channel: 'app' as const,
        };
        if (!file) {
          // Kept first, then sent: when the topic cannot be reached (Telegram down, the topic cannot be
          // created) it waits for the repair (bot/delivery-repair.ts) and the request still succeeds.
          // In whole seconds, as Telegram dates every other row (the page orders by it, then by row).
          const id = await desk.history.insert({ ...row, at: new Date(Math.floor(at.getTime() / 1000) * 1000) });
          if (id !== undefined) await desk.relay.deliverWritten(customer.id, ticket.id, id);
          return;
        }
        // The file's bytes are not kept: a failed upload is the client's to send again (nothing is recorded for it).
        const sent = await desk.relay
          .sendFileToTopic(customer.id, file.kind, new InputFile(file.data, file.name), `${APP_MARK} ${body}`.trim())
          .catch((err: unknown) => {
            desk.log.warn({ err: withoutPersonalData(err), ticket: ticket.id }, 'a Mini App attachment could not reach the topic');
            throw new AppError(503, 'the file could not reach the support team right now: send it again in a minute');
          });
        // Telegram's date of the topic message, like every other row (the page orders by it).
        await desk.history.record([{ ...row, chatId: sent.chat.id, messageId: sent.message_id, at: new Date(sent.date * 1000) }]);
      }),
  });
}
