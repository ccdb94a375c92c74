/**
 * Language analysis for the knowledge base: which language a text is in and
 * how its words become index terms (lower-case, stop words dropped, snowball
 * stem). Index and query must go through the same analyzer, so each language
 * has its own index (see search.ts).
 */
import snowball from 'snowball-stemmers';
import { eng, fas, rus } from 'stopword';

export type KbLanguage = string;

/**
 * Words of chat small talk that say nothing about the problem ("hi", "please",
 * "it keeps saying", "I'm sure"). The stop-word lists are written for prose;
 * without these a long message looks less covered by the right article than a
 * short one (confidence.ts).
 */
const CHAT_FILLER: Record<string, readonly string[]> = {
  en: "hi hello hey please pls thanks thank thx im i'm dont don't cant can't still already just keep keeps say says saying even though sure anymore really ok okay guys".split(
    ' ',
  ),
  ru: 'здравствуйте привет добрый пожалуйста спасибо пишет подскажите скажите почему вообще опять снова так все ещё'.split(' '),
  // The stopword package's Persian list has particles only; these are the pronouns, light verbs and chat words of a support message.
  fa: 'سلام درود لطفا لطفاً ممنون مرسی سپاس خیلی من تو او ما شما آنها ایشان این آن اینجا آنجا است هست نیست هستم بود بودم شد شده شود میشود کن کنم کنید کند کرد کردم کرده دارم دارد داره ندارم یک یه هم را رو چرا چطور چگونه کجا کی چی چه چند وقتی الان دیگر دیگه هنوز باز ولی فقط تا الآن آیا الو میخوام میخواهم میخواستم میخواد میشه میگه بشم بکنم میدید میدین ام ای ها های'.split(
    ' ',
  ),
};

/** Stemmers: snowball where it has one; Persian has none there, so a light suffix stripper of our own (stemPersian). */
const ANALYZERS: Record<string, { stem: (t: string) => string; stopwords: readonly string[] }> = {
  en: { stem: snowballStem('english'), stopwords: [...eng, ...CHAT_FILLER.en!] },
  ru: { stem: snowballStem('russian'), stopwords: [...rus, ...CHAT_FILLER.ru!] },
  fa: { stem: stemPersian, stopwords: [...fas, ...CHAT_FILLER.fa!].map(normalizePersian) },
};

function snowballStem(algorithm: string): (t: string) => string {
  const stemmer = snowball.newStemmer(algorithm);
  return (t) => stemmer.stem(t);
}

export const SUPPORTED_LANGUAGES = Object.keys(ANALYZERS);

/** Normalises a Telegram language_code ("ru-RU", "en-GB") to a base tag. */
export function baseLanguage(code: string | null | undefined): string | undefined {
  if (!code) return undefined;
  const base = code.toLowerCase().split(/[-_]/)[0];
  return base || undefined;
}

/**
 * The language a customer wrote in, judged by script: customers' Telegram
 * language_code often says "en" while they write Russian or Persian (and the
 * reverse), and the words are what the search must match. Arabic script
 * (Persian letters پ چ ژ گ ک ی and the Arabic forms alike) is Persian, the one
 * language of that script the KB has; Cyrillic is Russian; Latin English. The
 * script with most letters wins (a Persian question with "KYC" in it is Persian).
 */
export function detectLanguage(text: string): 'ru' | 'en' | 'fa' | undefined {
  let cyr = 0;
  let lat = 0;
  let arabic = 0;
  for (const ch of text) {
    if (/\p{Script=Cyrillic}/u.test(ch)) cyr++;
    else if (/\p{Script=Arabic}/u.test(ch) && /\p{L}/u.test(ch)) arabic++;
    else if (/[a-z]/i.test(ch)) lat++;
  }
  if (cyr === 0 && lat === 0 && arabic === 0) return undefined;
  if (arabic >= cyr && arabic >= lat) return 'fa';
  return cyr >= lat ? 'ru' : 'en';
}

/**
 * One spelling for Persian text. Keyboards and copied text mix Arabic and
 * Persian letter forms (ي/ی, ك/ک, ة/ه, أ/ا…), digits come as ۰–۹, ٠–٩ or 0–9,
 * diacritics and the tatweel are optional; the zero-width non-joiner (ZWNJ)
 * between a word and its affix is typed, a space or nothing. The search must
 * see one form of each.
 */
export function normalizePersian(text: string): string {
  return text
    .replace(/[\u064A\u0649]/g, '\u06CC') // ي ى → ی
    .replace(/\u0643/g, '\u06A9') // ك → ک
    .replace(/\u0629/g, '\u0647') // ة → ه
    .replace(/\u06C0/g, '\u0647') // ۀ → ه
    .replace(/[\u0623\u0625\u0671]/g, '\u0627') // أ إ ٱ → ا
    .replace(/\u0624/g, '\u0648') // ؤ → و
    .replace(/[\u064B-\u065F\u0670\u0640]/g, '') // diacritics, superscript alef, tatweel
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660));
}

const ZWNJ = '\u200C';
/** Verb prefixes written before a ZWNJ (می‌خواهم, نمی‌توانم) and affixes after one (کارت‌ها, حساب‌ام). */
const FA_PREFIXES = new Set(['می', 'نمی']);
/**
 * Suffixes, longest first: plurals (ها، های، هایی، ان، ات), possessives
 * (ام، ات، اش، مان، تان، شان and the chat forms م، ش، مو، شو: حسابم، رمزمو),
 * comparatives (تر، ترین), ای and ی. Not a lone ت: کارت (card) is no کار.
 */
const FA_SUFFIXES = [
  'هایمان',
  'هایتان',
  'هایشان',
  'هایی',
  'هایم',
  'هایت',
  'هایش',
  'های',
  'ها',
  'ترین',
  'تر',
  'مان',
  'تان',
  'شان',
  'ام',
  'ات',
  'اش',
  'ان',
  'ای',
  'مو',
  'شو',
  'م',
  'ش',
  'ی',
];

/**
 * A light Persian stemmer (there is no snowball one): drops a verb prefix and
 * affixes joined by ZWNJ, the spoken copula (اشتباهه → اشتباه, کلاهبرداریه →
 * کلاهبرداری), then one suffix when at least three letters remain (two for the
 * plural ها/های: کدها → کد), and the ی it uncovers (شخصیم → شخص). Index and
 * query go through the same function, so over-stemming only matters when two
 * different words meet.
 */
export function stemPersian(word: string): string {
  let parts = word.split(ZWNJ).filter(Boolean);
  while (parts.length > 1 && FA_PREFIXES.has(parts[0]!)) parts = parts.slice(1);
  while (parts.length > 1 && FA_SUFFIXES.includes(parts[parts.length - 1]!)) parts = parts.slice(0, -1);
  let w = parts.join('');
  if (w.length >= 5 && (w.endsWith('هه') || w.endsWith('یه'))) w = w.slice(0, -1);
  const suffix = FA_SUFFIXES.find((x) => w.endsWith(x) && w.length - x.length >= (x.startsWith('ها') ? 2 : 3));
  if (suffix) w = w.slice(0, w.length - suffix.length);
  // A possessive after an adjective's ی: شخصیم → شخصی → شخص.
  if (suffix && suffix !== 'ی' && w.endsWith('ی') && w.length >= 4) w = w.slice(0, -1);
  return w;
}

export type TermProcessor = (term: string) => string | null;

const cache = new Map<string, TermProcessor>();

/** The term processor for one language (cached: snowball stemmers are stateful objects but reusable). */
export function termProcessor(lang: KbLanguage): TermProcessor {
  let p = cache.get(lang);
  if (p) return p;
  const spec = ANALYZERS[lang];
  const stop = new Set(spec?.stopwords ?? []);
  const normalise = lang === 'fa' ? normalizePersian : (t: string) => t;
  p = (term) => {
    // ё and е are the same letter for search purposes; most people type е.
    const t = normalise(term.toLowerCase().replace(/ё/g, 'е'));
    if (t.length < 2 && !/\d/.test(t)) return null;
    if (stop.has(t) || stop.has(t.replaceAll(ZWNJ, ''))) return null;
    return spec ? spec.stem(t) || null : t;
  };
  cache.set(lang, p);
  return p;
}
