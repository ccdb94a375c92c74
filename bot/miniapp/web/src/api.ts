/**
 * The app's API client: every shape of /app/api in one place (bot/miniapp/api serves them). Every call carries
 * `Authorization: tma <initData>`; a failure becomes an ApiError with the server's reason.
 */

export type TicketStatus = 'new' | 'waiting_agent' | 'in_progress' | 'waiting_customer' | 'resolved';

export interface TicketSummary {
  number: number;
  status: TicketStatus;
  queue: string;
  category: string | null;
  created_at: string;
  /** When an answer is expected (while waiting for an agent); null otherwise. */
  eta: string | null;
  /** The first-response deadline (SLA) while it waits for the first answer. */
  first_response_due_at?: string | null;
  last_message_at: string | null;
  agent_first_name?: string | null;
  /** The last message's text, shortened, when the server gives it. */
  last_message?: string | null;
  survey_open?: boolean;
}

export interface Media {
  /** photo, document, voice, video, sticker, … */
  kind: string;
  name?: string | null;
  url?: string | null;
}

export interface Message {
  from: 'customer' | 'agent' | 'bot';
  text: string | null;
  date: string;
  media?: Media | null;
  agent_first_name?: string | null;
}

export interface TicketPage {
  ticket: TicketSummary;
  messages: Message[];
}

export interface ArticleHit {
  id: string;
  title: string;
  snippet: string;
}

/** The help centre's format (bot/miniapp/api/kb.ts GET /kb/format): control = article cards, search = search by question. */
export type KbFormat = 'control' | 'search';

export interface Article {
  id: string;
  title: string;
  /** Markdown. */
  body: string;
  lang?: string;
}

export type StatusUpdates = 'each' | 'summary' | 'off';

export interface Settings {
  language: string;
  time_zone: string | null;
  quiet_hours: { start: string; end: string } | null;
  notifications: { status_updates: StatusUpdates; announcements: boolean };
}

export interface Category {
  key: string;
  label: string;
}

export interface Meta {
  categories: Category[];
  languages: string[];
  /** The desk's official Telegram accounts (OFFICIAL_ACCOUNTS): anyone else claiming to be support is a fake. */
  officialAccounts: string[];
}

/** The privacy notice and the caller's consent (GET /app/api/consent; CONSENT_VERSION unset: not required). */
export interface ConsentState {
  required: boolean;
  version: string | null;
  notice_url: string | null;
  accepted: boolean;
  accepted_version: string | null;
  accepted_at: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Turns an answer's various shapes (`{categories:[…]}` or a bare list, label objects or strings) into the app's. */
function asMeta(raw: unknown): Meta {
  const r = (raw ?? {}) as { categories?: unknown[]; languages?: unknown[]; official_accounts?: unknown[] };
  const categories = (r.categories ?? []).map((c) =>
    typeof c === 'string' ? { key: c, label: c } : { key: String((c as Category).key), label: String((c as Category).label ?? (c as Category).key) },
  );
  const languages = (r.languages ?? ['en', 'ru', 'fa']).map((l) => (typeof l === 'string' ? l : String((l as { code: string }).code)));
  const officialAccounts = (r.official_accounts ?? []).filter((a): a is string => typeof a === 'string');
  return { categories, languages, officialAccounts };
}

export class Api {
  constructor(
    private readonly initData: string,
    private readonly base = new URL('api/', document.baseURI).pathname,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { authorization: `tma ${this.initData}` };
    // A form (a file) sets its own multipart content type with the boundary.
    const form = body instanceof FormData;
    if (body !== undefined && !form) headers['content-type'] = 'application/json';
    const res = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : form ? body : JSON.stringify(body), signal });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const e = json as { message?: string; error?: string; reason?: string } | undefined;
      throw new ApiError(res.status, e?.reason ?? e?.message ?? e?.error ?? res.statusText);
    }
    return json as T;
  }

  tickets = () => this.call<{ tickets: TicketSummary[] }>('GET', 'tickets').then((r) => r.tickets);
  ticket = (n: number) => this.call<TicketPage>('GET', `tickets/${n}`);
  /** `created: false`: the customer had a request open, and the text joined it (as a message to the bot would). */
  createTicket = (category: string, text: string) => this.call<{ number: number; created?: boolean }>('POST', 'tickets', { category, text });
  reply = (n: number, text: string) => this.call<unknown>('POST', `tickets/${n}/messages`, { text });
  /** A photo or file for the agents' topic (multipart: file, caption, as=document for a picture sent as a file). */
  attach = (n: number, file: File, caption: string, as: 'photo' | 'document') => {
    const form = new FormData();
    form.append('file', file, file.name);
    if (caption) form.append('caption', caption);
    if (as === 'document') form.append('as', 'document');
    return this.call<unknown>('POST', `tickets/${n}/attachments`, form);
  };
  reopen = (n: number) => this.call<unknown>('POST', `tickets/${n}/reopen`, {});
  rate = (n: number, score: number) => this.call<unknown>('POST', `tickets/${n}/rating`, { score });
  search = (q: string, signal?: AbortSignal) =>
    this.call<{ articles: ArticleHit[] }>('GET', `kb/search?q=${encodeURIComponent(q)}`, undefined, signal).then((r) => r.articles);
  /** The help centre's format (A/B surface kb_format): article cards (control) or search by question. */
  kbFormat = () => this.call<{ variant: KbFormat }>('GET', 'kb/format').then((r) => (r.variant === 'search' ? 'search' : 'control'));
  popular = () => this.call<{ articles: ArticleHit[] }>('GET', 'kb/popular').then((r) => r.articles);
  article = (id: string) =>
    this.call<Article | { article: Article }>('GET', `kb/articles/${encodeURIComponent(id)}`).then((r) => ('article' in r ? r.article : r));
  helpful = (id: string, helpful: boolean) => this.call<unknown>('POST', `kb/articles/${encodeURIComponent(id)}/helpful`, { helpful });
  solved = (id: string) => this.call<unknown>('POST', `kb/articles/${encodeURIComponent(id)}/solved`, {});
  settings = () => this.call<Settings>('GET', 'settings');
  saveSettings = (s: Settings) => this.call<Settings>('PUT', 'settings', s);
  meta = () => this.call<unknown>('GET', 'meta').then(asMeta);
  opened = (startParam: string | undefined) => this.call<unknown>('POST', 'opened', startParam ? { start_param: startParam } : {});
  exportMe = () => this.call<unknown>('GET', 'me/export');
  deleteMe = () => this.call<unknown>('DELETE', 'me');
  consent = () => this.call<ConsentState>('GET', 'consent');
  /** Accept the privacy notice of this version (the one GET consent gave). */
  acceptConsent = (version: string) => this.call<ConsentState>('POST', 'consent', { version });
  /** Report an account pretending to be support: its @username or t.me link (the team leads are told). */
  reportFake = (account: string) => this.call<unknown>('POST', 'report-fake', { account });
}
