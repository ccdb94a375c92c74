/**
 * Some customers open the desk's Mini App instead of (or besides) writing: the sandbox hands out their
 * signed launch data and the app's URL (the bot's menu button, GET /sandbox/customers/{id}/webapp), and the
 * visit calls the app's API with it as the app would (`Authorization: tma <initData>`): it opens, and either
 * - browses the help centre: searches with a customer phrasing, reads the best article, says whether it
 *   helped and sometimes taps "Solved by this article" (a deflection: no ticket), or
 * - checks "My requests", or
 * - sends a request from the form, which an agent then answers and resolves in its topic like any other
 *   (every ticket the simulator opens is played to its end).
 * Live traffic only: the app's API dates everything now, so a replayed past has no app visits.
 */
import type { SandboxClient } from '../sandbox/client.js';
import { AGENTS, CATEGORY_KEYS, REPLY_TIMES, agentReply, kbQuestion, opening } from './model.js';
import type { SimCustomer } from './journey.js';
import { SUPPORT_CHAT } from './journey.js';
import type { Rng } from './random.js';
import type { Timeline } from './timeline.js';

export type AppVisitOutcome = 'no-app' | 'deflected' | 'browsed' | 'requests' | 'requested';

export interface AppVisitDeps {
  client: SandboxClient;
  rng: Rng;
  tl: Timeline;
  waitMs: number;
}

/** Chances inside a visit. */
export const APP_P = { helpCentre: 0.55, solved: 0.45, helpful: 0.7, request: 0.35 } as const;

export async function visitApp(d: AppVisitDeps, c: SimCustomer): Promise<AppVisitOutcome> {
  const { client, rng } = d;
  const launch = await client.openWebApp(c.id);
  if (!launch.url) return 'no-app';
  const api = new URL('api/', launch.url.split('#')[0]!.split('?')[0]!).toString();
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(api + path, {
      method,
      headers: { authorization: `tma ${launch.init_data}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`app API ${method} ${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    return (await res.json()) as T;
  };
  await call('POST', 'opened', {});

  if (c.seen && !c.open && rng.chance(APP_P.request)) {
    // A request from the form: the desk opens the ticket exactly as for a message; an agent plays it out.
    const category = rng.pick([...CATEGORY_KEYS]);
    const { number } = await call<{ number: number; created: boolean }>('POST', 'tickets', { category, text: opening(rng, c.lang, category) });
    const wait = { timeoutMs: d.waitMs, intervalMs: 200 };
    const topic = await client.waitForTopic(new RegExp(`#${number}(?!\\d)`), wait);
    await d.tl.sleep(rng.lognormal(...REPLY_TIMES[category].first));
    const agent = rng.pick(AGENTS);
    const reply = agentReply(rng, c.lang);
    await client.sendSupportMessage({ from_id: agent.id, first_name: agent.name, thread_id: topic.thread_id, text: reply });
    await client.waitForCustomerMessage(c.id, reply, wait);
    // The customer reads it in the app's ticket page.
    await call('GET', `tickets/${number}`);
    await d.tl.sleep(rng.lognormal(...REPLY_TIMES[category].next));
    const resolve = await client.sendSupportMessage({ from_id: agent.id, thread_id: topic.thread_id, text: '/resolve' });
    await client.waitForChatMessage(SUPPORT_CHAT, (m) => m.from === 'bot' && (m.text ?? '').startsWith('🏁'), {
      ...wait,
      threadId: topic.thread_id,
      after: resolve.message_id,
    });
    return 'requested';
  }

  if (!rng.chance(APP_P.helpCentre)) {
    const { tickets } = await call<{ tickets: Array<{ number: number }> }>('GET', 'tickets');
    if (tickets[0]) await call('GET', `tickets/${tickets[0].number}`);
    return 'requests';
  }

  const { articles } = await call<{ articles: Array<{ id: string }> }>('GET', `kb/search?q=${encodeURIComponent(kbQuestion(rng, c.lang))}`);
  const top = articles[0] ?? (await call<{ articles: Array<{ id: string }> }>('GET', 'kb/popular')).articles[0];
  if (!top) return 'browsed';
  await call('GET', `kb/articles/${encodeURIComponent(top.id)}`);
  const helped = rng.chance(APP_P.helpful);
  await call('POST', `kb/articles/${encodeURIComponent(top.id)}/helpful`, { helpful: helped });
  if (helped && rng.chance(APP_P.solved)) {
    await call('POST', `kb/articles/${encodeURIComponent(top.id)}/solved`, {});
    return 'deflected';
  }
  return 'browsed';
}
