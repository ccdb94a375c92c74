/**
 * An outage now and then (issue 15, item 7), so the demo shows what the desk does with one: a burst of new
 * customers writing about the same problem in one category within minutes — the desk's spike detector posts
 * ONE suspected incident to the escalation chat — then a team lead (one of the simulated agents, made an
 * administrator of the support group, which the desk takes as a team lead when TEAM_LEAD_IDS is unset)
 * confirms it, sets an ETA and the template, and resolves it a while later closing the linked tickets.
 * Customers who write after the confirmation get the desk's "known issue" reply.
 *
 * Live only, on the live timeline (its `speed` shrinks every wait). Customers are new people of their own id
 * range, so the regular traffic never meets them half-way through.
 */
import type { MessageView, SandboxClient } from '../sandbox/client.js';
import { AGENTS, CATEGORY_KEYS, customerName, type CategoryKey, type Lang } from './model.js';
import type { Rng } from './random.js';
import { Aborted, type Timeline } from './timeline.js';

export const ESCALATION_CHAT = -1002000000002;

export interface OutageOptions {
  /** Mean minutes between outages (exponential); the first comes after `firstAfterMinutes`. */
  everyMinutes: number;
  firstAfterMinutes?: number;
  /** Customers writing about one outage (default 9–13). */
  customers?: [min: number, max: number];
  /** Minutes the burst is spread over (default 10). */
  spreadMinutes?: number;
  /** Minutes from the confirmation to the resolution (default 30–60). */
  lastsMinutes?: [min: number, max: number];
}

export interface OutageStats {
  outages: number;
  customers: number;
  /** Suspected-incident posts the team lead saw (and confirmed). */
  confirmed: number;
  /** Customers of an outage who got the desk's known-issue reply. */
  knownIssueReplies: number;
  resolved: number;
  failed: number;
}

/** What an outage is about: its category and what people write (no stop words: these are not urgent cases). */
const OUTAGES: { category: CategoryKey; texts: Record<Lang, string[]> }[] = [
  {
    category: 'account',
    texts: {
      en: [
        "I can't log in, the app says try again later",
        'Login keeps spinning and never finishes',
        'The sign-in page shows an error since this morning',
        'I get logged out every time I open the app',
        'Cannot sign in on my phone or on the website',
        'The login button does nothing for me today',
        'After entering my email the app just freezes',
      ],
      ru: [
        'Не могу войти, приложение просит попробовать позже',
        'Вход крутится и не заканчивается',
        'Страница входа с утра показывает ошибку',
        'Меня выкидывает из приложения при каждом запуске',
        'Не получается войти ни с телефона, ни с сайта',
        'Кнопка входа сегодня ничего не делает',
      ],
    },
  },
  {
    category: 'features',
    texts: {
      en: [
        'The statistics screen is blank for me',
        'History does not load, just an empty list',
        'The export button gives an error',
        'My statistics page has been loading for an hour',
        'The app shows an empty history since the update',
        'Charts in the app stopped showing anything',
      ],
      ru: [
        'Экран статистики у меня пустой',
        'История не загружается, пустой список',
        'Кнопка экспорта выдаёт ошибку',
        'Страница статистики грузится уже час',
        'После обновления история в приложении пустая',
      ],
    },
  },
];

const buttons = (m: MessageView) => m.buttons?.flat() ?? [];

export interface OutageRunner {
  stats: OutageStats;
  /** Settles when the outage loop and every outage in play ended (after the signal aborted). */
  done: Promise<void>;
}

export function startOutages(d: { client: SandboxClient; rng: Rng; tl: Timeline; waitMs: number; signal: AbortSignal; options: OutageOptions }): OutageRunner {
  const { client, rng, tl, signal } = d;
  const o = d.options;
  const stats: OutageStats = { outages: 0, customers: 0, confirmed: 0, knownIssueReplies: 0, resolved: 0, failed: 0 };
  const wait = { timeoutMs: d.waitMs, intervalMs: 200 };
  const running = new Set<Promise<void>>();
  let nextId = 7_600_000_000 + (Math.floor(Date.now() / 1000) % 1_000_000) * 100;
  const lead = AGENTS[0];

  /** One customer of the outage: writes, picks the category, and notes the known-issue reply if it comes. */
  const customer = async (category: CategoryKey, text: string, lang: Lang) => {
    const id = nextId++;
    stats.customers++;
    const first = await client.sendCustomerMessage(id, { text, first_name: customerName(rng, lang), language_code: lang });
    const isPrompt = (m: MessageView) => buttons(m).length === 2 || buttons(m).length >= CATEGORY_KEYS.length;
    let prompt = await client.waitForCustomerMessage(id, isPrompt, { ...wait, after: first.message_id, from: 'bot' });
    if (buttons(prompt).length === 2) {
      // A knowledge-base suggestion: they want a person, the article is not about an outage.
      await client.pressCustomerButton(id, buttons(prompt)[1]!);
      prompt = await client.waitForCustomerMessage(id, (m) => buttons(m).length >= CATEGORY_KEYS.length, { ...wait, after: prompt.message_id, from: 'bot' });
    }
    await client.pressCustomerButton(id, buttons(prompt)[CATEGORY_KEYS.indexOf(category)]!);
    // The known-issue reply carries "Notify me when fixed": one button, after the category prompt.
    const known = await client
      .waitForCustomerMessage(id, (m) => buttons(m).length === 1 && /🔔/.test(buttons(m)[0]!), {
        timeoutMs: 5_000,
        intervalMs: 200,
        after: prompt.message_id,
        from: 'bot',
      })
      .catch(() => undefined);
    if (known) {
      stats.knownIssueReplies++;
      if (rng.chance(0.5)) await client.pressCustomerButton(id, buttons(known)[0]!);
    }
  };

  /** The team lead: confirms the flag, fills the template, resolves it a while later. */
  const teamLead = async (since: number) => {
    const flag = await client.waitForChatMessage(
      ESCALATION_CHAT,
      (m) => m.from === 'bot' && /Suspected incident/.test(m.text ?? '') && buttons(m).some((b) => /Confirm/.test(b)),
      { timeoutMs: d.waitMs * 3, intervalMs: 500, after: since },
    );
    await tl.sleep(rng.lognormal(1.5, 4));
    await client.pressSupportButton({
      chat_id: ESCALATION_CHAT,
      from_id: lead.id,
      message_id: flag.message_id,
      text: buttons(flag).find((b) => /Confirm/.test(b))!,
    });
    const opened = await client.waitForChatMessage(ESCALATION_CHAT, /Incident #\d+ opened/, { ...wait, after: flag.message_id });
    const number = /Incident #(\d+)/.exec(opened.text ?? '')![1]!;
    stats.confirmed++;
    await tl.sleep(rng.lognormal(2, 5));
    await client.sendSupportMessage({
      chat_id: ESCALATION_CHAT,
      from_id: lead.id,
      first_name: lead.name,
      text: `/incident #${number} eta ${rng.int(30, 90)}m`,
    });
    await client.sendSupportMessage({
      chat_id: ESCALATION_CHAT,
      from_id: lead.id,
      first_name: lead.name,
      text: `/incident #${number} text A faulty release broke it | Customers on the latest app version | We are rolling the release back`,
    });
    const [min, max] = o.lastsMinutes ?? [30, 60];
    await tl.sleep(rng.int(min, max));
    await client.sendSupportMessage({
      chat_id: ESCALATION_CHAT,
      from_id: lead.id,
      first_name: lead.name,
      text: `/incident #${number} resolve --close-tickets`,
    });
    stats.resolved++;
  };

  const outage = async () => {
    stats.outages++;
    const plan = rng.pick(OUTAGES);
    const [lo, hi] = o.customers ?? [9, 13];
    const n = rng.int(lo, hi);
    const since = (await client.getChatMessages(ESCALATION_CHAT).catch(() => [])).at(-1)?.message_id ?? 0;
    // The team lead is an administrator of the support group: the desk's team lead when TEAM_LEAD_IDS is unset.
    await client.setMember({ user_id: lead.id, status: 'administrator', first_name: lead.name }).catch(() => undefined);
    const lead$ = teamLead(since);
    const people: Promise<void>[] = [];
    const spread = o.spreadMinutes ?? 10;
    for (let i = 0; i < n && !signal.aborted; i++) {
      const lang: Lang = rng.chance(0.55) ? 'en' : 'ru';
      people.push(customer(plan.category, rng.pick(plan.texts[lang]), lang).catch(failed));
      await tl.sleep(spread / n);
    }
    await Promise.all([...people, lead$.catch(failed)]);
  };

  const failed = (e: unknown) => {
    if (!(e instanceof Aborted) && !signal.aborted) stats.failed++;
  };

  const loop = async () => {
    await tl.sleep(o.firstAfterMinutes ?? rng.exponential(o.everyMinutes));
    while (!signal.aborted) {
      const run: Promise<void> = outage()
        .catch(failed)
        .finally(() => running.delete(run));
      running.add(run);
      await tl.sleep(rng.exponential(o.everyMinutes));
    }
  };
  const done = loop()
    .catch(failed)
    .then(() => Promise.allSettled([...running]))
    .then(() => undefined);
  return { stats, done };
}
