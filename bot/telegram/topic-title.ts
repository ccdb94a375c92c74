/**
 * Forum topic titles: "<status emoji> <first name> · #<ticket> · <category>",
 * at most 128 bytes of UTF-8 (Telegram's limit), cut between grapheme
 * clusters so no emoji or accented letter is split. Pure.
 */
import type { TicketStatus } from '../../schemas/events.js';

export const TOPIC_TITLE_MAX_BYTES = 128;

export const STATUS_EMOJI: Record<TicketStatus, string> = {
  new: '❗️',
  waiting_agent: '❗️',
  in_progress: '📝',
  waiting_customer: '📝',
  resolved: '🏁',
};

const encoder = new TextEncoder();
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
export const utf8Bytes = (s: string): number => encoder.encode(s).length;

/** The longest prefix of `s` (whole graphemes) that, with `suffix`, fits in `maxBytes`. */
export function truncateUtf8(s: string, maxBytes: number, ellipsis = '…'): string {
  if (utf8Bytes(s) <= maxBytes) return s;
  const budget = maxBytes - utf8Bytes(ellipsis);
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(s)) {
    const b = utf8Bytes(segment);
    if (used + b > budget) break;
    out += segment;
    used += b;
  }
  return out.trimEnd() + ellipsis;
}

export function topicTitle(t: { status: TicketStatus; firstName: string; ticketId: number; category?: string | null }): string {
  const name = t.firstName.replace(/\s+/g, ' ').trim() || '—';
  const head = `${STATUS_EMOJI[t.status]} `;
  const tail = ` · #${t.ticketId}${t.category ? ` · ${t.category}` : ''}`;
  // The name gives way first; the ticket number and category are what agents scan for.
  const nameBudget = TOPIC_TITLE_MAX_BYTES - utf8Bytes(head) - utf8Bytes(tail);
  if (nameBudget >= 8) return head + truncateUtf8(name, nameBudget) + tail;
  return truncateUtf8(head + name + tail, TOPIC_TITLE_MAX_BYTES);
}
