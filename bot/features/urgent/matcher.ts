/**
 * Stop words: does a customer's message say something a person must see now
 * ("payment failed", "взломали", "هک شده")? Pure, and linear in the message.
 *
 * Both the phrases and the message go through the same steps:
 *  1. normalise: NFKC, lower case, ё → е, Arabic letter forms to Persian (ي → ی, ك → ک),
 *     ZWNJ → a word break, Arabic diacritics and tatweel dropped;
 *  2. split into words (runs of letters and digits: one pass, no backtracking);
 *  3. stem each word with the knowledge base's analyzer of the phrase's language
 *     (bot/features/kb/analyzer.ts; a language without a stemmer keeps the word).
 * A phrase word matches a message word when their stems are equal, when the
 * message's stem starts with a phrase stem of at least PREFIX_MIN letters
 * ("взлом" → "взломали"), or when the words are within a bounded
 * Damerau–Levenshtein distance: 1 for words of ≥ 5 letters, 2 for ≥ 9
 * ("secruity", "chargebak"). A phrase matches when all its words appear in order
 * within its length + WINDOW_SLACK words, with no negation between them or just
 * before the first ("my payment did not fail", "I was not hacked") unless the
 * phrase itself holds one ("деньги не пришли"). An `ignore` phrase covering the
 * match cancels it ("security question", "security settings").
 *
 * Cost: every distinct message word is compared once with every distinct phrase
 * word (memoised), each comparison O(letters²) on words cut at MAX_WORD letters;
 * the message is cut at MAX_WORDS words (Telegram's 4,096 characters hold fewer).
 */
import { termProcessor } from '../kb/analyzer.js';

export interface StopPhrase {
  /** As written in the file. */
  phrase: string;
  /** Where a match sends the ticket: `security` or `payments` (any queue with an SLA target). */
  queue: string;
  lang: string;
}

export interface StopWordsSpec {
  /** Per language: phrases and the queue each sends to, and phrases that cancel a match they cover. */
  languages: Record<string, { phrases: Array<{ phrase: string; queue: string }>; ignore?: string[] }>;
}

export interface StopWordMatch {
  phrase: string;
  queue: string;
  lang: string;
}

/** What a match did, for the cost test: word comparisons (each a bounded distance at most) and span-scan steps. */
export interface MatchWork {
  comparisons: number;
  steps: number;
}

export const WINDOW_SLACK = 2;
export const PREFIX_MIN = 5;
export const MAX_WORDS = 2000;
export const MAX_WORD = 40;

const NEGATIONS = new Set([
  // en (apostrophes split "didn't" into "didn" + "t")
  'not',
  'no',
  'never',
  'didn',
  'doesn',
  'don',
  'isn',
  'wasn',
  'hasn',
  'haven',
  'without',
  // ru
  'не',
  'нет',
  'ни',
  'без',
  // fa
  'نه',
  'بدون',
]);

/** The normal form both sides are compared in. */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[يى]/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/ة/g, 'ه')
    .replace(/\u200c|\u200d|\u00ad/g, ' ')
    .replace(/[\u0640\u064b-\u065f\u0670]/g, '');
}

/** Words of a normalised text: runs of letters, marks and digits. */
export function words(text: string, max = MAX_WORDS): string[] {
  const out: string[] = [];
  for (const m of normalize(text).matchAll(/[\p{L}\p{M}\p{N}]+/gu)) {
    out.push(m[0].length > MAX_WORD ? m[0].slice(0, MAX_WORD) : m[0]);
    if (out.length >= max) break;
  }
  return out;
}

/** A word's stem in a language; the word itself where the analyzer drops it (stop words, one letter) or has no stemmer. */
function stemmer(lang: string): (w: string) => string {
  const p = termProcessor(lang);
  return (w) => p(w) ?? w;
}

/**
 * Damerau–Levenshtein distance (optimal string alignment), or `max + 1` as soon
 * as it must exceed `max` (length difference, or a whole row above it).
 */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const n = b.length;
  // Three rows, reused across calls (words are cut at MAX_WORD letters).
  if (n + 1 > ROWS[0]!.length) return max + 1;
  let [prev2, prev, cur] = ROWS as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

const ROWS = [new Int32Array(MAX_WORD + 2), new Int32Array(MAX_WORD + 2), new Int32Array(MAX_WORD + 2)];

/** The writing system of a word, by its first letter: words of different scripts never match (no stemming or distance needed). */
function script(w: string): number {
  const c = w.charCodeAt(0);
  return c < 0x250 ? 0 : c >= 0x400 && c < 0x530 ? 1 : c >= 0x600 && c < 0x780 ? 2 : c >= 0xfb50 && c < 0xff00 ? 2 : 3;
}

/** How many typos a word of this many letters may carry. */
export function typoBudget(length: number): number {
  return length >= 9 ? 2 : length >= 5 ? 1 : 0;
}

interface Term {
  word: string;
  stem: string;
  script: number;
}

interface CompiledPhrase {
  source: StopPhrase;
  terms: number[];
  hasNegation: boolean;
}

interface CompiledLanguage {
  lang: string;
  stem: (w: string) => string;
  /** Distinct phrase words of the language (phrases and ignores point into it). */
  vocabulary: Term[];
  phrases: CompiledPhrase[];
  ignores: number[][];
  /** The scripts its words are written in. */
  scripts: ReadonlySet<number>;
}

export class StopWordMatcher {
  private readonly languages: CompiledLanguage[];

  constructor(spec: StopWordsSpec) {
    this.languages = Object.entries(spec.languages).map(([lang, l]) => {
      const stem = stemmer(lang);
      const vocabulary: Term[] = [];
      const index = new Map<string, number>();
      const compile = (phrase: string) =>
        words(phrase).map((w) => {
          let i = index.get(w);
          if (i === undefined) {
            i = vocabulary.push({ word: w, stem: stem(w), script: script(w) }) - 1;
            index.set(w, i);
          }
          return i;
        });
      const phrases = l.phrases
        .map((p) => ({ source: { phrase: p.phrase, queue: p.queue, lang }, terms: compile(p.phrase) }))
        .filter((p) => p.terms.length > 0)
        .map((p) => ({ ...p, hasNegation: p.terms.some((t) => NEGATIONS.has(vocabulary[t]!.word)) }));
      const ignores = (l.ignore ?? []).map(compile).filter((t) => t.length > 0);
      return { lang, stem, vocabulary, phrases, ignores, scripts: new Set(vocabulary.map((t) => t.script)) };
    });
  }

  get size(): number {
    return this.languages.reduce((n, l) => n + l.phrases.length, 0);
  }

  /** Every queue a phrase sends to. */
  queues(): string[] {
    return [...new Set(this.languages.flatMap((l) => l.phrases.map((p) => p.source.queue)))];
  }

  /** The first phrase the text contains (languages in file order, phrases in order), or undefined. */
  match(text: string, work: MatchWork = { comparisons: 0, steps: 0 }): StopWordMatch | undefined {
    const ws = words(text);
    if (ws.length === 0) return undefined;
    const negation = ws.map((w) => NEGATIONS.has(w));
    for (const l of this.languages) {
      // Which vocabulary words each distinct message word matches, computed once per distinct word.
      const memo = new Map<string, ReadonlySet<number>>();
      const hits = ws.map((w) => {
        let s = memo.get(w);
        if (!s) memo.set(w, (s = termsMatching(l, w, work)));
        return s;
      });
      for (const p of l.phrases) {
        let reach: Int32Array | undefined;
        for (const span of spans(p.terms, hits, p.hasNegation ? undefined : negation, work)) {
          reach ??= ignoredReach(l.ignores, hits, work);
          if (reach[span[0]]! < span[1]) return { ...p.source };
        }
      }
    }
    return undefined;
  }
}

const NONE: ReadonlySet<number> = new Set();

function termsMatching(l: CompiledLanguage, word: string, work: MatchWork): ReadonlySet<number> {
  const sc = script(word);
  if (!l.scripts.has(sc)) return NONE;
  const out = new Set<number>();
  const stem = l.stem(word);
  l.vocabulary.forEach((t, i) => {
    if (t.script !== sc) return;
    work.comparisons++;
    if (t.word === word || t.stem === stem) out.add(i);
    else if (t.stem.length >= PREFIX_MIN && stem.startsWith(t.stem)) out.add(i);
    else {
      const budget = typoBudget(t.word.length);
      if (budget > 0 && boundedDistance(word, t.word, budget) <= budget) out.add(i);
    }
  });
  return out;
}

type Span = [number, number];

/**
 * Every span (from its first word) where `terms` occur in order, each within the
 * window the phrase allows from its first word; with `negation`, none that has a
 * negation in a gap or in the two words before the first.
 */
function* spans(terms: readonly number[], hits: readonly ReadonlySet<number>[], negation: readonly boolean[] | undefined, work: MatchWork): Generator<Span> {
  const window = terms.length + WINDOW_SLACK;
  for (let start = 0; start < hits.length; start++) {
    work.steps++;
    if (!hits[start]!.has(terms[0]!)) continue;
    if (negation && (negation[start - 1] || negation[start - 2])) continue;
    let pos = start;
    for (let k = 1; k < terms.length && pos >= 0; k++) {
      let found = -1;
      for (let j = pos + 1; j < Math.min(hits.length, start + window); j++) {
        work.steps++;
        if (negation?.[j]) break;
        if (hits[j]!.has(terms[k]!)) {
          found = j;
          break;
        }
      }
      pos = found;
    }
    if (pos >= 0) yield [start, pos];
  }
}

/** For each word position i, the furthest end of an ignore span starting at or before i (-1: none): a span [s, e] is covered when reach[s] ≥ e. */
function ignoredReach(ignores: readonly number[][], hits: readonly ReadonlySet<number>[], work: MatchWork): Int32Array {
  const reach = new Int32Array(hits.length).fill(-1);
  for (const ig of ignores) for (const [a, b] of spans(ig, hits, undefined, work)) reach[a] = Math.max(reach[a]!, b);
  for (let i = 1; i < reach.length; i++) reach[i] = Math.max(reach[i]!, reach[i - 1]!);
  return reach;
}
