/**
 * The customer Mini App from the chat's side (WEBAPP_URL; the app and its API are bot/miniapp/):
 * - the menu button opens the app (the default for every private chat at start-up, and the customer's own
 *   chat, with its text in their language, on /start);
 * - `/start <payload>` deep links — `ticket-<n>`, `article-<id>`, `new`, `settings` — answer with a button
 *   opening that page of the app;
 * - `/settings` offers the app's settings page, and says what the chat itself can change.
 * Everything stays possible in plain chat: without WEBAPP_URL there are no app buttons, an article link
 * shows the article in the chat and the other links fall through to the welcome.
 * The receipt's "Track status" button is built by the intake (features/intake/accept.ts) with buttons.ts.
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext, Desk } from '../../context.js';
import type { FeatureRuntime } from '../../runtime/runtime.js';
import { articleHtml } from '../kb/feature.js';
import { START_PAYLOAD, webAppButton } from './buttons.js';

export function miniappFeature(rt: FeatureRuntime): { composer: Composer<BotContext>; onStart: (desk: Desk) => Promise<void> } {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType('private');

  pm.command('start', async (ctx, next) => {
    const desk = ctx.desk;
    const locale = await ctx.i18n.getLocale();
    const menu = webAppButton(desk, locale, 'miniapp-menu-button');
    if (menu)
      await desk.api
        .setChatMenuButton({ chat_id: ctx.chat.id, menu_button: { type: 'web_app', text: menu.text, web_app: { url: menu.url } } })
        .catch((err: unknown) => desk.log.warn({ err }, 'could not set the Mini App menu button of a chat'));
    const payload = ctx.match.trim();
    if (!START_PAYLOAD.test(payload)) return next();
    if (payload.startsWith('ticket-')) {
      const number = Number(payload.slice('ticket-'.length));
      const ticket = await desk.tickets.get(number);
      if (!ticket || ticket.customer_id !== ctx.from.id) return void (await ctx.reply(ctx.t('miniapp-no-ticket', { number })));
      const open = webAppButton(desk, locale, 'miniapp-open', payload);
      if (!open) return next();
      return void (await ctx.reply(ctx.t('miniapp-open-ticket', { number }), { reply_markup: new InlineKeyboard().webApp(open.text, open.url) }));
    }
    if (payload.startsWith('article-')) {
      const { kb } = await rt.files();
      const article = kb.get(payload.slice('article-'.length), locale);
      if (!article) return void (await ctx.reply(ctx.t('miniapp-no-article')));
      const open = webAppButton(desk, locale, 'miniapp-open', payload);
      if (open) return void (await ctx.reply(ctx.t('miniapp-open-article'), { reply_markup: new InlineKeyboard().webApp(open.text, open.url) }));
      // Plain chat: the article itself.
      return void (await ctx.reply(articleHtml(article), { parse_mode: 'HTML', link_preview_options: { is_disabled: true } }));
    }
    const open = webAppButton(desk, locale, 'miniapp-open', payload);
    if (!open) return next();
    await ctx.reply(ctx.t(payload === 'settings' ? 'miniapp-settings' : 'miniapp-open-new'), {
      reply_markup: new InlineKeyboard().webApp(open.text, open.url),
    });
  });

  pm.command('settings', async (ctx) => {
    const open = webAppButton(ctx.desk, await ctx.i18n.getLocale(), 'miniapp-open', 'settings');
    const text = `${ctx.t('miniapp-settings')}\n\n${ctx.t('miniapp-settings-chat')}`;
    await ctx.reply(text, open ? { reply_markup: new InlineKeyboard().webApp(open.text, open.url) } : {});
  });

  /** The default menu button of every private chat: the app (in the desk's default language). */
  const onStart = async (desk: Desk) => {
    const menu = webAppButton(desk, 'en', 'miniapp-menu-button');
    if (!menu) return;
    await desk.api
      .setChatMenuButton({ menu_button: { type: 'web_app', text: menu.text, web_app: { url: menu.url } } })
      .catch((err: unknown) => desk.log.warn({ err }, 'could not set the Mini App menu button'));
  };

  return { composer, onStart };
}
