/** What kind of message this is, for message_in/message_out (never the text itself). */
import type { Message } from 'grammy/types';
import type { MessageKind } from '../../schemas/events.js';

const ORDER: MessageKind[] = [
  'text',
  'photo',
  'document',
  'voice',
  'audio',
  'video',
  'video_note',
  'sticker',
  'animation',
  'venue',
  'location',
  'contact',
  'poll',
  'dice',
];

export function messageKind(m: Message): MessageKind {
  // animation messages also carry `document`, and venues carry `location`: check the specific ones first.
  if (m.animation) return 'animation';
  if (m.venue) return 'venue';
  for (const k of ORDER) if ((m as unknown as Record<string, unknown>)[k] !== undefined) return k;
  return 'other';
}

/** Length of the text or caption in characters (for analytics; the text is not kept). */
export function textLength(m: Message): number {
  return [...(m.text ?? m.caption ?? '')].length;
}
