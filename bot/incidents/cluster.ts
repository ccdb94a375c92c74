/**
 * The keys a new ticket is counted under by the spike detector (bot/incidents/detector.ts): its category
 * (`cat:<key>`, once chosen) and its first message's cluster — the best-matching knowledge-base article
 * (`kb:<id>`, the article the KB's auto-answer would give), else its two most telling stems in the KB's analyzer
 * (`kw:<stem>+<stem>`: the longest, ties alphabetical), so "app crashes at startup" and "the app keeps
 * crashing on startup" fall together.
 */
import { detectLanguage, termProcessor } from '../features/kb/analyzer.js';
import { capKbQuery } from '../features/kb/search.js';

export const categoryKey = (category: string): string => `cat:${category}`;

const KEYWORDS = 2;

/** `article`: the article the KB would answer the text with (its auto-answer's own decision), if any. */
export function clusterKey(text: string, article: (query: string) => string | undefined, o: { language?: string | undefined } = {}): string | undefined {
  const query = capKbQuery(text).trim();
  if (query.length < 3) return undefined;
  const id = article(query);
  if (id) return `kb:${id}`;
  const stems = keywordStems(query, detectLanguage(query) ?? o.language ?? 'en');
  return stems.length === 0 ? undefined : `kw:${stems.join('+')}`;
}

/** The message's `KEYWORDS` longest distinct stems (stop words dropped), sorted. */
export function keywordStems(text: string, language: string): string[] {
  const process = termProcessor(language);
  const stems = new Set<string>();
  for (const word of text.split(/[^\p{L}\p{N}]+/u)) {
    if (!word || /^\d+$/.test(word)) continue;
    const s = process(word);
    if (s && s.length >= 3) stems.add(s);
  }
  return [...stems]
    .sort((a, b) => b.length - a.length || a.localeCompare(b))
    .slice(0, KEYWORDS)
    .sort();
}

/** A key as the escalation chat reads it: the category's label, the article's id, the stems. */
export function keyLabel(key: string, categoryLabel: (key: string) => string | undefined): string {
  const [kind, rest = ''] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  if (kind === 'cat') return categoryLabel(rest) ?? rest;
  if (kind === 'kb') return `KB: ${rest}`;
  return `“${rest.split('+').join(' ')}”`;
}
