/**
 * `/m <name>` in a customer's topic sends a macro in the customer's language
 * with {name} {ticket} {eta} {agent} filled in; `/m` alone lists the macros.
 * A macro is the agent's answer: it is recorded as the agent's reply
 * (message_out — it can be the first response; the ticket then waits on the
 * customer, which is what need_details relies on for auto-close) plus
 * macro_used with the macro's name.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../../context.js';
import type { FeatureRuntime } from '../../runtime/runtime.js';
import { customerLocale, escapeHtml, formatDurationWords } from '../../telegram/present.js';
import { inThread, isAgentUpdate, messageDate, topicTarget } from '../../telegram/update.js';
import { renderMacro } from './library.js';

export function macrosFeature(rt: FeatureRuntime): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const agents = composer.filter(isAgentUpdate);

  agents.command('m', async (ctx) => {
    const desk = ctx.desk;
    const { macros } = await rt.files();
    const name = ctx.match.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    const target = await topicTarget(ctx);
    const locale = target ? customerLocale(desk.locales, target.customer, target.ticket) : desk.config.agentLanguage;
    if (!name) {
      const list = macros
        .list(locale)
        .map((m) => `• <code>/m ${escapeHtml(m.name)}</code> — ${escapeHtml(m.title)}${m.status === 'waiting_customer' ? ' ⏳' : ''}`);
      return void (await ctx.reply(`${desk.agentText('macro-list-header')}\n${list.join('\n')}`, { ...inThread(ctx), parse_mode: 'HTML' }));
    }
    const macro = macros.get(name, locale);
    if (!macro) return void (await ctx.reply(desk.agentText('macro-unknown', { name }), inThread(ctx)));
    if (!target?.ticket) return void (await ctx.reply(desk.agentText('macro-not-in-topic'), inThread(ctx)));
    const { customer, ticket } = target;
    const eta = formatDurationWords(await desk.tickets.etaSeconds(ticket), locale);
    const html = renderMacro(macro, { name: customer.first_name, ticket: ticket.id, eta, agent: ctx.from!.first_name });
    const sent = await desk.relay.sendToCustomer(customer.id, html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    if (!sent) return; // blocked: the relay told the topic
    const at = messageDate(ctx.msg);
    const updated = await desk.tickets.recordAgentReply(ticket.id, { agentId: ctx.from!.id, kind: 'text', at });
    await desk.db.transaction((tx) =>
      desk.outbox.appendForTicket(tx, updated, [{ type: 'macro_used', occurred_at: at.toISOString(), agent_id: ctx.from!.id, macro: macro.name }]),
    );
    // The topic shows what the customer received, like any relayed reply.
    await ctx.reply(`${desk.agentText('macro-sent', { name: macro.name, lang: macro.lang })}\n\n${html}`, {
      ...inThread(ctx),
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
  });

  return composer;
}
