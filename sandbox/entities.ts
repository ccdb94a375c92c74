/**
 * Entities Telegram's clients and servers detect in plain text: bot commands,
 * URLs, mentions, hashtags, e-mail addresses. Offsets and lengths are UTF-16
 * code units, which is exactly what JavaScript string indices are.
 */
import type { MessageEntity } from 'grammy/types';

const PATTERNS: { type: MessageEntity['type']; re: RegExp }[] = [
  // A command starts a word: "/start", "/take@support_desk_bot".
  { type: 'bot_command', re: /(?<![\w/@])\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])/g },
  { type: 'email', re: /(?<![\w.@])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w@])/g },
  {
    type: 'url',
    re: /(?<![\w@/])(?:https?:\/\/[^\s<>"]+|www\.[^\s<>"]+|(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|app|ru|me|co|info|biz|xyz|ai)(?:\/[^\s<>"]*)?)(?<![.,;:!?)\]'"])/gi,
  },
  { type: 'mention', re: /(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}(?!\w)/g },
  { type: 'hashtag', re: /(?<![\w#])#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*/gu },
];

/** Auto-detected entities, non-overlapping, ordered by offset. */
export function detectEntities(text: string): MessageEntity[] {
  const found: MessageEntity[] = [];
  for (const { type, re } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const offset = m.index;
      const length = m[0].length;
      if (found.some((e) => offset < e.offset + e.length && e.offset < offset + length)) continue;
      found.push({ type, offset, length } as MessageEntity);
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}

/** Merges explicit (formatting) entities with detected ones that do not overlap them. */
export function withDetectedEntities(text: string, explicit: MessageEntity[] | undefined): MessageEntity[] | undefined {
  const detected = detectEntities(text).filter(
    (d) =>
      !(explicit ?? []).some(
        (e) =>
          (e.type === 'url' || e.type === 'text_link' || e.type === 'text_mention' || e.type === 'code' || e.type === 'pre') &&
          d.offset < e.offset + e.length &&
          e.offset < d.offset + d.length,
      ),
  );
  const all = [...(explicit ?? []), ...detected].sort((a, b) => a.offset - b.offset || b.length - a.length);
  return all.length ? all : undefined;
}
