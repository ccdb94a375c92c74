/**
 * Webhook delivery: while a webhook is set, queued updates are POSTed to it in
 * order, one at a time, with `X-Telegram-Bot-Api-Secret-Token` when a secret
 * was given. A failed delivery (network error or non-2xx) is retried with
 * growing delays and reported by getWebhookInfo, as Telegram does.
 */
import type { UpdateQueue } from './updates.js';

export interface WebhookSettings {
  url: string;
  secretToken?: string;
  maxConnections: number;
  allowedUpdates?: string[];
}

/** Telegram's WebhookInfo (the fields the sandbox fills). */
export interface WebhookInfo {
  url: string;
  has_custom_certificate: boolean;
  pending_update_count: number;
  max_connections?: number;
  allowed_updates?: string[];
  last_error_date?: number;
  last_error_message?: string;
  ip_address?: string;
}

export class WebhookDeliverer {
  private settings: WebhookSettings | undefined;
  private running = false;
  private unsubscribe: (() => void) | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private lastError: { date: number; message: string } | undefined;
  private generation = 0;
  deliveredTotal = 0;
  failedTotal = 0;
  /**
   * Runs a Bot API method returned in a webhook response body (Telegram's
   * "webhook reply"); set by the Bot API routes, which own the method table.
   */
  executeReply: ((method: string, params: Record<string, unknown>) => Promise<void>) | undefined;

  constructor(
    private readonly queue: UpdateQueue,
    private readonly opts: { retryBaseMs: number; retryMaxMs: number; requestTimeoutMs: number; unixNow: () => number },
  ) {}

  get active(): WebhookSettings | undefined {
    return this.settings;
  }

  set(settings: WebhookSettings): void {
    this.stop();
    this.settings = settings;
    this.lastError = undefined;
    this.unsubscribe = this.queue.onPush(() => this.kick());
    this.kick();
  }

  stop(): void {
    this.generation++;
    this.settings = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.running = false;
  }

  info(): WebhookInfo {
    const s = this.settings;
    const info: WebhookInfo = { url: s?.url ?? '', has_custom_certificate: false, pending_update_count: this.queue.pendingCount };
    if (s) {
      info.max_connections = s.maxConnections;
      info.ip_address = '127.0.0.1';
      if (s.allowedUpdates) info.allowed_updates = s.allowedUpdates;
    }
    if (this.lastError) {
      info.last_error_date = this.lastError.date;
      info.last_error_message = this.lastError.message;
    }
    return info;
  }

  private kick(): void {
    if (this.running || !this.settings || this.retryTimer) return;
    this.running = true;
    void this.drain(this.generation, 0);
  }

  private async drain(generation: number, failures: number): Promise<void> {
    while (generation === this.generation && this.settings) {
      const update = this.queue.first();
      if (!update) break;
      const error = await this.post(this.settings, update);
      if (generation !== this.generation) return;
      if (error === undefined) {
        this.deliveredTotal++;
        failures = 0;
        this.queue.confirm(update.update_id + 1);
        continue;
      }
      this.failedTotal++;
      this.lastError = { date: this.opts.unixNow(), message: error };
      const delay = Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** Math.min(failures, 16));
      this.running = false;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        if (generation !== this.generation) return;
        this.running = true;
        void this.drain(generation, failures + 1);
      }, delay);
      return;
    }
    if (generation === this.generation) this.running = false;
  }

  /** A JSON answer with a `method` field is executed as a Bot API call; its result is not reported back. */
  private async runWebhookReply(contentType: string | null, body: string): Promise<void> {
    if (!this.executeReply || !contentType?.includes('application/json') || body === '') return;
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return;
    }
    if (payload && typeof payload === 'object' && typeof (payload as { method?: unknown }).method === 'string') {
      const { method, ...params } = payload as { method: string } & Record<string, unknown>;
      await this.executeReply(method, params).catch(() => undefined);
    }
  }

  /** Returns undefined on success, else Telegram-style error text. */
  private async post(s: WebhookSettings, update: unknown): Promise<string | undefined> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (s.secretToken) headers['x-telegram-bot-api-secret-token'] = s.secretToken;
    try {
      const res = await fetch(s.url, { method: 'POST', headers, body: JSON.stringify(update), signal: AbortSignal.timeout(this.opts.requestTimeoutMs) });
      const body = await res.text().catch(() => '');
      if (res.ok) {
        await this.runWebhookReply(res.headers.get('content-type'), body);
        return undefined;
      }
      return `Wrong response from the webhook: ${res.status} ${res.statusText}`;
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      if (cause === 'ECONNREFUSED') return 'Connection refused';
      if ((e as Error).name === 'TimeoutError') return 'Read timeout expired';
      return `Failed to connect: ${(e as Error).message}`;
    }
  }
}
