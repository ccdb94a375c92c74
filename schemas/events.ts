/**
 * The one definition of every event the support desk emits.
 *
 * Events are flat: an envelope every event carries plus a few fields of its
 * own type, so each field maps to one ClickHouse column (schemas/clickhouse).
 * Events carry ids, enums, numbers and times — never names or message text:
 * ClickHouse holds no personal data by default. One exception, staff data not
 * customers': `staff_updated` carries an agent's display name ("Anna K."), which
 * the ingest writes to the `staff` table, never to `events` (NOT_IN_EVENTS_TABLE).
 *
 * Clock rule — every producer follows it:
 *  - `occurred_at`: when the action happened, as well as the desk can know it.
 *    An update that carries a Telegram date (a message, a command, the reply
 *    the bot just sent) uses that date, so a replayed or delayed history lands
 *    where it happened. A button press carries no date (the keyboard message's
 *    date is when the keyboard was *sent*), nor does a timer: those use the
 *    processing time. The ticket service never stamps an event of a ticket
 *    before the ticket's creation (bot/tickets/service.ts `eventTime`).
 *  - `emitted_at`: when the producer wrote the event (the outbox insert).
 *  - `ticket_seq`: the order inside a ticket, which no clock decides. Clocks
 *    disagree: a history replayed with past message dates mixed with presses
 *    processed now, or a backlog Telegram delivers late, puts a later action at
 *    an earlier `occurred_at`. `ticket_seq` is the ticket's `version` (bumped by
 *    every change, bot/store/migrations/002) in the row the event was built
 *    from, written in the same transaction: a change's events carry the version
 *    it produced, an event that changes nothing carries the version it saw.
 *    "Latest value" analytics order by (ticket_seq, occurred_at, event_id);
 *    events written before the field existed read as 0, i.e. earliest.
 */
import { Type, type Static, type TLiteral, type TSchema, type TObject, type TProperties } from '@sinclair/typebox';

export const SCHEMA_VERSION = 1 as const;

const IsoTime = Type.String({ format: 'date-time', description: 'RFC 3339 timestamp, UTC' });
const Uuid = Type.String({ format: 'uuid', description: 'UUIDv7' });
const Seconds = Type.Number({ minimum: 0, description: 'duration in seconds' });
const TelegramId = Type.Integer({ description: 'Telegram user id (not a name)' });
/** A customer as analytics know them: never the Telegram id (bot/store/pseudonyms.ts, issue 17 item 8). */
const CustomerPseudonym = Type.Integer({
  description:
    'pseudonymous customer id, not a Telegram id: HMAC-SHA256 of the Telegram id under a random per-customer key kept only in the desk database, cut to a positive 53-bit integer; stable while the key lives, unlinkable once the customer is erased',
});

export const QUEUES = ['L1', 'L2', 'VIP', 'payments', 'security'] as const;
export const Queue = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$', description: 'queue name, e.g. L1, L2, VIP, payments, security' });
export const TicketStatus = Type.Union([
  Type.Literal('new'),
  Type.Literal('waiting_agent'),
  Type.Literal('in_progress'),
  Type.Literal('waiting_customer'),
  Type.Literal('resolved'),
]);
export type TicketStatus = Static<typeof TicketStatus>;

export const MessageKind = Type.Union(
  ['text', 'photo', 'document', 'voice', 'audio', 'video', 'video_note', 'sticker', 'animation', 'location', 'venue', 'contact', 'poll', 'dice', 'other'].map(
    (k) => Type.Literal(k),
  ),
);
export type MessageKind = Static<typeof MessageKind>;

/** Where a customer acted: the chat with the bot, or the Mini App (bot/miniapp/). */
export const Channel = Type.Union([Type.Literal('chat'), Type.Literal('app')]);
export type Channel = Static<typeof Channel>;

const SlaKind = Type.Union([Type.Literal('first_response'), Type.Literal('resolution')]);

/** Fields every event carries. */
export const Envelope = {
  event_id: Uuid,
  schema_version: Type.Literal(SCHEMA_VERSION),
  occurred_at: IsoTime,
  /** When the producer wrote the event (outbox insert); ClickHouse adds its own ingest time. */
  emitted_at: IsoTime,
  ticket_id: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'ticket number, null for desk-wide events' }),
  /** Creation time of the ticket the event belongs to: lets analytics select a cohort from any event. */
  ticket_created_at: Type.Union([IsoTime, Type.Null()]),
  /**
   * Order inside the ticket (its `version` when the event was written; see the clock rule above).
   * Optional: absent on desk-wide events and on events written before it existed.
   */
  ticket_seq: Type.Optional(Type.Integer({ minimum: 0, maximum: 4_294_967_295, description: 'order of the event inside its ticket (the ticket row version)' })),
  customer_id: Type.Union([CustomerPseudonym, Type.Null()]),
  agent_id: Type.Union([TelegramId, Type.Null()]),
  queue: Type.Union([Queue, Type.Null()]),
  category: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
  language: Type.Union([Type.String({ maxLength: 16 }), Type.Null()]),
};

/** An event type: the envelope, its `type`, and its own fields (which may narrow an envelope field, e.g. a required agent_id). */
function event<T extends string, P extends TProperties>(type: T, props: P, description: string) {
  const properties = { ...Envelope, type: Type.Literal(type), ...props } as Omit<typeof Envelope, keyof P> & { type: TLiteral<T> } & P;
  return Type.Object(properties, { $id: type, description, additionalProperties: false });
}

export const TicketOpened = event(
  'ticket_opened',
  {
    first_response_due_at: IsoTime,
    resolution_due_at: IsoTime,
    /** True when the customer had another ticket resolved in the 7 days before. */
    is_repeat_contact: Type.Boolean(),
    /** Where the customer opened it: a message to the bot, or the Mini App's new-request form (absent before it existed: chat). */
    channel: Type.Optional(Channel),
  },
  'A customer message opened a new ticket',
);
export const MessageIn = event('message_in', { message_kind: MessageKind, text_length: Type.Integer({ minimum: 0 }) }, 'A customer message joined a ticket');
export const MessageOut = event(
  'message_out',
  {
    message_kind: MessageKind,
    is_first_response: Type.Boolean(),
    /** Set on the first human response only: calendar and business-hours seconds since ticket creation. */
    first_response_seconds: Type.Union([Seconds, Type.Null()]),
    first_response_bh_seconds: Type.Union([Seconds, Type.Null()]),
  },
  'An agent reply relayed to the customer',
);
export const BotReply = event(
  'bot_reply',
  {
    reply_kind: Type.Union([Type.Literal('kb'), Type.Literal('receipt'), Type.Literal('auto'), Type.Literal('macro')]),
    kb_article_id: Type.Union([Type.String(), Type.Null()]),
  },
  'An automatic answer from the bot (does not stop the first-response clock)',
);
export const StatusChanged = event('status_changed', { from_status: Type.Union([TicketStatus, Type.Null()]), to_status: TicketStatus }, 'Ticket status moved');
export const TicketAssigned = event('ticket_assigned', { previous_agent_id: Type.Union([TelegramId, Type.Null()]) }, 'An agent took the ticket');
export const QueueChanged = event(
  'queue_changed',
  {
    from_queue: Type.Union([Queue, Type.Null()]),
    to_queue: Queue,
    reason: Type.Union([Type.Literal('routing'), Type.Literal('escalation'), Type.Literal('vip')]),
    first_response_due_at: IsoTime,
    resolution_due_at: IsoTime,
  },
  'Ticket routed or escalated to a queue (SLA deadlines recomputed)',
);
export const TicketEscalated = event(
  'ticket_escalated',
  {
    reason: Type.Union([Type.Literal('frt_risk'), Type.Literal('needs_expert'), Type.Literal('stop_word'), Type.Literal('manual')], {
      description:
        'frt_risk: the first-response deadline was near (ESCALATION_LEAD); needs_expert: an agent asked for an expert; stop_word: the message named an urgent topic; manual: /escalate to a queue',
    }),
    from_queue: Queue,
    to_queue: Queue,
    /** The ticket is urgent after it (a stop word marks it; it then goes first in the priority order, sla/priority.ts). */
    urgent: Type.Boolean(),
  },
  'A ticket escalated (moved up a level, or marked urgent), with why; written with the queue change it causes',
);
export const CategorySelected = event('category_selected', {}, 'The customer picked a category (in `category`)');
export const TicketResolved = event(
  'ticket_resolved',
  {
    resolved_by: Type.Union([Type.Literal('agent'), Type.Literal('kb'), Type.Literal('auto_close'), Type.Literal('customer')]),
    resolution_seconds: Seconds,
    resolution_bh_seconds: Seconds,
    agent_replies: Type.Integer({ minimum: 0 }),
  },
  'Ticket resolved',
);
export const TicketReopened = event(
  'ticket_reopened',
  { reason: Type.Union([Type.Literal('agent'), Type.Literal('followup'), Type.Literal('customer')]) },
  'A resolved ticket opened again',
);
export const SurveySent = event('survey_sent', { survey: Type.Union([Type.Literal('csat'), Type.Literal('nps')]) }, 'A rating keyboard was sent');
export const CsatRated = event('csat_rated', { score: Type.Integer({ minimum: 1, maximum: 5 }) }, 'Customer satisfaction, 1–5; the latest per ticket counts');
export const NpsRated = event('nps_rated', { score: Type.Integer({ minimum: 0, maximum: 10 }) }, 'Net promoter score, 0–10; the latest per ticket counts');
export const KbSuggested = event(
  'kb_suggested',
  { kb_article_id: Type.String({ minLength: 1 }), kb_score: Type.Number() },
  'A knowledge-base article was offered',
);
export const KbOutcome = event(
  'kb_outcome',
  {
    kb_article_id: Type.String({ minLength: 1 }),
    outcome: Type.Union([Type.Literal('solved'), Type.Literal('human')]),
    /** 'app': "Solved by this article" in the Mini App before any ticket was sent (ticket_id null: self-service). Absent: chat. */
    channel: Type.Optional(Channel),
  },
  'The customer answered a KB suggestion',
);
export const AppOpened = event(
  'app_opened',
  {
    /** What opened it: the menu button or a plain launch, a ticket link (receipt, /start ticket-N), an article link, anything else. */
    entry: Type.Union([Type.Literal('menu'), Type.Literal('ticket'), Type.Literal('article'), Type.Literal('other')]),
  },
  'A customer opened the Mini App',
);
export const KbArticleViewed = event(
  'kb_article_viewed',
  { kb_article_id: Type.String({ minLength: 1 }), channel: Channel },
  'A customer read a knowledge-base article (in the Mini App)',
);
export const KbArticleHelpful = event(
  'kb_article_helpful',
  { kb_article_id: Type.String({ minLength: 1 }), helpful: Type.Boolean(), channel: Channel },
  'A customer answered "Did this help?" under an article (the latest per customer and article counts)',
);
/** Experiments (bot/experiments/): the file's key and the variant's name, both [a-z0-9_-] (analytics/experiments/definition.ts). */
const ExperimentKey = Type.String({ minLength: 1, maxLength: 63, pattern: '^[a-z0-9][a-z0-9-]*$' });
export const ExperimentExposure = event(
  'experiment_exposure',
  { experiment: ExperimentKey, variant: Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z0-9][a-z0-9_-]*$' }) },
  "A customer met a running experiment's surface for the first time and got this variant (once per customer and experiment)",
);
export const FollowupSent = event('followup_sent', {}, 'A "did it help?" follow-up was sent');
export const FollowupAnswered = event('followup_answered', { helped: Type.Boolean() }, 'The customer answered the follow-up');
export const SlaWarning = event('sla_warning', { sla_kind: SlaKind, due_at: IsoTime }, 'An SLA deadline is near');
export const SlaBreached = event('sla_breached', { sla_kind: SlaKind, due_at: IsoTime }, 'An SLA deadline passed unmet');
export const MacroUsed = event('macro_used', { macro: Type.String({ minLength: 1, maxLength: 64 }) }, 'An agent sent a macro');
export const BroadcastSent = event(
  'broadcast_sent',
  {
    broadcast_id: Type.String({ minLength: 1 }),
    recipients: Type.Integer({ minimum: 0 }),
    delivered: Type.Integer({ minimum: 0 }),
    failed: Type.Integer({ minimum: 0 }),
    opted_out: Type.Integer({ minimum: 0 }),
  },
  'An incident broadcast finished',
);
export const SpamBlocked = event(
  'spam_blocked',
  { reason: Type.Union([Type.Literal('rate_limit'), Type.Literal('link'), Type.Literal('media'), Type.Literal('duplicate'), Type.Literal('banned')]) },
  'A customer message was held back by anti-spam',
);
/** What kind of secret: a Luhn-valid card number, a CVV, a 2FA/SMS code, a password, a BIP-39 seed phrase (bot/features/secrets/). */
const SecretKind = Type.Union([Type.Literal('card'), Type.Literal('cvv'), Type.Literal('code'), Type.Literal('password'), Type.Literal('seed_phrase')]);
export const SecretMasked = event(
  'secret_masked',
  { reason: SecretKind },
  "A secret in a customer's message was masked before the agents saw it (one event per kind masked in the message)",
);
export const SecretRequestHeld = event(
  'secret_request_held',
  { agent_id: TelegramId, reason: Type.Union([Type.Literal('cvv'), Type.Literal('code'), Type.Literal('password'), Type.Literal('seed_phrase')]) },
  "An agent's reply asking the customer for a secret was held, not sent",
);
/** How a customer reported a fake account (bot/features/trust/): typed its @username or forwarded its message. Never the account itself. */
export const FakeReported = event(
  'fake_reported',
  { reason: Type.Union([Type.Literal('username'), Type.Literal('forward')]) },
  'A customer reported an account posing as the desk (posted to the escalation chat; the account is not in the event)',
);

/** The community chat guard (bot/features/community-guard/): how the person came — a join request, or joining directly (a new member). */
const JoinKind = Type.Union([Type.Literal('join_request'), Type.Literal('member')], {
  description: 'join_request: asked to join (approved or declined); member: joined directly (restricted until the captcha, removed on failure)',
});
export const CaptchaPassed = event(
  'captcha_passed',
  { join_kind: JoinKind, captcha_seconds: Type.Number({ minimum: 0, description: 'from the captcha to the right answer, in seconds' }) },
  'Someone joining the community chat passed the button captcha (customer_id: their pseudonym; no name)',
);
export const CaptchaFailed = event(
  'captcha_failed',
  {
    join_kind: JoinKind,
    reason: Type.Union([Type.Literal('timeout'), Type.Literal('wrong_answer')], {
      description: 'timeout: no answer within COMMUNITY_CAPTCHA_TIMEOUT; wrong_answer: a wrong button. Another person pressing is refused, not a failure',
    }),
  },
  'Someone joining the community chat failed the captcha: the join request declined, or the new member removed (they may try again)',
);
export const CommunityMessageHeld = event(
  'community_message_held',
  {
    reason: Type.Union([Type.Literal('link'), Type.Literal('media'), Type.Literal('forward')], {
      description: 'link: a URL or text link; media: a photo, video, document…; forward: a post forwarded from a channel',
    }),
  },
  "A newcomer's link, media or forwarded channel post in the community chat was deleted with a short notice (fewer than COMMUNITY_NEWCOMER_MESSAGES real messages)",
);
export const StaffCloneFlagged = event(
  'staff_clone_flagged',
  {
    join_kind: Type.Union([...JoinKind.anyOf, Type.Literal('renamed')], {
      description: `${JoinKind.description}; renamed: a member who changed their name or username after joining (seen on their next message)`,
    }),
    reason: Type.Union([Type.Literal('username'), Type.Literal('name')], { description: 'what looked like an official account or agent' }),
  },
  "Someone joining the community chat, or a member renaming themselves, had a name or username confusable with an official account's or an agent's: flagged to the escalation chat",
);

/** What a spike was counted by (bot/incidents): the category, the best-matching KB article, or the first messages' stems (never sent). */
const IncidentKeyKind = Type.Union([Type.Literal('category'), Type.Literal('kb'), Type.Literal('keywords')]);
const IncidentId = Type.Integer({ minimum: 1, description: 'incident number (bot/incidents)' });
export const IncidentSuspected = event(
  'incident_suspected',
  {
    spike_id: Type.Integer({ minimum: 1 }),
    key_kind: IncidentKeyKind,
    kb_article_id: Type.Union([Type.String(), Type.Null()]),
    incident_tickets: Type.Integer({ minimum: 0, description: 'tickets in the window' }),
    incident_customers: Type.Integer({ minimum: 0, description: 'different customers among them' }),
    incident_baseline: Type.Number({ minimum: 0, description: 'tickets expected in such a window' }),
    detect_seconds: Type.Union([Seconds, Type.Null()], { description: "time to detect: the window's first matching ticket → the flag" }),
  },
  'The spike detector flagged a suspected incident (posted to the escalation chat)',
);
export const IncidentOpened = event(
  'incident_opened',
  {
    incident_id: IncidentId,
    agent_id: TelegramId,
    spike_id: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    ack_seconds: Type.Union([Seconds, Type.Null()], { description: 'time to acknowledge: the flag → Confirm; null when opened by /incident' }),
    incident_tickets: Type.Integer({ minimum: 0, description: 'tickets linked at opening' }),
  },
  'An incident was opened (Confirm on a suspected incident, or /incident)',
);
export const IncidentUpdated = event(
  'incident_updated',
  {
    incident_id: IncidentId,
    agent_id: TelegramId,
    update_kind: Type.Union([Type.Literal('eta'), Type.Literal('text')]),
    eta_at: Type.Union([IsoTime, Type.Null()]),
  },
  "An incident's ETA or its template (what happened, who is affected, next steps) changed",
);
export const IncidentResolved = event(
  'incident_resolved',
  {
    incident_id: IncidentId,
    agent_id: TelegramId,
    incident_seconds: Seconds,
    incident_tickets: Type.Integer({ minimum: 0, description: 'tickets linked when it was resolved' }),
  },
  'An incident was resolved (/incident resolve)',
);
export const TicketLinked = event(
  'ticket_linked',
  {
    incident_id: IncidentId,
    link_action: Type.Union([Type.Literal('linked'), Type.Literal('unlinked')]),
    link_source: Type.Union([Type.Literal('opening'), Type.Literal('new_ticket'), Type.Literal('manual'), Type.Literal('after_fix')], {
      description: 'after_fix: a new ticket matching an incident resolved less than a detection window ago',
    }),
    known_issue_reply: Type.Boolean({ description: 'the customer got the automatic "known issue" reply' }),
  },
  'A ticket was linked to (or unlinked from) an incident',
);

/**
 * The agent dimension's label: the desk's store (bot/store/staff.ts) saw an agent for the first time or
 * under a new name. `agent_id` is the agent; `occurred_at` is when the store recorded the name, so the
 * latest by it wins in `staff` (ReplacingMergeTree(updated_at)). The name is staff data, minimal: the first
 * name and the last name's initial, never a username.
 */
export const StaffUpdated = event(
  'staff_updated',
  {
    agent_id: TelegramId,
    display_name: Type.String({ minLength: 1, maxLength: 64, description: 'how dashboards name the agent: first name and last initial, e.g. "Anna K."' }),
  },
  "An agent's display name, first seen or changed (the ingest writes it to `staff`)",
);

export const StaffAction = event(
  'staff_action',
  {
    agent_id: TelegramId,
    reason: Type.Union(
      [
        'take',
        'reply',
        'note',
        'resolve',
        'reopen',
        'escalate',
        'ban',
        'unban',
        'broadcast',
        'mute',
        'unmute',
        'role_change',
        'data_export',
        'data_deletion',
        'incident',
      ].map((k) => Type.Literal(k)),
      { description: 'the action kind (bot/audit.ts); agent_id is who acted' },
    ),
  },
  'A staff action, as written to the audit log (bot/audit.ts) in the same transaction',
);

export const EVENT_SCHEMAS = [
  TicketOpened,
  MessageIn,
  MessageOut,
  BotReply,
  StatusChanged,
  TicketAssigned,
  QueueChanged,
  TicketEscalated,
  CategorySelected,
  TicketResolved,
  TicketReopened,
  SurveySent,
  CsatRated,
  NpsRated,
  KbSuggested,
  KbOutcome,
  FollowupSent,
  FollowupAnswered,
  SlaWarning,
  SlaBreached,
  MacroUsed,
  BroadcastSent,
  SpamBlocked,
  SecretMasked,
  SecretRequestHeld,
  FakeReported,
  CaptchaPassed,
  CaptchaFailed,
  CommunityMessageHeld,
  StaffCloneFlagged,
  StaffUpdated,
  StaffAction,
  ExperimentExposure,
  IncidentSuspected,
  IncidentOpened,
  IncidentUpdated,
  IncidentResolved,
  TicketLinked,
  AppOpened,
  KbArticleViewed,
  KbArticleHelpful,
] as const;

/**
 * Event fields (`type.field`) that have no column in ClickHouse's `events`, each with the reason. Every
 * other field of every event has a column that can hold it (schemas/schema-guards.test.ts): the ingest
 * inserts with input_format_skip_unknown_fields, so a field without a column would be dropped silently.
 */
export const NOT_IN_EVENTS_TABLE: Readonly<Record<string, string>> = {
  'staff_updated.display_name':
    'a name stays out of `events` (kept for EVENTS_TTL_DAYS, read by every analysis): the ingest writes it to `staff` (schemas/clickhouse/020_staff.sql, ingest/sink.ts)',
};

export const SupportEvent = Type.Union([...EVENT_SCHEMAS], { $id: 'SupportEvent' });
export type SupportEvent = Static<typeof SupportEvent>;
export type EventType = SupportEvent['type'];
export type EventOf<T extends EventType> = Extract<SupportEvent, { type: T }>;

export const EVENT_TYPES = EVENT_SCHEMAS.map((s) => s.properties.type.const) as EventType[];

export const schemaByType: ReadonlyMap<string, TObject> = new Map(EVENT_SCHEMAS.map((s) => [s.properties.type.const as string, s as TObject]));

/** Every event field the events table holds a column for (all but NOT_IN_EVENTS_TABLE), with its JSON Schema, for docs and the column mapping. */
export function allEventFields(): Map<string, TSchema> {
  const fields = new Map<string, TSchema>();
  for (const s of EVENT_SCHEMAS)
    for (const [k, v] of Object.entries(s.properties))
      if (!fields.has(k) && !(`${s.properties.type.const}.${k}` in NOT_IN_EVENTS_TABLE)) fields.set(k, v as TSchema);
  return fields;
}
