/** TypeBox schemas of the Mini App API (/app/api): validation, serialisation and the OpenAPI document. */
import { Type, type Static } from '@sinclair/typebox';

const IsoTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ErrorBody = Type.Object({ error: Type.String({ description: 'why the request was refused, in words' }) }, { $id: 'AppError' });

export const TicketStatus = Type.Union(['new', 'waiting_agent', 'in_progress', 'waiting_customer', 'resolved'].map((s) => Type.Literal(s)));

export const TicketSummary = Type.Object({
  number: Type.Integer(),
  status: TicketStatus,
  /** The topic's emoji: ❗️ waiting for an answer, 📝 being worked on (an agent answered or took it), 🏁 resolved. */
  status_emoji: Type.String(),
  queue: Type.String(),
  category: Nullable(Type.String()),
  created_at: IsoTime,
  /** When the first answer is expected, while the ticket waits for it; null otherwise. */
  eta: Nullable(IsoTime),
  /** The first-response deadline (SLA) while it waits for the first answer; null otherwise. */
  first_response_due_at: Nullable(IsoTime),
  last_message_at: Nullable(IsoTime),
  /** The last message's text, shortened (120 characters). */
  last_message: Nullable(Type.String()),
  /** Who answers: the agent's first name. */
  agent_first_name: Nullable(Type.String()),
  /** A satisfaction survey was sent for this ticket and can be answered (or changed). */
  survey_open: Type.Boolean(),
  rating: Nullable(Type.Integer()),
});
export type TicketSummary = Static<typeof TicketSummary>;

export const TicketList = Type.Object({ tickets: Type.Array(TicketSummary) });
export const TicketListQuery = Type.Object(
  { status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('all')], { default: 'all' })) },
  { additionalProperties: false },
);

export const Media = Type.Object({ kind: Type.String(), name: Nullable(Type.String()) });
export const MessageItem = Type.Object({
  from: Type.Union([Type.Literal('customer'), Type.Literal('agent'), Type.Literal('bot')]),
  text: Nullable(Type.String()),
  date: IsoTime,
  edited: Type.Boolean(),
  media: Nullable(Media),
  agent_first_name: Nullable(Type.String()),
  /** Written in the app (the rest came through the chat). */
  channel: Type.Union([Type.Literal('chat'), Type.Literal('app')]),
});
export const TicketPage = Type.Object({ ticket: TicketSummary, messages: Type.Array(MessageItem) });

export const NumberParams = Type.Object({ number: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) });

/** A message's text: what a Telegram message can hold. */
const Text = Type.String({ minLength: 1, maxLength: 4000, description: 'the message (1–4000 characters)' });
export const CreateTicketBody = Type.Object(
  {
    category: Type.String({ minLength: 1, maxLength: 64, description: 'a category key or label (case-insensitive), as GET /app/api/meta lists them' }),
    text: Text,
  },
  { additionalProperties: false },
);
export const CreatedTicket = Type.Object({ number: Type.Integer(), created: Type.Boolean({ description: 'false: it joined the open request' }) });
export const MessageBody = Type.Object({ text: Text }, { additionalProperties: false });
export const Accepted = Type.Object({ ok: Type.Literal(true) });
export const RatingBody = Type.Object(
  {
    score: Type.Integer({ minimum: 0, maximum: 10 }),
    survey: Type.Optional(Type.Union([Type.Literal('csat'), Type.Literal('nps')], { default: 'csat', description: 'csat: 1–5, nps: 0–10' })),
  },
  { additionalProperties: false },
);

export const KbSearchQuery = Type.Object(
  { q: Type.String({ maxLength: 500, description: 'the words to look for (≤ 500 characters)' }) },
  { additionalProperties: false },
);
export const ArticleHit = Type.Object({ id: Type.String(), title: Type.String(), snippet: Type.String() });
export const ArticleHits = Type.Object({ articles: Type.Array(ArticleHit) });
/** The help centre's format for the caller: experiment surface kb_format (bot/experiments/, the bot's variant names). */
export const KbFormat = Type.Object({
  variant: Type.Union([Type.Literal('control'), Type.Literal('search')], {
    description: 'control: popular articles as cards; search: search by question (the matching questions to pick from)',
  }),
});
export const ArticleParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\w-]+$' }) });
export const Article = Type.Object({ id: Type.String(), title: Type.String(), body: Type.String({ description: 'Markdown' }), lang: Type.String() });
export const ArticleBody = Type.Object({ article: Article });
export const HelpfulBody = Type.Object({ helpful: Type.Boolean() }, { additionalProperties: false });

const Hhmm = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, 24-hour' });
export const Settings = Type.Object(
  {
    language: Type.String({ minLength: 2, maxLength: 16 }),
    time_zone: Nullable(Type.String({ minLength: 1, maxLength: 64, description: 'an IANA time zone, e.g. Asia/Tehran; null: the desk’s' })),
    quiet_hours: Nullable(Type.Object({ start: Hhmm, end: Hhmm }, { additionalProperties: false })),
    notifications: Type.Object(
      {
        status_updates: Type.Union([Type.Literal('each'), Type.Literal('summary'), Type.Literal('off')], {
          description: 'each: every status message in the chat; summary: only when it is resolved; off: none (the app shows the status)',
        }),
        announcements: Type.Boolean({ description: 'service news (broadcasts)' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type Settings = Static<typeof Settings>;

export const Meta = Type.Object({
  categories: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), queue: Type.String() })),
  languages: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), rtl: Type.Boolean() })),
  /** The bot's username (the app's "ask in the chat" links), and the limits the app should check before sending. */
  bot_username: Nullable(Type.String()),
  limits: Type.Object({ text_max: Type.Integer(), query_max: Type.Integer() }),
  customer: Type.Object({ first_name: Type.String(), language: Type.String() }),
  /** The desk's official Telegram accounts (OFFICIAL_ACCOUNTS, bot/features/trust): how customers tell clones apart. */
  official_accounts: Type.Optional(Type.Array(Type.String())),
});

export const OpenedBody = Type.Object({ start_param: Type.Optional(Type.String({ maxLength: 512 })) }, { additionalProperties: false });
