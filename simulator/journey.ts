/**
 * One ticket as people play it through the sandbox: the customer writes, the
 * bot answers (knowledge base or category keyboard), an agent takes it in the
 * topic, they talk, the agent resolves, the customer rates. Every step waits
 * for the bot's reaction, so the desk does all the real work and records all
 * the real events.
 */
import type { MessageView } from '../sandbox/views.js';
import type { SandboxClient } from '../sandbox/client.js';
import {
  AGENTS,
  CATEGORY_KEYS,
  CATEGORY_WEIGHTS,
  P,
  REPLY_TIMES,
  agentReply,
  csatScore,
  customerReply,
  kbQuestion,
  npsScore,
  opening,
  type Lang,
} from './model.js';
import type { Rng } from './random.js';
import type { Timeline } from './timeline.js';

export const SUPPORT_CHAT = -1002000000001;

export interface SimCustomer {
  id: number;
  name: string;
  lang: Lang;
  /** Has written before (not a newcomer for anti-spam, a repeat contact for the desk). */
  seen: boolean;
  /** Left with an open ticket (waiting on them): their next message would join it, so they don't come back as a new contact. */
  open?: boolean;
}

export type TicketOutcome = 'spam' | 'kb' | 'resolved' | 'waiting' | 'lost';

export interface JourneyDeps {
  client: SandboxClient;
  rng: Rng;
  tl: Timeline;
  /** How long to wait for the bot's reaction (the desk throttles its group messages to Telegram's limits). */
  waitMs: number;
}

const buttons = (m: MessageView) => m.buttons?.flat() ?? [];
/** Every action in a replay carries its own date (the sandbox clock is the present's); live ones are dated by the sandbox. */
const dated = (tl: Timeline): { date?: number } => {
  const date = tl.stamp();
  return date === undefined ? {} : { date };
};

export async function playTicket(d: JourneyDeps, c: SimCustomer): Promise<TicketOutcome> {
  const { client, rng, tl } = d;
  const wait = { timeoutMs: d.waitMs, intervalMs: 100 };
  const say = (text: string) => client.sendCustomerMessage(c.id, { text, first_name: c.name, language_code: c.lang, ...dated(tl) });
  const press = (label: string) => client.pressCustomerButton(c.id, label, dated(tl));

  if (!c.seen && rng.chance(P.spam)) {
    await say(c.lang === 'ru' ? 'Заработок от 500$ в день: https://t.me/+easy-money' : 'Earn $500 a day: https://t.me/+easy-money');
    return 'spam';
  }
  c.seen = true;
  const category = rng.weighted(CATEGORY_WEIGHTS);
  const kb = rng.chance(P.kbQuestion);
  const firstText = kb ? kbQuestion(rng, c.lang) : opening(rng, c.lang, CATEGORY_KEYS[category]!);
  const first = await say(firstText);
  const receipt = await client.waitForCustomerMessage(c.id, /#\d+/, { ...wait, after: first.message_id, from: 'bot' });
  const number = Number(/#(\d+)/.exec(receipt.text ?? '')![1]);
  // The receipt has a status button; what follows is the KB suggestion (two buttons) or the category keyboard.
  const isPrompt = (m: MessageView) => buttons(m).length === 2 || buttons(m).length >= CATEGORY_KEYS.length;
  let prompt = await client.waitForCustomerMessage(c.id, isPrompt, { ...wait, after: first.message_id, from: 'bot' });

  // A knowledge-base suggestion has two buttons: solved / a human.
  if (buttons(prompt).length === 2) {
    await tl.sleep(rng.lognormal(1, 4));
    const [solved, human] = buttons(prompt) as [string, string];
    if (rng.chance(P.kbSolved)) {
      await press(solved);
      await client.waitForCustomerMessage(c.id, `#${number}`, { ...wait, after: prompt.message_id, from: 'bot' });
      return 'kb';
    }
    await press(human);
    prompt = await client.waitForCustomerMessage(c.id, (m) => buttons(m).length >= CATEGORY_KEYS.length, { ...wait, after: prompt.message_id, from: 'bot' });
  }

  await tl.sleep(rng.lognormal(0.3, 1));
  await press(buttons(prompt)[category]!);
  const topicRe = new RegExp(`#${number}(?!\\d)`);
  const topic = await client.waitForTopic(topicRe, wait);

  const agent = rng.pick(AGENTS);
  const profile = REPLY_TIMES[CATEGORY_KEYS[category]!];
  const agentSays = async (text: string) => {
    await client.sendSupportMessage({ from_id: agent.id, first_name: agent.name, thread_id: topic.thread_id, text, ...dated(tl) });
  };
  const lastToCustomer = async () => (await client.getCustomerMessages(c.id)).at(-1)?.message_id ?? 0;

  /** The agent's first answer: an article for a KB question, the complaint macro, the receipt macro or their own words. */
  const firstAnswer = async () => {
    if (kb && rng.chance(P.agentFindsArticle)) {
      await agentSays(`/find_kb ${firstText}`.slice(0, 200));
      const list = await client
        .waitForChatMessage(SUPPORT_CHAT, (m) => m.from === 'bot' && (m.buttons?.flat() ?? []).some((b) => b.startsWith('📄')), {
          ...wait,
          threadId: topic.thread_id,
        })
        .catch(() => undefined);
      const label = list?.buttons?.flat()[0];
      if (list && label) {
        await client.pressSupportButton({ from_id: agent.id, thread_id: topic.thread_id, message_id: list.message_id, text: label, ...dated(tl) });
        return;
      }
    }
    if (CATEGORY_KEYS[category] === 'complaint' && rng.chance(P.complaintMacro)) return agentSays('/m complaint');
    return agentSays(rng.chance(P.receiptMacro) ? '/m receipt' : agentReply(rng, c.lang));
  };

  const frt = rng.lognormal(...profile.first);
  await tl.sleep(frt);
  if (rng.chance(0.4)) await agentSays('/take');
  let before = await lastToCustomer();
  if (rng.chance(P.needDetails)) {
    await agentSays('/m need_details');
    await client.waitForCustomerMessage(c.id, () => true, { ...wait, after: before, from: 'bot' });
    if (rng.chance(P.silentAfterDetails)) return 'waiting'; // auto-closes after AUTO_CLOSE_AFTER
    await tl.sleep(rng.lognormal(20, 240));
    await say(customerReply(rng, c.lang));
    await tl.sleep(rng.lognormal(...profile.next));
    await agentSays(agentReply(rng, c.lang));
  } else {
    await firstAnswer();
  }
  for (let round = 0; round < 3 && rng.chance(P.extraRound); round++) {
    await tl.sleep(rng.lognormal(4, 40));
    await say(customerReply(rng, c.lang));
    await tl.sleep(rng.lognormal(...profile.next));
    await agentSays(agentReply(rng, c.lang));
  }

  await tl.sleep(rng.lognormal(2, 15));
  before = await lastToCustomer();
  await agentSays('/resolve');
  const csat = await client
    .waitForCustomerMessage(c.id, (m) => buttons(m).join() === '1,2,3,4,5', { ...wait, after: before, from: 'bot' })
    .catch(() => undefined);
  if (!csat || !rng.chance(P.csatAnswered)) return 'resolved';
  await tl.sleep(rng.lognormal(3, 60));
  const score = csatScore(rng, frt);
  await press(String(score));
  if (rng.chance(P.csatChanged)) {
    await tl.sleep(rng.lognormal(1, 5));
    await press(String(Math.max(1, score - 1)));
  }
  const nps = await client
    .waitForCustomerMessage(c.id, (m) => buttons(m).includes('10'), { ...wait, after: csat.message_id, from: 'bot' })
    .catch(() => undefined);
  if (nps && rng.chance(P.npsAnswered)) {
    await tl.sleep(rng.lognormal(0.5, 3));
    await press(String(npsScore(rng)));
  }
  return 'resolved';
}

/**
 * Answers "Did it help?" for customers whose ticket was resolved: the desk's
 * scheduler sends it FOLLOWUP_DELAY later, whenever that is. Returns the
 * customers whose question was seen (answered or deliberately ignored).
 */
export async function answerFollowups(client: SandboxClient, rng: Rng, customers: Iterable<SimCustomer>, answered: Set<string>): Promise<SimCustomer[]> {
  const done: SimCustomer[] = [];
  for (const c of customers) {
    const msgs = await client.getCustomerMessages(c.id).catch(() => []);
    for (const m of msgs) {
      const b = buttons(m);
      if (m.from !== 'bot' || b.length !== 2 || !/👍/.test(b[0]!) || answered.has(`${c.id}:${m.message_id}`)) continue;
      answered.add(`${c.id}:${m.message_id}`);
      done.push(c);
      if (!rng.chance(P.followupAnswered)) continue;
      await client.pressCustomerButton(c.id, rng.chance(P.followupHelped) ? b[0]! : b[1]!).catch(() => undefined);
    }
  }
  return done;
}
