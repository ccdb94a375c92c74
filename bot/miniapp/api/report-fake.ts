/**
 * "Report a fake account" in the Mini App (issue 17, item 5), beside the official accounts it shows:
 *
 *   POST /report-fake   {account}: the fake account's @username or t.me link (in this field a bare username
 *                       is unambiguous too) → the escalation chat is told and the report counted, through the
 *                       chat's own function (bot/features/trust/report.ts)
 *
 * A message forwarded from the fake account can only be sent in the chat (/reportfake there).
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { namedAccount, reportFakeAccount } from '../../features/trust/report.js';
import { customerLocale } from '../../telegram/present.js';
import { callerOf } from '../auth.js';
import { AppError, type AppApiContext } from './context.js';
import * as S from './schemas.js';

export const ReportFakeBody = Type.Object(
  { account: Type.String({ minLength: 1, maxLength: 200, description: "The fake account's @username or t.me/username link" }) },
  { additionalProperties: false },
);

/** Telegram usernames: 5–32 letters, digits and underscores, starting with a letter. */
const BARE_USERNAME = /^[A-Za-z][A-Za-z0-9_]{4,31}$/;

export const NOT_AN_ACCOUNT = "give the fake account's @username or its t.me link";

export function reportFakeRoutes(api: FastifyInstance, c: AppApiContext): void {
  api.post<{ Body: Static<typeof ReportFakeBody> }>(
    '/report-fake',
    {
      schema: {
        summary: 'Report an account that pretends to be this support (the team leads are told; counted as fake_reported)',
        body: ReportFakeBody,
        response: { 202: S.Accepted },
      },
    },
    async (req, reply) => {
      const { customer } = callerOf(req);
      const text = req.body.account.trim();
      const account = namedAccount(text) ?? (BARE_USERNAME.test(text) ? `@${text}` : undefined);
      if (!account) throw new AppError(400, NOT_AN_ACCOUNT);
      await reportFakeAccount(c.desk, {
        customerId: customer.id,
        language: customerLocale(c.desk.locales, customer),
        report: { kind: 'username', account },
        at: c.now(),
      });
      return reply.code(202).send({ ok: true as const });
    },
  );
}
