/**
 * Consent in the Mini App (issue 17, item 5), the chat's consent step (bot/features/trust/) in the app's words:
 *
 *   GET  /consent   whether this desk asks for consent (CONSENT_VERSION), the notice's version and link, and the
 *                   caller's recorded consent (version, time)
 *   POST /consent   Accept: recorded through the trust feature's own store function (acceptConsent: version and
 *                   time in customer_trust), the chat's Accept button's one home
 *
 * and the gate on the new-request route (POST /tickets): while consent is required and not given for the
 * current version, a request that would open a ticket is refused with 403 and the reason — as in the chat, a
 * customer with a ticket open carries on. Withdrawing consent is the erasure (DELETE /me, bot/store/privacy.ts),
 * as `/withdraw` is in the chat. A customer whose chat messages wait for the consent is sent to the chat's Accept,
 * which hands those messages to the intake in order (409 here: accepting in the app would leave them behind).
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { acceptConsent, consentOf, hasConsent, heldCount } from '../../features/trust/store.js';
import { callerOf } from '../auth.js';
import { AppError, type AppApiContext } from './context.js';

export const ConsentState = Type.Object(
  {
    required: Type.Boolean({ description: 'This desk asks for consent before the first request (CONSENT_VERSION set)' }),
    version: Type.Union([Type.String(), Type.Null()], { description: 'The privacy notice’s current version' }),
    notice_url: Type.Union([Type.String(), Type.Null()], { description: 'Where the privacy notice is (PRIVACY_NOTICE_URL)' }),
    accepted: Type.Boolean({ description: 'The caller accepted the current version' }),
    accepted_version: Type.Union([Type.String(), Type.Null()], { description: 'The version the caller accepted last, if any' }),
    accepted_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type ConsentState = Static<typeof ConsentState>;

export const AcceptBody = Type.Object(
  { version: Type.String({ minLength: 1, maxLength: 64, description: 'The version the customer was shown (GET /consent)' }) },
  { additionalProperties: false },
);

/** The reason a request is refused before the consent (the app shows the notice instead). */
export const CONSENT_REQUIRED = 'consent required: accept the privacy notice first (POST /app/api/consent)';

export function consentRoutes(api: FastifyInstance, c: AppApiContext): void {
  const { desk } = c;
  const { consentVersion, privacyNoticeUrl } = c.runtime.config.trust;

  async function stateOf(customerId: number): Promise<ConsentState> {
    const given = await consentOf(desk.db, customerId);
    return {
      required: consentVersion !== undefined,
      version: consentVersion ?? null,
      notice_url: privacyNoticeUrl ?? null,
      accepted: consentVersion !== undefined && given?.version === consentVersion,
      accepted_version: given?.version ?? null,
      accepted_at: given ? given.at.toISOString() : null,
    };
  }

  // The gate sits on the new-request route, before its handler (added here so the ticket routes stay as they are).
  const gate: preHandlerHookHandler = async (req) => {
    if (consentVersion === undefined) return;
    const { customer } = callerOf(req);
    if (await hasConsent(desk.db, customer.id, consentVersion)) return;
    if (await desk.tickets.findOpen(customer.id)) return; // as in the chat: an open ticket carries on
    throw new AppError(403, CONSENT_REQUIRED);
  };
  api.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.routePath === '/tickets' && methods.includes('POST'))
      route.preHandler = [...(Array.isArray(route.preHandler) ? route.preHandler : route.preHandler ? [route.preHandler] : []), gate];
  });

  api.get(
    '/consent',
    { schema: { summary: "The privacy notice's version and link, and the caller's consent", response: { 200: ConsentState } } },
    async (req) => stateOf(callerOf(req).customer.id),
  );

  api.post<{ Body: Static<typeof AcceptBody> }>(
    '/consent',
    {
      schema: {
        summary: 'Accept the privacy notice (recorded with the time and the version, as the chat’s Accept button does)',
        body: AcceptBody,
        response: { 200: ConsentState },
      },
    },
    async (req) => {
      const { customer } = callerOf(req);
      if (consentVersion === undefined) throw new AppError(409, 'this desk does not ask for consent');
      if (req.body.version !== consentVersion)
        throw new AppError(409, `the privacy notice changed (version ${consentVersion}): read it again and accept that version`);
      if ((await heldCount(desk.db, customer.id)) > 0)
        throw new AppError(409, 'your messages in the chat wait for the consent: press Accept under the privacy notice in the chat so they reach us');
      await acceptConsent(desk.db, customer.id, consentVersion, c.now());
      desk.log.info({ event: 'consent_accepted', version: consentVersion, channel: 'app' }, 'privacy notice accepted');
      return stateOf(customer.id);
    },
  );
}
