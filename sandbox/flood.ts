/**
 * Telegram's flood limits as token buckets: about 30 messages per second per
 * bot, 20 messages per minute per group, and about one message per second per
 * private chat with short bursts allowed. Exceeding one answers 429 with the
 * seconds until a token is available — what a bot must honour in production.
 */
import { tooManyRequests, type BotApiError } from './errors.js';

class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  /** Takes a token, or returns how many seconds until one is available. */
  take(now: number): number | undefined {
    // The clock may be moved back through the control API; time never refunds negatively.
    this.tokens = Math.min(this.capacity, this.tokens + (Math.max(0, now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return (1 - this.tokens) / this.perSecond;
  }

  refund(): void {
    this.tokens = Math.min(this.capacity, this.tokens + 1);
  }
}

export interface FloodLimits {
  globalPerSecond: number;
  globalBurst: number;
  groupPerMinute: number;
  privatePerSecond: number;
  privateBurst: number;
}

export const TELEGRAM_FLOOD_LIMITS: FloodLimits = {
  globalPerSecond: 30,
  globalBurst: 30,
  groupPerMinute: 20,
  privatePerSecond: 1,
  privateBurst: 3,
};

export class FloodControl {
  private global: TokenBucket;
  private chats = new Map<number, TokenBucket>();

  constructor(
    private readonly limits: FloodLimits,
    private readonly now: () => number,
  ) {
    this.global = new TokenBucket(limits.globalBurst, limits.globalPerSecond, now());
  }

  /** Accounts one outgoing message to `chatId`; throws 429 when a limit is exceeded. */
  check(chatId: number, isGroup: boolean): BotApiError | undefined {
    const now = this.now();
    let bucket = this.chats.get(chatId);
    if (!bucket) {
      bucket = isGroup
        ? new TokenBucket(this.limits.groupPerMinute, this.limits.groupPerMinute / 60, now)
        : new TokenBucket(this.limits.privateBurst, this.limits.privatePerSecond, now);
      this.chats.set(chatId, bucket);
    }
    const chatWait = bucket.take(now);
    if (chatWait !== undefined) return tooManyRequests(Math.max(1, Math.ceil(chatWait)));
    const globalWait = this.global.take(now);
    if (globalWait !== undefined) {
      bucket.refund();
      return tooManyRequests(Math.max(1, Math.ceil(globalWait)));
    }
    return undefined;
  }

  reset(): void {
    this.chats.clear();
    this.global = new TokenBucket(this.limits.globalBurst, this.limits.globalPerSecond, this.now());
  }
}
