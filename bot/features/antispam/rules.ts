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

/**
 * The text or caption with every link replaced by its host, as parts, so the
 * agents can read what a newcomer wrote without a link to click.
 */
export function textWithLinkHosts(m: Message): Array<{ text: string } | { host: string }> {
  const text = m.text ?? m.caption ?? '';
  const entities = (m.text !== undefined ? m.entities : m.caption_entities) ?? [];
  const links = entities.filter((e) => e.type === 'url' || e.type === 'text_link').sort((a, b) => a.offset - b.offset);
  const parts: Array<{ text: string } | { host: string }> = [];
  let at = 0;
  for (const e of links) {
    if (e.offset < at) continue; // overlapping entities: the first one covers it
    if (e.offset > at) parts.push({ text: text.slice(at, e.offset) });
    const url = e.type === 'text_link' ? e.url : text.slice(e.offset, e.offset + e.length);
    parts.push({ host: hostOf(url) });
    // A text_link's own words are what the customer wrote: keep them, the host follows.
    if (e.type === 'text_link') parts.splice(parts.length - 1, 0, { text: `${text.slice(e.offset, e.offset + e.length)} ` });
    at = e.offset + e.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

function hostOf(url: string): string {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `http://${url}`).hostname || '?';
  } catch {
    return '?';
  }
}

/** What makes two messages "the same": normalised text, or the same file. */
export function duplicateKey(m: Message): string | undefined {
  const text = (m.text ?? m.caption ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  const file =
    m.photo?.at(-1)?.file_unique_id ??
    m.document?.file_unique_id ??
    m.video?.file_unique_id ??
    m.voice?.file_unique_id ??
    m.audio?.file_unique_id ??
    m.animation?.file_unique_id ??
    m.video_note?.file_unique_id ??
    m.sticker?.file_unique_id;
  if (!text && !file) return undefined;
  return `${file ?? ''}|${text}`;
}

/** Remembers the last message key per customer, for the duplicate window. */
export class RecentMessages {
  private readonly last = new Map<number, { key: string; at: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly maxCustomers = 100_000,
  ) {}

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

/**
 * At most `limit` messages per customer reach the topic in any `windowMs`
 * (a sliding window over message dates). A message over the limit is not
 * dropped: it gets the time its slot frees up — the date of the message sent
 * `limit` slots before it, one window later — and whatever the customer sends
 * while some are still waiting queues behind them, so the topic gets the
 * messages in the order they were sent. An album takes one slot and its parts
 * share their first part's fate.
 *
 * In memory, like any rate limiter here; what waits is durable (held_messages),
 * and `restore` puts it back after a restart. What waits is counted from the
 * store (`setWaiting`) after each hold and release, not guessed here, so a
 * message the desk skipped (a redelivered update) or a release racing a hold
 * never leaves a queue waiting for nothing.
 */
export class RelayWindow {
  /** Per customer: slot times, ascending — past sends and the release times of waiting messages. */
  private readonly slots = new Map<number, number[]>();
  /** Per customer: messages held and not released yet. */
  private readonly waiting = new Map<number, number>();
  /** Album → its first part's release time (null: relayed at once). */
  private readonly albums = new Map<string, number | null>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxCustomers = 100_000,
  ) {}

  /** Undefined: relay now. A time (ms): hold the message until then. */
  admit(customerId: number, at: number, albumId?: string): number | undefined {
    const album = albumId === undefined ? undefined : `${customerId}:${albumId}`;
    const known = album === undefined ? undefined : this.albums.get(album);
    if (known !== undefined) return known ?? undefined;
    const times = (this.slots.get(customerId) ?? []).filter((t) => t > at - this.windowMs);
    let release: number | undefined;
    if (this.waiting.has(customerId) || times.length >= this.limit) {
      const slotFrees = times.length >= this.limit ? times[times.length - this.limit]! + this.windowMs : at;
      release = Math.max(at, times.at(-1) ?? at, slotFrees);
    }
    times.push(release ?? at);
    this.remember(this.slots, customerId, times);
    if (album !== undefined) this.remember(this.albums, album, release ?? null);
    return release;
  }

  /** How many of the customer's messages wait, as stored (after a hold, a release, a restart). */
  setWaiting(customerId: number, count: number): void {
    if (count > 0) this.waiting.set(customerId, count);
    else this.waiting.delete(customerId);
  }

  /** After a restart: the slots (release times) the customer's waiting messages take. */
  restore(customerId: number, slotTimes: readonly number[], messages: number): void {
    this.remember(
      this.slots,
      customerId,
      [...(this.slots.get(customerId) ?? []), ...slotTimes].sort((a, b) => a - b),
    );
    this.setWaiting(customerId, messages);
  }

  private remember<K, V>(map: Map<K, V>, key: K, value: V): void {
    // Map keeps insertion order: re-inserting moves the key last, so the least recently seen goes first.
    map.delete(key);
    map.set(key, value);
    if (map.size > this.maxCustomers) map.delete(map.keys().next().value!);
  }
}

/** At most `limit` per key in any `windowMs`; what is over is refused, not queued. */
export class SlidingLimit {
  private readonly hits = new Map<number, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  allow(key: number, at: number): boolean {
    const times = (this.hits.get(key) ?? []).filter((t) => t > at - this.windowMs);
    const ok = times.length < this.limit;
    if (ok) times.push(at);
    this.hits.delete(key);
    this.hits.set(key, times);
    if (this.hits.size > this.maxKeys) this.hits.delete(this.hits.keys().next().value!);
    return ok;
  }
}
