/**
 * Language analysis for the knowledge base: which language a text is in and
 * how its words become index terms (lower-case, stop words dropped, snowball
 * stem). Index and query must go through the same analyzer, so each language
 * has its own index (see search.ts).
 */
import snowball from 'snowball-stemmers';
import { eng, rus } from 'stopword';

export type KbLanguage = string;

/**
 * Words of chat small talk that say nothing about the problem ("hi", "please",
 * "it keeps saying", "I'm sure"). The stop-word lists are written for prose;
 * without these a long message looks less covered by the right article than a
 * short one (confidence.ts).
 */
const CHAT_FILLER: Record<string, readonly string[]> = {
  en: [
    'hi',
    'hello',
    'hey',
    'please',
    'pls',
    'thanks',
    'thank',
    'thx',
    'im',
    "i'm",
    'dont',
    "don't",
    'cant',
    "can't",
    'still',
    'already',
    'just',
    'keep',
    'keeps',
    'say',
    'says',
    'saying',
    'even',
    'though',
    'sure',
    'anymore',
    'really',
    'ok',
    'okay',
    'guys',
  ],
  ru: [
    'здравствуйте',
    'привет',
    'добрый',
    'пожалуйста',
    'спасибо',
    'пишет',
    'подскажите',
    'скажите',
    'почему',
    'вообще',
    'опять',
    'снова',
    'так',
    'все',
    'ещё',
  ],
};

/** Languages with a stemmer and stop words; others are indexed with lower-casing only. */
const ANALYZERS: Record<string, { stemmer: string; stopwords: readonly string[] }> = {
  en: { stemmer: 'english', stopwords: [...eng, ...CHAT_FILLER.en!] },
  ru: { stemmer: 'russian', stopwords: [...rus, ...CHAT_FILLER.ru!] },
};

export const SUPPORTED_LANGUAGES = Object.keys(ANALYZERS);

/** Normalises a Telegram language_code ("ru-RU", "en-GB") to a base tag. */
export function baseLanguage(code: string | null | undefined): string | undefined {
  if (!code) return undefined;
  const base = code.toLowerCase().split(/[-_]/)[0];
  return base || undefined;
}

/**
 * The language a customer wrote in, judged by script: customers' Telegram
 * language_code often says "en" while they write Russian (and the reverse),
 * and the words are what the search must match.
 */
export function detectLanguage(text: string): 'ru' | 'en' | undefined {
  let cyr = 0;
  let lat = 0;
  for (const ch of text) {
    if (/\p{Script=Cyrillic}/u.test(ch)) cyr++;
    else if (/[a-z]/i.test(ch)) lat++;
  }
  if (cyr === 0 && lat === 0) return undefined;
  return cyr >= lat ? 'ru' : 'en';
}

export type TermProcessor = (term: string) => string | null;

const cache = new Map<string, TermProcessor>();

/** The term processor for one language (cached: snowball stemmers are stateful objects but reusable). */
export function termProcessor(lang: KbLanguage): TermProcessor {
  let p = cache.get(lang);
  if (p) return p;
  const spec = ANALYZERS[lang];
  const stemmer = spec ? snowball.newStemmer(spec.stemmer) : undefined;
  const stop = new Set(spec?.stopwords ?? []);
  p = (term) => {
    // ё and е are the same letter for search purposes; most people type е.
    const t = term.toLowerCase().replace(/ё/g, 'е');
    if (t.length < 2 && !/\d/.test(t)) return null;
    if (stop.has(t)) return null;
    return stemmer ? stemmer.stem(t) : t;
  };
  cache.set(lang, p);
  return p;
}
