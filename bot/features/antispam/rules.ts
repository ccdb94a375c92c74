/**
 * What the anti-spam checks look at in a message, kept apart from grammY so
 * the rules read (and test) on their own.
 */
import type { Message } from 'grammy/types';

const MEDIA_KEYS = ['photo', 'video', 'document', 'animation', 'audio', 'voice', 'video_note'] as const;

export function hasMedia(m: Message): boolean {
  return MEDIA_KEYS.some((k) => k in m && (m as unknown as Record<string, unknown>)[k] !== undefined);
}

/** Links as Telegram itself recognised them (url / text_link entities), in text or caption. */
export function hasLink(m: Message): boolean {
  const entities = [...(m.entities ?? []), ...(m.caption_entities ?? [])];
  return entities.some((e) => e.type === 'url' || e.type === 'text_link');
}

/** What makes two messages "the same": normalised text, or the same file. */
export function duplicateKey(m: Message): string | undefined {
  const text = (m.text ?? m.caption ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  const file =
    m.photo?.at(-1)?.file_unique_id ?? m.document?.file_unique_id ?? m.video?.file_unique_id ?? m.voice?.file_unique_id ??
    m.audio?.file_unique_id ?? m.animation?.file_unique_id ?? m.video_note?.file_unique_id ?? m.sticker?.file_unique_id;
  if (!text && !file) return undefined;
  return `${file ?? ''}|${text}`;
}

/** Remembers the last message key per customer, for the duplicate window. */
export class RecentMessages {
  private readonly last = new Map<number, { key: string; at: number }>();

  constructor(private readonly windowMs: number, private readonly maxCustomers = 100_000) {}

  /** True when the same key came from the customer within the window; records the key either way. */
  isRepeat(customerId: number, key: string, at: number): boolean {
    if (this.windowMs <= 0) return false; // duplicates check turned off
    const prev = this.last.get(customerId);
    const repeat = prev !== undefined && prev.key === key && at - prev.at <= this.windowMs;
    // A repeat does not extend the window: someone pasting the same text every minute is let through every window.
    if (!repeat) {
      this.last.delete(customerId);
      this.last.set(customerId, { key, at });
      // Map keeps insertion order: the oldest entry goes first.
      if (this.last.size > this.maxCustomers) this.last.delete(this.last.keys().next().value!);
    }
    return repeat;
  }
}

/** Once-per-window notices, so a flood is answered once, not once per message. */
export class NoticeThrottle {
  private readonly sent = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  shouldNotify(key: string, at: number): boolean {
    const prev = this.sent.get(key);
    if (prev !== undefined && at - prev < this.windowMs) return false;
    this.sent.set(key, at);
    if (this.sent.size > 100_000) this.sent.delete(this.sent.keys().next().value!);
    return true;
  }
}
