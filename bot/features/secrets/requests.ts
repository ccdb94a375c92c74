/**
 * Whether an agent's reply asks the customer for a secret — a password, a 2FA/SMS code, a seed phrase (or
 * private key) or a card's CVV — which staff must never do (pure, no I/O).
 *
 * A sentence asks when it names a secret and carries a request ("send me", "what's", "пришлите", "بفرستید",
 * an imperative "send/tell/give…" opening it), and the clause with the request has no negation ("never
 * share your password", "никому не сообщайте код", "رمز را به هیچ کس ندهید" are advice, not requests).
 * "code" next to error/order/promo… is not a secret. One pass over the words: linear in the text.
 */
import { isLetter, type SecretKind } from './mask.js';

export type AskedSecret = Exclude<SecretKind, 'card'>;

const isWordChar = (ch: string) => isLetter(ch) || (ch >= '0' && ch <= '9') || ch === "'" || ch === '’';
const SENTENCE_END = new Set(['.', '!', '?', '\n', '؟', '…']);
const CLAUSE_END = new Set([',', ';', '،', ':']);

const IMPERATIVES = new Set(['send', 'give', 'tell', 'share', 'provide', 'forward', 'dictate', 'type', 'write', 'reply', 'read', 'post', 'drop']);
const OPENERS = new Set(['please', 'pls', 'plz', 'kindly', 'just', 'now', 'also', 'and', 'then', 'ok', 'okay']);
const CAN_YOU = new Set(['can', 'could', 'would', 'will']);
const TO_US = new Set(['me', 'us']);
const VERBS_TO_US = new Set(['send', 'give', 'tell', 'forward', 'read', 'show', 'share', 'dictate', 'text']);
const REQUEST_WORDS = new Set([
  // en
  "what's",
  'whats',
  'what’s',
  // ru
  'пришлите',
  'пришли',
  'присылайте',
  'отправьте',
  'отправь',
  'скиньте',
  'скинь',
  'скажите',
  'скажи',
  'назовите',
  'назови',
  'продиктуйте',
  'продиктуй',
  'напишите',
  'напиши',
  'сообщите',
  'сообщи',
  'дайте',
  'дай',
  'укажите',
  'какой',
  'какая',
  'нужен',
  'нужна',
  // fa
  'بفرستید',
  'بفرستین',
  'بفرست',
  'بگویید',
  'بگید',
  'بگو',
  'بدهید',
  'بدید',
  'بده',
  'بنویسید',
  'چیست',
  'چیه',
]);
/** A word that asks together with the next one ("what is", "need your", "ارسال کنید"). */
const REQUEST_PAIRS = new Map<string, Set<string>>([
  ['what', new Set(['is', 'was', 'are'])],
  ['need', new Set(['your', 'the'])],
  ['ارسال', new Set(['کنید', 'کنین', 'نمایید', 'بفرمایید'])],
  ['اعلام', new Set(['کنید', 'کنین', 'نمایید', 'بفرمایید'])],
]);
const NEGATIONS = new Set([
  'never',
  'not',
  "don't",
  'dont',
  'don’t',
  "won't",
  'nobody',
  'no',
  'не',
  'никогда',
  'никому',
  'нельзя',
  'هرگز',
  'هیچ',
  'نباید',
  'نفرستید',
  'ندهید',
  'نگویید',
  'نگید',
]);

/** Words naming a secret, or starting one ("мнемон…"). */
const PASSWORD = new Set(['password', 'passwords', 'passcode', 'passphrase', 'pwd', 'пароль', 'пароля', 'паролем', 'رمز', 'گذرواژه']);
const CODE = new Set(['code', 'codes', 'otp', '2fa', 'totp', 'код', 'кода', 'коду', 'кодом', 'коды', 'کد']);
const CVV = new Set(['cvv', 'cvc', 'cvv2', 'cvc2']);
const SEED_STEMS = ['seed', 'mnemonic', 'мнемон', 'сид'];
/** Next to "code", a word that makes it no secret (error code, order code, promo code…). */
const NOT_A_SECRET_CODE = new Set([
  'error',
  'order',
  'promo',
  'discount',
  'coupon',
  'tracking',
  'zip',
  'postal',
  'country',
  'area',
  'status',
  'source',
  'qr',
  'invite',
  'referral',
  'reference',
  'ошибки',
  'заказа',
  'страны',
  'отслеживания',
  'купона',
  'скидки',
  'приглашения',
  'региона',
  'خطا',
  'سفارش',
  'تخفیف',
  'پستی',
  'رهگیری',
  'معرف',
]);
/** Next to "code", a word that makes it a card's CVV. */
const SECURITY = new Set(['security', 'безопасности', 'امنیتی']);

interface Word {
  w: string;
  clause: number;
}

/** The secret the text asks for, or undefined. */
export function asksForSecret(text: string): AskedSecret | undefined {
  for (const sentence of sentences(text)) {
    const found = secretIn(sentence);
    if (found && asks(sentence)) return found;
  }
  return undefined;
}

function sentences(text: string): Word[][] {
  const out: Word[][] = [];
  let current: Word[] = [];
  let clause = 0;
  let i = 0;
  const lower = text.toLowerCase().replaceAll('ي', 'ی').replaceAll('ك', 'ک');
  while (i < lower.length) {
    const ch = lower[i]!;
    if (isWordChar(ch)) {
      const start = i;
      while (i < lower.length && isWordChar(lower[i]!)) i++;
      current.push({ w: lower.slice(start, i), clause });
      continue;
    }
    if (SENTENCE_END.has(ch)) {
      if (current.length) out.push(current);
      current = [];
    } else if (CLAUSE_END.has(ch)) clause++;
    i++;
  }
  if (current.length) out.push(current);
  return out;
}

function secretIn(words: readonly Word[]): AskedSecret | undefined {
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!.w;
    const prev = words[k - 1]?.w ?? '';
    const next = words[k + 1]?.w ?? '';
    if (CVV.has(w)) return 'cvv';
    if (SEED_STEMS.some((s) => w.startsWith(s))) return 'seed_phrase';
    if ((w === 'recovery' || w === 'secret' || w === 'private') && /^(phrase|words|key)$/.test(next)) return 'seed_phrase';
    if (w.startsWith('фраз') && (prev.startsWith('секретн') || next.startsWith('восстановлен'))) return 'seed_phrase';
    if (w === 'приватный' && next.startsWith('ключ')) return 'seed_phrase';
    if ((w === 'عبارت' || w === 'کلمات') && next === 'بازیابی') return 'seed_phrase';
    if (w === 'کلید' && next === 'خصوصی') return 'seed_phrase';
    if (PASSWORD.has(w)) return 'password';
    if (CODE.has(w)) {
      if (SECURITY.has(prev) || SECURITY.has(next)) return 'cvv';
      if (!NOT_A_SECRET_CODE.has(prev) && !NOT_A_SECRET_CODE.has(next)) return 'code';
    }
  }
  return undefined;
}

/** A request in a clause without a negation. */
function asks(words: readonly Word[]): boolean {
  const negated = new Set(words.filter((x) => NEGATIONS.has(x.w)).map((x) => x.clause));
  const request = (k: number) => !negated.has(words[k]!.clause);
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!.w;
    const next = words[k + 1]?.w ?? '';
    let hit = REQUEST_WORDS.has(w) || (REQUEST_PAIRS.get(w)?.has(next) ?? false) || (VERBS_TO_US.has(w) && TO_US.has(next));
    if (!hit && IMPERATIVES.has(w)) {
      // An imperative opening its clause, after "please", "can you"…
      let j = k - 1;
      while (j >= 0 && words[j]!.clause === words[k]!.clause && (OPENERS.has(words[j]!.w) || CAN_YOU.has(words[j]!.w) || words[j]!.w === 'you')) j--;
      hit = j < 0 || words[j]!.clause !== words[k]!.clause;
    }
    if (hit && request(k)) return true;
  }
  return false;
}
