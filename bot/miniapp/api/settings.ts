/**
 * The customer's settings (language, time zone, quiet hours, notifications), what the app needs to know
 * (categories from the routing configuration the bot uses, languages), the app_opened event, and the
 * privacy routes (export and deletion: bot/store/privacy.ts, the privacy feature's).
 */
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { IANAZone } from 'luxon';
import { KB_QUERY_MAX_CHARS } from '../../features/kb/search.js';
import { readPrefs, writePrefs } from '../../store/customer-prefs.js';
import { eraseCustomer, exportCustomerData } from '../../store/privacy.js';
import type { Customer } from '../../store/types.js';
import { customerLocale } from '../../telegram/present.js';
import { callerOf } from '../auth.js';
import { START_PAYLOAD } from '../../features/miniapp/buttons.js';
import { AppError, appEventEnvelope, type AppApiContext } from './context.js';
import * as S from './schemas.js';

/** Each language names itself; right-to-left scripts are flagged for the app's layout. */
const LANGUAGES: Record<string, { name: string; rtl: boolean }> = {
  en: { name: 'English', rtl: false },
  ru: { name: 'Русский', rtl: false },
  fa: { name: 'فارسی', rtl: true },
};

async function settingsOf(c: AppApiContext, customer: Customer): Promise<S.Settings> {
  const p = await readPrefs(c.desk.db, customer.id);
  return {
    language: customerLocale(c.desk.locales, customer),
    time_zone: p.timeZone,
    quiet_hours: p.quietHours,
    notifications: { status_updates: p.statusUpdates, announcements: p.announcements },
  };
}

/** What opened the app, for app_opened (never the raw parameter: anyone can put anything in a link). */
function entryOf(startParam: string | undefined): 'menu' | 'ticket' | 'article' | 'other' {
  if (!startParam) return 'menu';
  if (!START_PAYLOAD.test(startParam)) return 'other';
  return startParam.startsWith('ticket-') ? 'ticket' : startParam.startsWith('article-') ? 'article' : 'other';
}

export function settingsRoutes(api: FastifyInstance, c: AppApiContext, o: { botUsername: () => string | undefined }): void {
  // the trust feature's own list (the features' configuration), not a second read of the environment
  const officialAccounts = c.runtime.config.trust.officialAccounts;
  const { desk } = c;

  api.get('/settings', { schema: { summary: "The caller's settings", response: { 200: S.Settings } } }, async (req) => settingsOf(c, callerOf(req).customer));

  api.put<{ Body: S.Settings }>(
    '/settings',
    { schema: { summary: "Change the caller's settings (all of them: GET, change, PUT)", body: S.Settings, response: { 200: S.Settings } } },
    async (req) => {
      const { customer } = callerOf(req);
      const b = req.body;
      if (!desk.locales.includes(b.language)) throw new AppError(400, `unknown language "${b.language}"; one of: ${desk.locales.join(', ')}`);
      if (b.time_zone !== null && !IANAZone.isValidZone(b.time_zone))
        throw new AppError(400, `unknown time zone "${b.time_zone}" (an IANA zone such as Europe/Berlin)`);
      if (b.quiet_hours && b.quiet_hours.start === b.quiet_hours.end) throw new AppError(400, 'quiet hours must start and end at different times');
      await desk.db.transaction(async (tx) => {
        await desk.customers.setLanguage(customer.id, b.language, tx);
        await writePrefs(tx, customer.id, {
          timeZone: b.time_zone,
          quietHours: b.quiet_hours,
          statusUpdates: b.notifications.status_updates,
          announcements: b.notifications.announcements,
        });
      });
      return settingsOf(c, { ...customer, language_code: b.language });
    },
  );

  api.get('/meta', { schema: { summary: 'Categories (the routing the bot uses), languages and limits', response: { 200: S.Meta } } }, async (req) => {
    const { customer } = callerOf(req);
    const locale = customerLocale(desk.locales, customer);
    return {
      categories: desk.config.categories.map((cat) => ({ key: cat.key, label: desk.intake.categoryLabel(locale, cat.key, cat.label), queue: cat.queue })),
      languages: desk.locales.map((code) => ({ code, name: LANGUAGES[code]?.name ?? code, rtl: LANGUAGES[code]?.rtl ?? false })),
      bot_username: o.botUsername() ?? null,
      limits: { text_max: 4000, query_max: KB_QUERY_MAX_CHARS },
      customer: { first_name: customer.first_name, language: locale },
      official_accounts: officialAccounts,
    };
  });

  api.post<{ Body: Static<typeof S.OpenedBody> }>(
    '/opened',
    { schema: { summary: 'The app was opened (app_opened)', body: S.OpenedBody, response: { 200: S.Accepted } } },
    async (req) => {
      const { customer, initData } = callerOf(req);
      const entry = entryOf(req.body?.start_param ?? initData.start_param);
      await desk.db.transaction((tx) =>
        desk.outbox.append(tx, [
          {
            type: 'app_opened',
            ...appEventEnvelope(c, customer),
            entry,
          },
        ]),
      );
      return { ok: true as const };
    },
  );

  api.get('/me/export', { schema: { summary: 'Everything the desk keeps about the caller, as JSON' } }, async (req, reply) => {
    const { customer } = callerOf(req);
    const data = await exportCustomerData(desk.db, customer.id);
    return reply.header('content-disposition', 'attachment; filename="my-support-data.json"').send(data);
  });

  api.delete(
    '/me',
    { schema: { summary: "Delete the caller's personal data (messages, names, notes); analytics stay anonymous", response: { 200: S.Accepted } } },
    async (req) => {
      const { customer } = callerOf(req);
      await eraseCustomer(desk.db, customer.id, { outbox: desk.outbox, sla: desk.sla, at: c.now() });
      return { ok: true as const };
    },
  );
}
