/**
 * Anti-phishing (issue 17, item 5): customers can tell the desk from its clones.
 *
 * - `/start` (after the welcome) and `/official` name the official accounts (`OFFICIAL_ACCOUNTS`) and say the
 *   desk never writes first from another account nor asks for passwords, codes or card details, with a
 *   **🚩 Report a fake account** button.
 * - The button or `/reportfake` asks for the fake account's @username or a message forwarded from it (within
 *   15 minutes; a command or any other message ends the prompt and goes on as usual). The report is posted to
 *   the escalation chat (HTML-escaped; a forwarded message is forwarded after it) and counted as
 *   `fake_reported(reason: username | forward)` — the event never carries the account. Installed before
 *   anti-spam: a forwarded phishing message carries links a newcomer's message would be held for.
 * - Under an agent's first reply to a customer (once per customer), one line: our agents answer only in this
 *   chat, through this bot, never from personal accounts.
 * - Consent (`CONSENT_VERSION`, off when unset): a customer without an open ticket who has not accepted this
 *   version of the privacy notice (`PRIVACY_NOTICE_URL`) gets it with **✅ Accept** instead of a ticket; what
 *   they write meanwhile is kept (customer_trust.consent_held) and, on Accept (stored with the time and the
 *   version), run through the features and the intake in order — nothing lost. `/withdraw` withdraws it: the
 *   erasure of `/deletemydata` (bot/store/privacy.ts), which deletes the consent with everything else.
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { Message } from 'grammy/types';
import type { BotContext } from '../../context.js';
import type { FeatureRuntime } from '../../runtime/runtime.js';
import { messageKind } from '../../telegram/message-kind.js';
import { customerText } from '../../telegram/present.js';
import { ack, topicTarget } from '../../telegram/update.js';
import { type FakeReport, namedAccount, originOf, reportFakeAccount } from './report.js';
import { acceptConsent, askForReport, claimAgentNotice, hasConsent, holdForConsent, reportPending, takeReport } from './store.js';

const REPORT = 'trust:report';

export interface TrustOptions {
  /** Runs a message the consent step held through the features and the intake, as if it came now (features.ts). */
  replay?: (ctx: BotContext, message: Message) => Promise<void>;
}

export function trustFeature(rt: FeatureRuntime, o: TrustOptions = {}): Composer<BotContext> {
  const accounts = rt.config.trust.officialAccounts;
  const { consentVersion, privacyNoticeUrl } = rt.config.trust;
  const composer = new Composer<BotContext>();
  const pm = composer.chatType('private');

  const officialText = (ctx: BotContext) => (accounts.length ? ctx.t('trust-official', { accounts: accounts.join(', ') }) : ctx.t('trust-official-none'));
  const reportKeyboard = (ctx: BotContext) => new InlineKeyboard().text(ctx.t('trust-report-button'), REPORT);

  pm.command('start', async (ctx, next) => {
    await next();
    // A deep link (/start ticket-12) answers with its page only; the plain /start also names the accounts.
    if (accounts.length && !ctx.match.trim()) await ctx.reply(officialText(ctx), { reply_markup: reportKeyboard(ctx) });
  });

  pm.command('official', (ctx) => ctx.reply(officialText(ctx), { reply_markup: reportKeyboard(ctx) }));

  const ask = async (ctx: BotContext) => {
    await askForReport(ctx.desk.db, ctx.from!.id, rt.clock());
    await ctx.reply(ctx.t('trust-report-prompt'));
  };
  pm.command('reportfake', (ctx) => ask(ctx));
  pm.callbackQuery(REPORT, async (ctx) => {
    await ack(ctx);
    await ask(ctx);
  });

  pm.on('message', async (ctx, next) => {
    const msg = ctx.msg;
    if (!(await reportPending(ctx.desk.db, ctx.from.id, rt.clock()))) return next();
    const report = reportOf(msg);
    // Anything else ends the prompt: the customer moved on, and their message goes on as usual.
    if (!(await takeReport(ctx.desk.db, ctx.from.id)) || !report) return next();
    const customer = await ctx.desk.customers.get(ctx.from.id);
    if (customer?.banned) return;
    await reportFakeAccount(ctx.desk, { customerId: ctx.from.id, language: await ctx.i18n.getLocale(), report, at: rt.clock() });
    await ctx.reply(ctx.t('trust-report-thanks'));
  });

  // ---- consent (CONSENT_VERSION): before the first ticket, the notice and Accept; nothing written is lost --
  if (consentVersion) {
    pm.on('message', async (ctx, next) => {
      const msg = ctx.msg;
      // Commands are for the bot (/start, /language, /deletemydata); service messages are nobody's message.
      if (msg.text?.startsWith('/') || (messageKind(msg) === 'other' && !msg.text)) return next();
      const desk = ctx.desk;
      if (await hasConsent(desk.db, ctx.from.id, consentVersion)) return next();
      // Customers with a ticket open (from before the step existed) carry on; banned ones are anti-spam's.
      const customer = await desk.customers.get(ctx.from.id);
      if (customer?.banned || (await desk.tickets.findOpen(ctx.from.id))) return next();
      if ((await holdForConsent(desk.db, ctx.from.id, msg)) > 0) return;
      const text = ctx.t('trust-consent', { url: privacyNoticeUrl ?? '', version: consentVersion });
      await ctx.reply(text, { reply_markup: new InlineKeyboard().text(ctx.t('trust-consent-accept'), `trust:consent:${consentVersion}`) });
    });

    pm.callbackQuery(/^trust:consent:(.+)$/, async (ctx) => {
      await ack(ctx);
      // A button of an older notice asks again with the current one.
      if (ctx.match[1] !== consentVersion) return void (await ctx.editMessageText(ctx.t('trust-consent-outdated')).catch(() => undefined));
      const held = await acceptConsent<Message>(ctx.desk.db, ctx.from.id, consentVersion, rt.clock());
      ctx.desk.log.info({ event: 'consent_accepted', version: consentVersion, held: held.length }, 'privacy notice accepted');
      await ctx.editMessageText(ctx.t('trust-consent-thanks')).catch(() => undefined);
      for (const m of held) await o.replay?.(ctx, m);
    });
  }

  // Withdrawing consent is erasure: the privacy feature's confirmation and its Delete button (bot/store/privacy.ts).
  pm.command('withdraw', async (ctx) => {
    // The buttons are the privacy feature's: one erasure flow (its 15-minute expiry, its answer).
    const keyboard = new InlineKeyboard().text(ctx.t('trust-withdraw-button'), 'privacy:erase').row().text(ctx.t('trust-withdraw-cancel'), 'privacy:cancel');
    await ctx.reply(ctx.t('trust-withdraw'), { reply_markup: keyboard });
  });

  // ---- agents: the first reply a customer gets carries the notice, once per customer ----------------
  const group = composer.filter((ctx) => ctx.chat?.id === ctx.desk.config.supportChatId);
  group.on('message', async (ctx, next) => {
    await next();
    const msg = ctx.msg;
    if (!msg.is_topic_message || msg.message_thread_id === undefined || msg.text?.startsWith('/')) return;
    const target = await topicTarget(ctx);
    if (!target?.ticket) return;
    // Relayed to the customer (message_pairs 'out'); a held or failed one is not a reply.
    const sent = await ctx.desk.db.query(`SELECT 1 FROM message_pairs WHERE source_chat_id = $1 AND source_message_id = $2 AND direction = 'out' LIMIT 1`, [
      msg.chat.id,
      msg.message_id,
    ]);
    if (sent.rowCount === 0) return;
    if (!(await claimAgentNotice(ctx.desk.db, target.customer.id, rt.clock()))) return;
    const t = customerText(ctx.desk, target.customer, target.ticket);
    await ctx.desk.relay.sendToCustomer(target.customer.id, t('trust-agent-notice')).catch((err: unknown) => {
      ctx.desk.log.warn({ err, customer: target.customer.id }, 'could not send the official-channel notice');
    });
  });

  return composer;
}

function reportOf(msg: Message): FakeReport | undefined {
  if (msg.forward_origin) return { kind: 'forward', account: originOf(msg.forward_origin), forwarded: { chatId: msg.chat.id, messageId: msg.message_id } };
  const account = namedAccount(msg.text ?? msg.caption ?? '');
  return account ? { kind: 'username', account } : undefined;
}
