/**
 * One ticket as people play it through the sandbox: the customer writes, the
 * bot answers (knowledge base or category keyboard), an agent takes it in the
 * topic, they talk, the agent resolves, the customer rates. Every step waits
 * for the bot's reaction, so the desk does all the real work and records all
 * the real events.
 *
 * Every ticket the simulator opens ends or is left waiting on purpose:
 * - a newcomer's first message with a photo or link opens a ticket whose
 *   message anti-spam holds on the ticket card: the agent releases it and
 *   answers, or — real spam — resolves the ticket as spam;
 * - a customer's message reaches the topic before the agent acts on it (so a
 *   reply is never relayed after the agent's /resolve, which would open a
 *   phantom ticket);
 * - a ticket reopened by "Didn't help" is answered and resolved again
 *   (`playReopened`).
 */
import type { CustomerMessageInput, SandboxClient } from '../sandbox/client.js';
import type { MessageView, TopicView } from '../sandbox/views.js';
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
  type Probabilities,
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
  /** Left with an open ticket (waiting on them), or a spammer: their next message would join it, so they don't come back as a new contact. */
  open?: boolean;
  /** Their topic in the support group (one per customer), once seen. */
  thread?: number;
}

/**
 * How a ticket ended: spam (held on the card, resolved as spam by the agent), answered by the knowledge base,
 * resolved by an agent, left waiting on the customer (auto-closes later), or lost (the simulator gave up).
 */
export type TicketOutcome = 'spam' | 'kb' | 'resolved' | 'waiting' | 'lost';

/** What happened along the way, for the simulator's stats. */
export interface TicketNotes {
  /** The first message was held by anti-spam (a newcomer's photo or link). */
  held?: boolean;
  /** …and the agent released it into the topic. */
  released?: boolean;
  /** Which receipt the desk sent (the demo experiment receipt-style, experiments/): the short one or the step-by-step one (1️⃣ 2️⃣ …). */
  receipt?: 'short' | 'steps';
  /**
   * The variant of each experiment surface the customer met in this ticket, as they read it, by the desk's variant
   * names (analytics/experiments/definition.ts SURFACE_VARIANTS): `receipt` control / steps (1️⃣ 2️⃣ … in the
   * receipt), `notifications` control / summary (the resolution as one summary, "• queue: …").
   */
  seen?: Partial<Record<EffectSurface, string>>;
}

/** The experiment surfaces the simulator can tell apart by what the customer reads. */
export const EFFECT_SURFACES = ['receipt', 'notifications'] as const;
export type EffectSurface = (typeof EFFECT_SURFACES)[number];

/**
 * A running experiment's real effect, played by the customers who met `variant` of `surface` (the desk decides who
 * does; the simulator only reads what it sent): `lift` is the chance that one who would have rated below 5 rates 5
 * instead (0: none, an A/A test).
 */
export interface ExperimentEffect {
  surface: EffectSurface;
  variant: string;
  lift: number;
}

/** The effect's lift for this ticket: its lift when the customer met its variant, else 0. */
export function liftOf(effect: ExperimentEffect | undefined, notes: TicketNotes): number {
  return effect && effect.lift > 0 && notes.seen?.[effect.surface] === effect.variant ? effect.lift : 0;
}

export interface JourneyDeps {
  client: SandboxClient;
  rng: Rng;
  tl: Timeline;
  /** How long to wait for the bot's reaction (the desk throttles its group messages to Telegram's limits). */
  waitMs: number;
  /** The journey's probabilities (default: the model's P). */
  p?: Probabilities;
  /**
   * The running demo experiment's real effect (ExperimentEffect; the demo's: experiments/receipt-style.yaml, steps).
   * The simulator only reads what the desk sent, as a person would; the desk's assignment decides who gets which.
   */
  effect?: ExperimentEffect;
}

const buttons = (m: MessageView) => m.buttons?.flat() ?? [];
/** Every action in a replay carries its own date (the sandbox clock is the present's); live ones are dated by the sandbox. */
const dated = (tl: Timeline): { date?: number } => {
  const date = tl.stamp();
  return date === undefined ? {} : { date };
};

const ticketTopic = (number: number) => new RegExp(`#${number}(?!\\d)`);

/** The agent on the ticket card: presses its "📎 Release held (N)" and waits until the held message is in the topic. */
async function releaseHeld(client: SandboxClient, topic: TopicView, agent: (typeof AGENTS)[number], wait: { timeoutMs: number; intervalMs: number }) {
  const release = (m: MessageView) => buttons(m).find((b) => b.startsWith('📎'));
  const card = await client.waitForChatMessage(SUPPORT_CHAT, (m) => m.from === 'bot' && release(m) !== undefined, { ...wait, threadId: topic.thread_id });
  await client.pressSupportButton({ from_id: agent.id, thread_id: topic.thread_id, message_id: card.message_id, text: release(card)! });
  await client.waitForChatMessage(SUPPORT_CHAT, (m) => m.media !== undefined && m.media !== null, {
    ...wait,
    threadId: topic.thread_id,
    after: card.message_id,
  });
}

export async function playTicket(d: JourneyDeps, c: SimCustomer, notes: TicketNotes = {}): Promise<TicketOutcome> {
  const { client, rng, tl } = d;
  const p = d.p ?? P;
  const wait = { timeoutMs: d.waitMs, intervalMs: 100 };
  const send = (input: Omit<CustomerMessageInput, 'first_name' | 'language_code' | 'date'>) =>
    client.sendCustomerMessage(c.id, { ...input, first_name: c.name, language_code: c.lang, ...dated(tl) });
  const say = (text: string) => send({ text });
  const press = (label: string) => client.pressCustomerButton(c.id, label, dated(tl));
  // The receipt (or an urgent ticket's 🚨 message, which stands in for it); what the bot asks next comes after it.
  let receipt: MessageView | undefined;
  const receiptOf = async (first: { message_id: number }) => {
    receipt = await client.waitForCustomerMessage(c.id, /#\d+/, { ...wait, after: first.message_id, from: 'bot' });
    notes.receipt = receipt.text?.includes('1️⃣') ? 'steps' : 'short';
    notes.seen = { ...notes.seen, receipt: notes.receipt === 'steps' ? 'steps' : 'control' };
    return Number(/#(\d+)/.exec(receipt.text ?? '')![1]);
  };

  // A newcomer's photo or link opens a ticket; anti-spam holds the message itself on the ticket card.
  const held = !c.seen && rng.chance(p.held);
  notes.held = held;
  if (held && rng.chance(p.spam)) {
    const first = await say(c.lang === 'ru' ? 'Заработок от 500$ в день: https://t.me/+easy-money' : 'Earn $500 a day: https://t.me/+easy-money');
    const number = await receiptOf(first);
    const topic = await client.waitForTopic(ticketTopic(number), wait);
    // An agent gets to it like to any new ticket, sees what was held (the note in the topic) and resolves it as spam.
    await tl.sleep(rng.lognormal(...REPLY_TIMES.features.first));
    const agent = rng.pick(AGENTS);
    await client.waitForChatMessage(SUPPORT_CHAT, (m) => m.from === 'bot' && buttons(m).some((b) => b.startsWith('📎')), {
      ...wait,
      threadId: topic.thread_id,
    });
    const before = (await client.getCustomerMessages(c.id)).at(-1)?.message_id ?? 0;
    await client.sendSupportMessage({ from_id: agent.id, first_name: agent.name, thread_id: topic.thread_id, text: '/resolve', ...dated(tl) });
    // Resolved: the desk says so to the customer (and asks for a rating, which a spammer ignores).
    await client.waitForCustomerMessage(c.id, () => true, { ...wait, after: before, from: 'bot' });
    return 'spam';
  }
  c.seen = true;
  const category = rng.weighted(CATEGORY_WEIGHTS);
  const kb = !held && rng.chance(p.kbQuestion);
  const firstText = kb ? kbQuestion(rng, c.lang) : opening(rng, c.lang, CATEGORY_KEYS[category]!);
  // Held: a screenshot with the question as its caption.
  const first = await (held ? send({ photo: {}, caption: firstText }) : say(firstText));
  const number = await receiptOf(first);
  // The receipt has a status button; what follows is the KB suggestion (two buttons) or the category keyboard —
  // or nothing more when the question had a stop word (bot/features/urgent/): its 🚨 message was the receipt.
  const isUrgent = (m: MessageView) => (m.text ?? '').startsWith('🚨');
  const isPrompt = (m: MessageView) => isUrgent(m) || buttons(m).length === 2 || buttons(m).length >= CATEGORY_KEYS.length;
  // After the receipt, not the question: the receipt's own two buttons (status, track in the app) are no KB suggestion.
  let prompt = isUrgent(receipt!) ? receipt! : await client.waitForCustomerMessage(c.id, isPrompt, { ...wait, after: receipt!.message_id, from: 'bot' });

  // A knowledge-base suggestion has two buttons: solved / a human.
  if (buttons(prompt).length === 2) {
    await tl.sleep(rng.lognormal(1, 4));
    const [solved, human] = buttons(prompt) as [string, string];
    if (rng.chance(p.kbSolved)) {
      await press(solved);
      await client.waitForCustomerMessage(c.id, `#${number}`, { ...wait, after: prompt.message_id, from: 'bot' });
      return 'kb';
    }
    await press(human);
    prompt = await client.waitForCustomerMessage(c.id, (m) => buttons(m).length >= CATEGORY_KEYS.length, { ...wait, after: prompt.message_id, from: 'bot' });
  }

  if (!isUrgent(prompt)) {
    await tl.sleep(rng.lognormal(0.3, 1));
    await press(buttons(prompt)[category]!);
  }
  const topic = await client.waitForTopic(ticketTopic(number), wait);
  c.thread = topic.thread_id;

  const agent = rng.pick(AGENTS);
  /** Texts this customer sent in this ticket: anti-spam drops the same text again within its window as a duplicate. */
  const said = new Set<string>([firstText]);
  const reply = () => {
    let text = customerReply(rng, c.lang);
    for (let i = 0; i < 8 && said.has(text); i++) text = customerReply(rng, c.lang);
    said.add(text);
    return text;
  };
  /** The customer writes and the agent acts only once it is in the topic (a reply relayed after /resolve would open a new ticket). */
  const sayInTopic = async (text: string) => {
    const last = (await client.getChatMessages(SUPPORT_CHAT, { threadId: topic.thread_id })).at(-1)?.message_id ?? 0;
    await say(text);
    await client.waitForChatMessage(SUPPORT_CHAT, (m) => m.media === undefined && (m.text ?? '').includes(text), {
      ...wait,
      threadId: topic.thread_id,
      after: last,
      from: 'any',
    });
  };
  const profile = REPLY_TIMES[CATEGORY_KEYS[category]!];
  const agentSays = async (text: string) => {
    await client.sendSupportMessage({ from_id: agent.id, first_name: agent.name, thread_id: topic.thread_id, text, ...dated(tl) });
  };
  const lastToCustomer = async () => (await client.getCustomerMessages(c.id)).at(-1)?.message_id ?? 0;

  /** The agent's first answer: an article for a KB question, the complaint macro, the receipt macro or their own words. */
  const firstAnswer = async () => {
    if (kb && rng.chance(p.agentFindsArticle)) {
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
    if (CATEGORY_KEYS[category] === 'complaint' && rng.chance(p.complaintMacro)) return agentSays('/m complaint');
    return agentSays(rng.chance(p.receiptMacro) ? '/m receipt' : agentReply(rng, c.lang));
  };

  const frt = rng.lognormal(...profile.first);
  await tl.sleep(frt);
  if (held) {
    // The agent looks at what the newcomer sent and lets it through.
    await releaseHeld(client, topic, agent, wait);
    notes.released = true;
  }
  if (rng.chance(0.4)) await agentSays('/take');
  const before = await lastToCustomer();
  if (rng.chance(p.needDetails)) {
    await agentSays('/m need_details');
    await client.waitForCustomerMessage(c.id, () => true, { ...wait, after: before, from: 'bot' });
    if (rng.chance(p.silentAfterDetails)) return 'waiting'; // auto-closes after AUTO_CLOSE_AFTER
    await tl.sleep(rng.lognormal(20, 240));
    await sayInTopic(reply());
    await tl.sleep(rng.lognormal(...profile.next));
    await agentSays(agentReply(rng, c.lang));
  } else {
    await firstAnswer();
  }
  for (let round = 0; round < 3 && rng.chance(p.extraRound); round++) {
    await tl.sleep(rng.lognormal(4, 40));
    await sayInTopic(reply());
    await tl.sleep(rng.lognormal(...profile.next));
    await agentSays(agentReply(rng, c.lang));
  }

  await tl.sleep(rng.lognormal(2, 15));
  await resolveAndRate({ ...d, p }, c, agentSays, frt, notes);
  return 'resolved';
}

/** The agent resolves; the customer may rate (CSAT, then NPS). */
async function resolveAndRate(
  d: JourneyDeps & { p: Probabilities },
  c: SimCustomer,
  agentSays: (text: string) => Promise<void>,
  frt = 10,
  /** What the customer met so far (the receipt); the resolution's notice is added here. */
  notes: TicketNotes = {},
): Promise<void> {
  const { client, rng, tl, p } = d;
  const wait = { timeoutMs: d.waitMs, intervalMs: 100 };
  const press = (label: string) => client.pressCustomerButton(c.id, label, dated(tl));
  const before = (await client.getCustomerMessages(c.id)).at(-1)?.message_id ?? 0;
  await agentSays('/resolve');
  const csat = await client
    .waitForCustomerMessage(c.id, (m) => buttons(m).join() === '1,2,3,4,5', { ...wait, after: before, from: 'bot' })
    .catch(() => undefined);
  if (!csat) return;
  // The desk said it is solved before asking (bot/notifier.ts): a short note, or one summary ("• queue: …").
  const solved = (await client.getCustomerMessages(c.id)).find((m) => m.message_id > before && m.from === 'bot' && (m.text ?? '').startsWith('🏁'));
  if (solved) notes.seen = { ...notes.seen, notifications: /\n\s*•/.test(solved.text ?? '') ? 'summary' : 'control' };
  if (!rng.chance(p.csatAnswered)) return;
  await tl.sleep(rng.lognormal(3, 60));
  const score = csatScore(rng, frt, liftOf(d.effect, notes));
  await press(String(score));
  if (rng.chance(p.csatChanged)) {
    await tl.sleep(rng.lognormal(1, 5));
    await press(String(Math.max(1, score - 1)));
  }
  const nps = await client
    .waitForCustomerMessage(c.id, (m) => buttons(m).includes('10'), { ...wait, after: csat.message_id, from: 'bot' })
    .catch(() => undefined);
  if (nps && rng.chance(p.npsAnswered)) {
    await tl.sleep(rng.lognormal(0.5, 3));
    await press(String(npsScore(rng)));
  }
}

/** A "Did it help?" the customer answered with no: the desk reopened ticket `number`. */
export interface Unhelped {
  customer: SimCustomer;
  number: number;
  /** The customer's last message before the press (the desk's "open again" comes after it). */
  after: number;
}

/**
 * Answers "Did it help?" for customers whose ticket was resolved: the desk's
 * scheduler sends it FOLLOWUP_DELAY later, whenever that is. Returns the
 * customers whose question was seen (answered or deliberately ignored), and
 * the tickets they said did not help — reopened, for an agent to play
 * (`playReopened`). `mayReopen` says whether a customer may answer no now
 * (not while another ticket of theirs is in play: the desk would refuse the
 * reopen and the agent would resolve the wrong ticket).
 */
export async function answerFollowups(
  client: SandboxClient,
  rng: Rng,
  customers: Iterable<SimCustomer>,
  answered: Set<string>,
  o: { p?: Probabilities; mayReopen?: (c: SimCustomer) => boolean } = {},
): Promise<{ seen: SimCustomer[]; unhelped: Unhelped[] }> {
  const p = o.p ?? P;
  const seen: SimCustomer[] = [];
  const unhelped: Unhelped[] = [];
  for (const c of customers) {
    const msgs = await client.getCustomerMessages(c.id).catch(() => []);
    for (const m of msgs) {
      const b = buttons(m);
      if (m.from !== 'bot' || b.length !== 2 || !/👍/.test(b[0]!) || answered.has(`${c.id}:${m.message_id}`)) continue;
      const helped = rng.chance(p.followupHelped);
      // Busy with another ticket: they answer on a later sweep.
      if (!helped && o.mayReopen && !o.mayReopen(c)) continue;
      answered.add(`${c.id}:${m.message_id}`);
      seen.push(c);
      if (!rng.chance(p.followupAnswered)) continue;
      const after = msgs.at(-1)?.message_id ?? 0;
      const pressed = await client.pressCustomerButton(c.id, helped ? b[0]! : b[1]!).then(
        () => true,
        () => false,
      );
      const number = Number(/#(\d+)/.exec(m.text ?? '')?.[1]);
      if (pressed && !helped && number > 0) {
        unhelped.push({ customer: c, number, after });
        break; // one reopened ticket of theirs at a time: another follow-up waits for a later sweep
      }
    }
  }
  return { seen, unhelped };
}

/**
 * A ticket reopened by "Didn't help": an agent answers in the customer's
 * topic and resolves it again. Played on the
 * live timeline: the press has no date, so the reopen is now.
 */
export async function playReopened(d: JourneyDeps, u: Unhelped): Promise<void> {
  const { client, rng, tl } = d;
  const c = u.customer;
  const wait = { timeoutMs: d.waitMs, intervalMs: 100 };
  // The desk tells the customer the ticket is open again, and the agents in the topic ("❗️ … #N …").
  await client.waitForCustomerMessage(c.id, `#${u.number}`, { ...wait, after: u.after, from: 'bot' });
  const thread = c.thread ?? (await client.waitForTopic(ticketTopic(u.number), wait)).thread_id;
  await client.waitForChatMessage(SUPPORT_CHAT, (m) => m.from === 'bot' && (m.text ?? '').startsWith('❗️') && ticketTopic(u.number).test(m.text ?? ''), {
    ...wait,
    threadId: thread,
  });
  const agent = rng.pick(AGENTS);
  const agentSays = async (text: string) => {
    await client.sendSupportMessage({ from_id: agent.id, first_name: agent.name, thread_id: thread, text, ...dated(tl) });
  };
  // Flagged ❗️ at the top of the agents' list, with its resolution time long gone: someone gets to it within minutes.
  await tl.sleep(rng.lognormal(3, 10));
  await agentSays(agentReply(rng, c.lang));
  await tl.sleep(rng.lognormal(2, 15));
  // Resolved again: the desk tells the customer (ratings are asked once per ticket, so no new survey).
  const before = (await client.getCustomerMessages(c.id)).at(-1)?.message_id ?? 0;
  await agentSays('/resolve');
  await client.waitForCustomerMessage(c.id, () => true, { ...wait, after: before, from: 'bot' });
}
