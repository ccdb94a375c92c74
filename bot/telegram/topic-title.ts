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

/**
 * Invisible and direction-changing characters a customer can put in their
 * name to make a topic title read as something else (a right-to-left
 * override, isolates, zero-width space, BOM, Arabic letter mark), plus C0/C1
 * controls. ZWJ (U+200D) and ZWNJ (U+200C) are in the set too, except where
 * they do real work: a ZWJ inside an emoji sequence (👨‍👩‍👧) and a ZWNJ
 * between two Arabic-script letters (Persian می‌خواهم).
 */
const INVISIBLE = /[\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF\u061C\p{Cc}]/gu;
const EMOJI_ZWJ = /(?<=\p{Extended_Pictographic}[\uFE0F\u{1F3FB}-\u{1F3FF}]?)\u200D(?=\p{Extended_Pictographic})/u;
const PERSIAN_ZWNJ = /(?<=\p{Script=Arabic}\p{M}*)\u200C(?=\p{Script=Arabic})/u;

/** `s` without bidi controls and zero-width characters (joiners kept only inside emoji sequences and Arabic-script words). */
export function stripInvisible(s: string): string {
  const out = s.replace(/[\r\n\t]/g, ' ').replace(INVISIBLE, '');
  // A joiner stays only where the text around it (other controls already gone) needs it.
  return out.replace(/[\u200C\u200D]/g, (j, at: number) => {
    const sticky = new RegExp((j === '\u200D' ? EMOJI_ZWJ : PERSIAN_ZWNJ).source, 'uy');
    sticky.lastIndex = at;
    return sticky.test(out) ? j : '';
  });
}

export function topicTitle(t: { status: TicketStatus; firstName: string; ticketId: number; category?: string | null }): string {
  const name = stripInvisible(t.firstName).replace(/\s+/g, ' ').trim() || '—';
  const category = t.category ? stripInvisible(t.category).replace(/\s+/g, ' ').trim() : '';
  const head = `${STATUS_EMOJI[t.status]} `;
  const tail = ` · #${t.ticketId}${category ? ` · ${category}` : ''}`;
  // The name gives way first; the ticket number and category are what agents scan for.
  const nameBudget = TOPIC_TITLE_MAX_BYTES - utf8Bytes(head) - utf8Bytes(tail);
  if (nameBudget >= 8) return head + truncateUtf8(name, nameBudget) + tail;
  return truncateUtf8(head + name + tail, TOPIC_TITLE_MAX_BYTES);
}
