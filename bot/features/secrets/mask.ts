/**
 * Secrets in a customer's message, masked before the agents see it (pure, no I/O).
 *
 * - card: 13–19 digits, groups separated by one space or dash, Luhn-valid only → `•••• 1234` (last four kept).
 *   Not a card: a number right after a letter, a digit, `+` (a phone number), `#`/`№`, or after "order",
 *   "заказ", "سفارش"… (with "number", "номер", "شماره"): an order or ticket number, Luhn-valid or not.
 * - cvv: 3–4 digits after "cvv", "cvc", "cvv2", "код безопасности", "کد امنیتی"… → `•••`.
 * - code: 4–8 digits (one space or dash inside allowed) after "code", "otp", "2fa", "код", "کد", up to three
 *   words in between ("the code from SMS is 482913") → `••••••`.
 * - password: the word after "password:", "пароль:", "رمز:" (up to two words before the colon or "=") → `••••••••`.
 * - seed_phrase: 12 or more consecutive words of the BIP-39 English word list (@scure/bip39), separated only by
 *   spaces, commas, numbering → `•••• (N words)`.
 *
 * Persian and Arabic-Indic digits count as digits. Everything is one left-to-right scan per detector with
 * bounded look-ahead: linear in the text, no regular expression that could backtrack.
 */
import { wordlist } from '@scure/bip39/wordlists/english.js';

export type SecretKind = 'card' | 'cvv' | 'code' | 'password' | 'seed_phrase';

export interface Masked {
  text: string;
  /** What was masked, each kind once, in the order of the text. Empty: nothing (then `text` is the input). */
  kinds: SecretKind[];
}

interface Span {
  start: number;
  end: number;
  kind: SecretKind;
  replacement: string;
}

const BIP39 = new Set(wordlist);
const SEED_MIN_WORDS = 12;

const CVV_KEYS = ['cvv2', 'cvc2', 'cvv', 'cvc', 'cid', 'код безопасности', 'секретный код', 'کد امنیتی', 'کد cvv2'];
const CODE_KEYS = ['code', 'otp', '2fa', 'код', 'кода', 'коду', 'кодом', 'کد'];
const PASSWORD_KEYS = ['password', 'passcode', 'pwd', 'пароль', 'пароля', 'رمز عبور', 'رمز', 'گذرواژه', 'کلمه عبور'];

/** Masks every secret in the text. */
export function maskSecrets(input: string): Masked {
  const text = input;
  const lower = normalise(text);
  const spans = [
    ...seedPhrases(text),
    ...cards(text, lower),
    ...afterKeys(lower, CVV_KEYS, 'cvv'),
    ...afterKeys(lower, CODE_KEYS, 'code'),
    ...passwords(lower),
  ];
  if (spans.length === 0) return { text: input, kinds: [] };
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  const kinds: SecretKind[] = [];
  for (const s of spans) {
    if (s.start < at) continue; // overlaps one already masked
    out += text.slice(at, s.start) + s.replacement;
    at = s.end;
    if (!kinds.includes(s.kind)) kinds.push(s.kind);
  }
  return { text: out + text.slice(at), kinds };
}

// ---- characters ------------------------------------------------------------

/** The digit's value for ASCII, Persian (U+06F0–) and Arabic-Indic (U+0660–) digits, else -1. */
export function digitValue(ch: string | undefined): number {
  if (ch === undefined) return -1;
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 0x06f0 && c <= 0x06f9) return c - 0x06f0;
  if (c >= 0x0660 && c <= 0x0669) return c - 0x0660;
  return -1;
}

const isDigit = (ch: string | undefined) => digitValue(ch) >= 0;

/** A letter of any script (ZWNJ joins Persian words), tested one character at a time. */
export function isLetter(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  if (ch === '\u200c') return true;
  return ch.toLowerCase() !== ch.toUpperCase() || (ch >= '\u0600' && ch <= '\u06ff' && !isDigit(ch));
}

const isWordChar = (ch: string | undefined) => isLetter(ch) || isDigit(ch);

/** Lower case with the Arabic forms of ی and ک folded into the Persian ones; same length as the input. */
function normalise(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === 'ي' || ch === 'ى') out += 'ی';
    else if (ch === 'ك') out += 'ک';
    else {
      const l = ch.toLowerCase();
      out += l.length === 1 ? l : ch;
    }
  }
  return out;
}

// ---- cards -----------------------------------------------------------------

function luhn(digits: readonly number[]): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits[digits.length - 1 - i]!;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

interface Group {
  start: number;
  end: number;
  digits: number[];
}

/** A number right after one of these (optionally "number", "no", "№", "#", ":") is an id, not a card, Luhn-valid or not. */
const ID_WORDS = new Set(['order', 'ticket', 'invoice', 'tracking', 'transaction', 'заказ', 'заказа', 'заявка', 'заявки', 'счёт', 'счет', 'سفارش', 'فاکتور']);
const NUMBER_WORDS = new Set(['number', 'no', 'id', 'номер', 'شماره']);

/** The word ending before `end` (skipping spaces and id marks), with where it starts. */
function wordBefore(lower: string, end: number): { word: string; start: number } {
  let i = end;
  while (i > 0 && (lower[i - 1] === ' ' || lower[i - 1] === '#' || lower[i - 1] === '№' || lower[i - 1] === ':' || lower[i - 1] === '.')) i--;
  const stop = i;
  while (i > 0 && isLetter(lower[i - 1])) i--;
  return { word: lower.slice(i, stop), start: i };
}

function isIdNumber(lower: string, start: number): boolean {
  const w = wordBefore(lower, start);
  if (ID_WORDS.has(w.word)) return true;
  return NUMBER_WORDS.has(w.word) && ID_WORDS.has(wordBefore(lower, w.start).word);
}

function cards(text: string, lower: string): Span[] {
  const spans: Span[] = [];
  let i = 0;
  while (i < text.length) {
    if (!isDigit(text[i])) {
      i++;
      continue;
    }
    // A run of digit groups joined by single spaces or dashes.
    const runStart = i;
    const groups: Group[] = [];
    for (;;) {
      const g: Group = { start: i, end: i, digits: [] };
      while (isDigit(text[i])) g.digits.push(digitValue(text[i++]));
      g.end = i;
      groups.push(g);
      const sep = text[i];
      if ((sep === ' ' || sep === '-') && isDigit(text[i + 1])) i++;
      else break;
    }
    const before = text[runStart - 1];
    if (isWordChar(before) || before === '+' || before === '#' || before === '№' || isLetter(text[i]) || isIdNumber(lower, runStart)) continue;
    spans.push(...cardsInRun(text, groups));
  }
  return spans;
}

/** Within a run, from each group, the longest stretch of whole groups with 13–19 digits that passes Luhn. */
function cardsInRun(text: string, groups: readonly Group[]): Span[] {
  const spans: Span[] = [];
  let g = 0;
  while (g < groups.length) {
    let found: Span | undefined;
    const digits: number[] = [];
    let last = g;
    for (let h = g; h < groups.length; h++) {
      for (const d of groups[h]!.digits) digits.push(d);
      if (digits.length > 19) break;
      if (digits.length >= 13 && luhn(digits)) {
        found = { start: groups[g]!.start, end: groups[h]!.end, kind: 'card', replacement: '' };
        last = h;
      }
    }
    if (found) {
      const raw = text.slice(found.start, found.end);
      let tail = '';
      for (let k = raw.length - 1; k >= 0 && tail.length < 4; k--) if (isDigit(raw[k])) tail = raw[k] + tail;
      found.replacement = `•••• ${tail}`;
      spans.push(found);
      g = last + 1;
    } else g++;
  }
  return spans;
}

// ---- keyword, then a value ---------------------------------------------------

/** Where each keyword occurs as whole words (not inside a longer word). */
function keyHits(lower: string, keys: readonly string[]): Array<{ start: number; end: number }> {
  const hits: Array<{ start: number; end: number }> = [];
  for (const key of keys) {
    let from = 0;
    for (;;) {
      const at = lower.indexOf(key, from);
      if (at < 0) break;
      from = at + 1;
      const end = at + key.length;
      if (isWordChar(lower[at - 1]) || isWordChar(lower[end])) continue;
      hits.push({ start: at, end });
    }
  }
  return hits;
}

const SEPARATORS = new Set([' ', '\t', '\n', ':', '=', '-', '—', '–', ',', '\u00a0']);

/**
 * After a keyword: separators and up to `maxWords` words of letters, then a number of `min`–`max` digits
 * (one space or dash inside allowed for codes) standing on its own. Returns its span.
 */
function numberAfter(lower: string, from: number, maxWords: number, min: number, max: number, split: boolean): { start: number; end: number } | undefined {
  let i = from;
  let words = 0;
  const limit = Math.min(lower.length, from + 60);
  while (i < limit) {
    const ch = lower[i];
    if (SEPARATORS.has(ch!)) i++;
    else if (isLetter(ch)) {
      if (++words > maxWords) return undefined;
      while (i < limit && isLetter(lower[i])) i++;
    } else break;
  }
  if (!isDigit(lower[i])) return undefined;
  const start = i;
  let n = 0;
  let splits = 0;
  while (i < lower.length) {
    if (isDigit(lower[i])) {
      n++;
      i++;
    } else if (split && splits === 0 && (lower[i] === ' ' || lower[i] === '-') && isDigit(lower[i + 1]) && n >= 2) {
      splits++;
      i++;
    } else break;
  }
  if (n < min || n > max || isWordChar(lower[i])) return undefined;
  return { start, end: i };
}

function afterKeys(lower: string, keys: readonly string[], kind: 'cvv' | 'code'): Span[] {
  const spans: Span[] = [];
  for (const hit of keyHits(lower, keys)) {
    const n = kind === 'cvv' ? numberAfter(lower, hit.end, 2, 3, 4, false) : numberAfter(lower, hit.end, 3, 4, 8, true);
    if (n) spans.push({ ...n, kind, replacement: kind === 'cvv' ? '•••' : '••••••' });
  }
  return spans;
}

function passwords(lower: string): Span[] {
  const spans: Span[] = [];
  for (const hit of keyHits(lower, PASSWORD_KEYS)) {
    let i = hit.end;
    let words = 0;
    const limit = Math.min(lower.length, hit.end + 40);
    while (i < limit && lower[i] !== ':' && lower[i] !== '=') {
      if (isLetter(lower[i])) {
        if (++words > 2) break;
        while (i < limit && isLetter(lower[i])) i++;
      } else if (lower[i] === ' ' || lower[i] === '\u00a0') i++;
      else break;
    }
    if (lower[i] !== ':' && lower[i] !== '=') continue;
    i++;
    while (lower[i] === ' ' || lower[i] === '\u00a0' || lower[i] === '\t') i++;
    const start = i;
    while (i < lower.length && lower[i] !== ' ' && lower[i] !== '\n' && lower[i] !== '\t' && lower[i] !== '\u00a0') i++;
    // A sentence's full stop or comma after the password is kept.
    let end = i;
    while (end > start + 1 && (lower[end - 1] === '.' || lower[end - 1] === ',')) end--;
    if (end > start) spans.push({ start, end, kind: 'password', replacement: '••••••••' });
  }
  return spans;
}

// ---- seed phrases ------------------------------------------------------------

/** Between two words of a phrase: spaces, commas, numbering ("1. abandon 2) ability"). */
const isPhraseGap = (ch: string | undefined) =>
  ch === ' ' || ch === '\n' || ch === '\t' || ch === ',' || ch === '.' || ch === ')' || ch === '(' || ch === ';' || ch === '-' || isDigit(ch);

function seedPhrases(text: string): Span[] {
  const spans: Span[] = [];
  let runStart = -1;
  let runEnd = -1;
  let count = 0;
  const close = () => {
    if (count >= SEED_MIN_WORDS) spans.push({ start: runStart, end: runEnd, kind: 'seed_phrase', replacement: `•••• (${count} words)` });
    count = 0;
    runStart = -1;
  };
  let i = 0;
  while (i < text.length) {
    if (!isLetter(text[i])) {
      if (!isPhraseGap(text[i])) close();
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && isLetter(text[i])) i++;
    const word = text.slice(start, i).toLowerCase();
    if (BIP39.has(word)) {
      if (count === 0) runStart = start;
      count++;
      runEnd = i;
    } else close();
  }
  close();
  return spans;
}
