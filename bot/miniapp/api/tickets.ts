/**
 * "My requests": the caller's tickets (only theirs: every query is by the authenticated customer's id, and
 * another customer's number answers 404 as if it did not exist), a ticket's page with its conversation,
 * a new request and a reply (the chat's own path, bot/miniapp/deliver.ts), reopen, and the rating.
 */
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { isLowCsat, NOT_OFFERED, recordRating } from '../../features/ratings/feature.js';
import { incidentsOnAppRequest } from '../../features/incidents/feature.js';
import { stopWordIn } from '../../features/urgent/feature.js';
import { withoutPersonalData } from '../../error-boundary.js';
import type { Ticket } from '../../store/types.js';
import { ticketFromJson } from '../../store/types.js';
import { STATUS_EMOJI } from '../../telegram/topic-title.js';
import { DeskError } from '../../tickets/errors.js';
import { customerLocale } from '../../telegram/present.js';
import { callerOf } from '../auth.js';
import { messageFromApp } from '../deliver.js';
import { AppError, type AppApiContext } from './context.js';
import { attachmentKind, parseUpload, UPLOAD_BODY_LIMIT } from './upload.js';
import * as S from './schemas.js';

/** The newest requests a list shows. */
const LIST_LIMIT = 100;
/** The messages a ticket page shows (the latest). */
const PAGE_MESSAGES = 500;

interface ListRow {
  ticket: Record<string, unknown>;
  agent_name: string | null;
  last_text: string | null;
  last_at: Date | null;
  rating: number | null;
  survey_open: boolean;
}

const firstName = (displayName: string | null) => (displayName ? (displayName.split(' ')[0] ?? displayName) : null);
const short = (text: string | null) => (text === null ? null : text.length > 120 ? `${text.slice(0, 119)}…` : text);

export function ticketRoutes(api: FastifyInstance, c: AppApiContext): void {
  const { desk } = c;

  /** The caller's tickets with what the list shows, in one query. */
  async function listRows(customerId: number, where: string, params: unknown[], limit: number): Promise<ListRow[]> {
    return (
      await desk.db.query<ListRow>(
        `SELECT to_jsonb(t) AS ticket, s.display_name AS agent_name, lm.text AS last_text, lm.sent_at AS last_at,
                r.score AS rating, (r.ticket_id IS NOT NULL) AS survey_open
         FROM (SELECT * FROM tickets WHERE customer_id = $1 ${where} ORDER BY id DESC LIMIT ${limit}) t
         LEFT JOIN staff s ON s.id = t.agent_id
         LEFT JOIN LATERAL (SELECT text, sent_at FROM ticket_messages m WHERE m.ticket_id = t.id ORDER BY sent_at DESC, id DESC LIMIT 1) lm ON true
         LEFT JOIN ratings r ON r.ticket_id = t.id AND r.survey = 'csat'
         ORDER BY t.id DESC`,
        [customerId, ...params],
      )
    ).rows;
  }

  async function summary(row: ListRow): Promise<S.TicketSummary> {
    const t = ticketFromJson(row.ticket);
    const waiting = t.status !== 'resolved' && t.first_response_at === null;
    const now = c.now();
    const eta = waiting ? new Date(now.getTime() + (await desk.tickets.eta(t, now)).seconds * 1000).toISOString() : null;
    return {
      number: t.id,
      status: t.status,
      status_emoji: STATUS_EMOJI[t.status],
      queue: t.queue,
      category: t.category,
      created_at: t.created_at.toISOString(),
      eta,
      first_response_due_at: waiting ? t.first_response_due_at.toISOString() : null,
      last_message_at: row.last_at ? new Date(row.last_at).toISOString() : null,
      last_message: short(row.last_text),
      agent_first_name: firstName(row.agent_name),
      survey_open: row.survey_open,
      rating: row.rating,
    };
  }

  /** The caller's ticket by number: 404 for one that does not exist or is someone else's (no difference shown). */
  async function ownTicket(customerId: number, number: number): Promise<Ticket> {
    const t = await desk.tickets.get(number);
    if (!t || t.customer_id !== customerId) throw new AppError(404, `no request #${number}`);
    return t;
  }

  api.get<{ Querystring: Static<typeof S.TicketListQuery> }>(
    '/tickets',
    { schema: { summary: "The caller's requests, newest first", querystring: S.TicketListQuery, response: { 200: S.TicketList } } },
    async (req) => {
      const { customer } = callerOf(req);
      const filter = req.query.status === 'open' ? `AND status <> 'resolved'` : req.query.status === 'closed' ? `AND status = 'resolved'` : '';
      const rows = await listRows(customer.id, filter, [], LIST_LIMIT);
      return { tickets: await Promise.all(rows.map(summary)) };
    },
  );

  api.get<{ Params: Static<typeof S.NumberParams> }>(
    '/tickets/:number',
    { schema: { summary: 'A request and its whole conversation', params: S.NumberParams, response: { 200: S.TicketPage } } },
    async (req) => {
      const { customer } = callerOf(req);
      const [row] = await listRows(customer.id, 'AND id = $2', [req.params.number], 1);
      if (!row) throw new AppError(404, `no request #${req.params.number}`);
      const messages = await desk.history.list(req.params.number, PAGE_MESSAGES);
      return {
        ticket: await summary(row),
        messages: messages.map((m) => ({
          from: m.sender,
          text: m.text,
          date: new Date(m.sent_at).toISOString(),
          edited: m.edited_at !== null,
          media: m.media_kind ? { kind: m.media_kind, name: m.media_name } : null,
          agent_first_name: firstName(m.agent_name),
          channel: m.channel,
        })),
      };
    },
  );

  api.post<{ Body: Static<typeof S.CreateTicketBody> }>(
    '/tickets',
    {
      schema: {
        summary: 'A new request: the same path as a message to the bot (topic, card, receipt in the chat, SLA, ETA)',
        body: S.CreateTicketBody,
        response: { 201: S.CreatedTicket },
      },
    },
    async (req, reply) => {
      const { customer } = callerOf(req);
      const category = categoryOf(c, req.body.category, customerLocale(desk.locales, customer));
      const openTicket = await desk.tickets.findOpen(customer.id);
      const stopWord = await stopWordIn(c.runtime, req.body.text);
      const { ticket, created } = await messageFromApp(desk, { customer, openTicket, text: req.body.text, category: category.key, at: c.now(), stopWord });
      // A new request meets incidents as a chat message does (counted, linked, the known-issue reply in the chat);
      // the request itself stands whatever happens there.
      if (created)
        await incidentsOnAppRequest(c.runtime, desk, ticket, customer, req.body.text).catch((err: unknown) =>
          desk.log.error({ error: withoutPersonalData(err), ticket: ticket.id }, 'incident intake of an app request failed'),
        );
      return reply.code(201).send({ number: ticket.id, created });
    },
  );

  api.post<{ Params: Static<typeof S.NumberParams>; Body: Static<typeof S.MessageBody> }>(
    '/tickets/:number/messages',
    {
      schema: {
        summary: "A reply: reaches the agents' topic like a message to the bot",
        params: S.NumberParams,
        body: S.MessageBody,
        response: { 201: S.Accepted },
      },
    },
    async (req, reply) => {
      const { customer } = callerOf(req);
      const ticket = await ownTicket(customer.id, req.params.number);
      if (ticket.status === 'resolved') throw new AppError(409, `request #${ticket.id} is closed: reopen it or send a new request`);
      await messageFromApp(desk, { customer, openTicket: ticket, text: req.body.text, at: c.now(), stopWord: await stopWordIn(c.runtime, req.body.text) });
      return reply.code(201).send({ ok: true });
    },
  );

  // Attachments: multipart/form-data with one file (field `file`) and an optional `caption`; `as=document` sends a picture as a file.
  api.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: UPLOAD_BODY_LIMIT }, (_req, body, done) => done(null, body));
  api.post<{ Params: Static<typeof S.NumberParams>; Body: Buffer }>(
    '/tickets/:number/attachments',
    {
      bodyLimit: UPLOAD_BODY_LIMIT,
      schema: {
        summary: "A photo or document (multipart/form-data: file, caption?, as?) for the agents' topic: photos ≤ 10 MB, files ≤ 20 MB",
        params: S.NumberParams,
        consumes: ['multipart/form-data'],
        response: { 201: S.Accepted },
      },
    },
    async (req, reply) => {
      const { customer } = callerOf(req);
      const ticket = await ownTicket(customer.id, req.params.number);
      if (!Buffer.isBuffer(req.body)) throw new AppError(400, 'send the file as multipart/form-data');
      if (ticket.status === 'resolved') throw new AppError(409, `request #${ticket.id} is closed: reopen it or send a new request`);
      const upload = parseUpload(req.body, req.headers['content-type']);
      if (!upload.file) throw new AppError(400, 'no file: send it in the field "file"');
      const kind = attachmentKind(upload.file, upload.fields.as);
      const caption = (upload.fields.caption ?? '').slice(0, 1000);
      const file = { kind, name: upload.file.name, data: upload.file.data };
      await messageFromApp(desk, { customer, openTicket: ticket, text: caption, at: c.now(), file, stopWord: await stopWordIn(c.runtime, caption) });
      return reply.code(201).send({ ok: true });
    },
  );

  api.post<{ Params: Static<typeof S.NumberParams> }>(
    '/tickets/:number/reopen',
    { schema: { summary: 'Reopen a closed request', params: S.NumberParams, response: { 200: S.Accepted } } },
    async (req) => {
      const { customer } = callerOf(req);
      const ticket = await ownTicket(customer.id, req.params.number);
      if (ticket.status !== 'resolved') throw new AppError(409, `request #${ticket.id} is open`);
      try {
        await desk.tickets.reopen(ticket.id, { reason: 'customer', at: c.now() });
      } catch (e) {
        if (e instanceof DeskError && e.code === 'customer-has-open-ticket') {
          const open = await desk.tickets.findOpen(customer.id);
          throw new AppError(409, `another request is open${open ? ` (#${open.id})` : ''}: write there`);
        }
        throw e;
      }
      await desk.relay.sendToTopic(customer.id, desk.agentText('miniapp-agent-reopened', { number: ticket.id })).catch(() => undefined);
      return { ok: true as const };
    },
  );

  api.post<{ Params: Static<typeof S.NumberParams>; Body: Static<typeof S.RatingBody> }>(
    '/tickets/:number/rating',
    {
      schema: {
        summary: 'Answer (or change) the satisfaction survey sent for this request',
        params: S.NumberParams,
        body: S.RatingBody,
        response: { 200: S.Accepted },
      },
    },
    async (req) => {
      const { customer } = callerOf(req);
      const ticket = await ownTicket(customer.id, req.params.number);
      const survey = req.body.survey ?? 'csat';
      const score = req.body.score;
      if (survey === 'csat' && (score < 1 || score > 5)) throw new AppError(400, 'score must be 1–5');
      const previous = await recordRating(desk, ticket, survey, score, c.now());
      if (previous === NOT_OFFERED) throw new AppError(409, `no survey is open for request #${ticket.id}`);
      if (survey === 'csat' && isLowCsat(score) && (previous === null || !isLowCsat(previous)))
        await desk.relay.sendToTopic(customer.id, desk.agentText('rate-agent-low', { number: ticket.id, score })).catch(() => undefined);
      return { ok: true as const };
    },
  );
}

/** A category by key, configured label or its name in the customer's language, case-insensitive. */
function categoryOf(c: AppApiContext, given: string, locale: string) {
  const want = given.trim().toLocaleLowerCase();
  const found = c.desk.config.categories.find(
    (cat) =>
      cat.key.toLowerCase() === want ||
      cat.label.toLocaleLowerCase() === want ||
      c.desk.intake.categoryLabel(locale, cat.key, cat.label).toLocaleLowerCase() === want,
  );
  if (!found) throw new AppError(400, `unknown category "${given.slice(0, 64)}"; one of: ${c.desk.config.categories.map((k) => k.key).join(', ')}`);
  return found;
}
