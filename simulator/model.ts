/**
 * What the simulated support day looks like: when customers write (hour-of-day
 * and weekday curves), what about (category mix, knowledge-base questions),
 * how fast agents answer per queue, how customers rate. Numbers follow the
 * shapes the playbook describes (peaks late morning and evening, most
 * questions routine, CSAT mostly high, a few repeat contacts).
 */
import { KB_PHRASINGS } from '../bot/features/kb/phrasings.js';
import type { Rng } from './random.js';

export type Lang = 'en' | 'ru';

/** Relative contact volume by hour of day (desk time, UTC): quiet nights, a late-morning and an evening peak. */
export const HOUR_WEIGHTS = [1.0, 0.7, 0.5, 0.4, 0.4, 0.6, 1.2, 2.2, 3.5, 4.8, 5.6, 5.8, 5.5, 5.2, 5.0, 4.8, 4.6, 4.7, 5.1, 5.4, 5.0, 4.0, 2.8, 1.7] as const;
/** Relative volume by weekday, Sunday first (Date#getUTCDay). */
export const WEEKDAY_WEIGHTS = [0.7, 1.15, 1.05, 1.0, 1.0, 0.95, 0.75] as const;
const MEAN_HOUR_WEIGHT = HOUR_WEIGHTS.reduce((a, b) => a + b, 0) / 24;

/** How busy the desk is at `t` relative to an average hour of an average day. */
export function loadFactor(t: Date): number {
  return (HOUR_WEIGHTS[t.getUTCHours()]! / MEAN_HOUR_WEIGHT) * WEEKDAY_WEIGHTS[t.getUTCDay()]!;
}
/** The busiest hour's load factor (the two curves are independent, so the product of their peaks). */
export const PEAK_LOAD = (Math.max(...HOUR_WEIGHTS) / MEAN_HOUR_WEIGHT) * Math.max(...WEEKDAY_WEIGHTS);

/** New tickets on an average weekday: the one volume parameter, for replayed history and live traffic alike. */
export const TICKETS_PER_DAY = 24;

/** The category keyboard, in the desk's order (payment, account, features, complaint, ideas), and how often each is picked. */
export const CATEGORY_WEIGHTS = [0.38, 0.27, 0.18, 0.1, 0.07] as const;
export const CATEGORY_KEYS = ['payment', 'account', 'features', 'complaint', 'ideas'] as const;
export type CategoryKey = (typeof CATEGORY_KEYS)[number];

export interface ReplyProfile {
  /** First response, minutes: median and p90. */
  first: [number, number];
  /** Later replies and resolution, minutes. */
  next: [number, number];
}
/** By category (its queue under the default routing: payment → payments, complaint → L2, others → L1). */
export const REPLY_TIMES: Record<CategoryKey, ReplyProfile> = {
  payment: { first: [5, 16], next: [6, 25] },
  account: { first: [7, 22], next: [8, 30] },
  features: { first: [8, 25], next: [10, 35] },
  complaint: { first: [14, 45], next: [20, 90] },
  ideas: { first: [10, 40], next: [15, 60] },
};

export const LANG_WEIGHTS: Record<Lang, number> = { en: 0.55, ru: 0.45 };

export const P = {
  /** A new ticket opens with a question the knowledge base answers. */
  kbQuestion: 0.35,
  /** …and the customer says the article solved it. */
  kbSolved: 0.62,
  /** A ticket comes from a customer seen in the last days (repeat contact). */
  repeat: 0.12,
  /** A newcomer's first message carries a photo or a link: anti-spam opens the ticket but holds the message on the ticket card. */
  held: 0.04,
  /** …and it is real spam (a money-making link): the agent resolves it as spam instead of releasing it. */
  spam: 0.25,
  /** Agent's first answer is the receipt macro / asks for details. */
  receiptMacro: 0.2,
  needDetails: 0.12,
  /** A complaint is answered with the complaint macro. */
  complaintMacro: 0.6,
  /** A knowledge-base question that reached a human is answered with an article found by /find_kb. */
  agentFindsArticle: 0.5,
  /** A customer asked for details never answers (the ticket auto-closes). */
  silentAfterDetails: 0.25,
  /** Extra back-and-forth rounds after the first answer. */
  extraRound: 0.45,
  csatAnswered: 0.6,
  npsAnswered: 0.75,
  /** A customer changes the CSAT they gave. */
  csatChanged: 0.05,
  followupAnswered: 0.6,
  /** "Did it help?" answered yes; no reopens the ticket, which an agent answers and resolves again. */
  followupHelped: 0.88,
} as const;

/** The journey's probabilities: the model's `P`, or a test's own (e.g. spam forced on). */
export type Probabilities = { readonly [K in keyof typeof P]: number };

/** CSAT 1–5: mostly 5s; slow first responses pull it down. */
export function csatScore(rng: Rng, firstResponseMinutes: number, lift = 0): number {
  const slow = Math.min(1, firstResponseMinutes / 60);
  const score = 1 + rng.weighted([0.04 + 0.1 * slow, 0.04 + 0.08 * slow, 0.08 + 0.1 * slow, 0.26, 0.58 - 0.28 * slow]);
  // An experiment's effect (the demo's step-by-step receipt): a score below 5 becomes 5 with this chance.
  // No draw without one, so a run without the effect plays exactly as before.
  return lift > 0 && score < 5 && rng.chance(lift) ? 5 : score;
}

/** NPS 0–10: promoters, passives, detractors roughly 55/28/17 %. */
export function npsScore(rng: Rng): number {
  const bucket = rng.weighted([0.17, 0.28, 0.55]);
  return bucket === 0 ? rng.int(0, 6) : bucket === 1 ? rng.int(7, 8) : rng.int(9, 10);
}

const FIRST_NAMES: Record<Lang, readonly string[]> = {
  en: ['Anna', 'James', 'Olivia', 'Liam', 'Emma', 'Noah', 'Mia', 'Lucas', 'Sophia', 'Ethan', 'Grace', 'Daniel', 'Chloe', 'Ryan', 'Zoe', 'Adam'],
  ru: ['Анна', 'Иван', 'Мария', 'Дмитрий', 'Елена', 'Алексей', 'Ольга', 'Сергей', 'Наталья', 'Павел', 'Ирина', 'Михаил', 'Татьяна', 'Артём', 'Юлия', 'Никита'],
};

export function customerName(rng: Rng, lang: Lang): string {
  return rng.pick(FIRST_NAMES[lang]);
}

/** Openings that are not knowledge-base questions, by category. */
const OPENINGS: Record<Lang, Record<CategoryKey, readonly string[]>> = {
  en: {
    payment: [
      'I was charged twice for my order',
      'Why is there an extra fee on my statement?',
      'The payment went through but my balance did not change',
      'Can I pay with a bank transfer instead of a card?',
    ],
    account: [
      'Please update the name on my profile',
      'I want to merge two accounts',
      'How do I add a second user to our business account?',
      'My profile shows the wrong country',
    ],
    features: ['Is there a dark mode?', 'How do I export my history to Excel?', 'Can I set up recurring transfers?', 'Where do I find the statistics screen?'],
    complaint: [
      'Your courier was rude and left the parcel outside',
      'I have been waiting for an answer for two days',
      'The support agent closed my question without solving it',
      'I am very unhappy with the service this month',
    ],
    ideas: [
      'It would be great to have Apple Pay',
      'Please add notifications for large payments',
      'Could you add a widget for the home screen?',
      'Suggestion: let us pick the statement currency',
    ],
  },
  ru: {
    payment: [
      'С меня дважды списали деньги за заказ',
      'Почему в выписке лишняя комиссия?',
      'Оплата прошла, а баланс не изменился',
      'Можно оплатить банковским переводом вместо карты?',
    ],
    account: [
      'Пожалуйста, исправьте имя в профиле',
      'Хочу объединить два аккаунта',
      'Как добавить второго пользователя в бизнес-аккаунт?',
      'В профиле указана не та страна',
    ],
    features: ['Есть ли тёмная тема?', 'Как выгрузить историю в Excel?', 'Можно настроить регулярные переводы?', 'Где найти экран со статистикой?'],
    complaint: [
      'Курьер нагрубил и оставил посылку у двери',
      'Жду ответа уже два дня',
      'Агент закрыл вопрос, не решив его',
      'Очень недоволен сервисом в этом месяце',
    ],
    ideas: [
      'Было бы здорово добавить Apple Pay',
      'Добавьте уведомления о крупных платежах',
      'Сделайте виджет для главного экрана',
      'Предложение: дайте выбирать валюту выписки',
    ],
  },
};

const AGENT_REPLIES: Record<Lang, readonly string[]> = {
  en: [
    'Thanks for waiting — I checked and it is fixed now.',
    'I have looked into this: here is what happened and what we did.',
    'Could you confirm the date and amount, please?',
    'Done! Let me know if anything else comes up.',
  ],
  ru: [
    'Спасибо за ожидание — я проверила, теперь всё исправлено.',
    'Я разобрался: вот что произошло и что мы сделали.',
    'Подтвердите, пожалуйста, дату и сумму.',
    'Готово! Если будут ещё вопросы — пишите.',
  ],
};

const CUSTOMER_REPLIES: Record<Lang, readonly string[]> = {
  en: ['It was yesterday, 49.90', 'Thanks, that works', 'OK, waiting', 'Here are the details: order 58213'],
  ru: ['Это было вчера, 4990 ₽', 'Спасибо, всё работает', 'Хорошо, жду', 'Вот данные: заказ 58213'],
};

export function kbQuestion(rng: Rng, lang: Lang): string {
  return rng.pick(KB_PHRASINGS.filter((p) => p.lang === lang)).text;
}
export const opening = (rng: Rng, lang: Lang, c: CategoryKey) => rng.pick(OPENINGS[lang][c]);
export const agentReply = (rng: Rng, lang: Lang) => rng.pick(AGENT_REPLIES[lang]);
export const customerReply = (rng: Rng, lang: Lang) => rng.pick(CUSTOMER_REPLIES[lang]);

/** The support team: ids in a range of their own, names agents would have. */
export const AGENTS = [
  { id: 9_100_001, name: 'Maria' },
  { id: 9_100_002, name: 'Tom' },
  { id: 9_100_003, name: 'Ksenia' },
  { id: 9_100_004, name: 'Omar' },
  { id: 9_100_005, name: 'Lena' },
  { id: 9_100_006, name: 'Victor' },
] as const;
