/**
 * Ranking for the knowledge base: one MiniSearch (BM25+) index per language,
 * each with that language's snowball stemmer and stop words, over title and
 * keywords (boosted) and body. An immutable snapshot: the loader builds a new
 * one when files change and swaps it in.
 */
import MiniSearch from 'minisearch';
import type { KbArticle } from './article.js';
import { detectLanguage, termProcessor, type TermProcessor } from './analyzer.js';
import { answers, type Confidence, TermStats } from './confidence.js';

export interface KbHit {
  /** The article in the language the customer should read it in. */
  article: KbArticle;
  /** BM25+ score in the language it matched in (comparable only within one query): the ranking. */
  score: number;
  /** 0–1, the share of the question the article explains, comparable across queries and KB sizes (confidence.ts): the auto-answer decision. */
  confidence: number;
  /** Σ w·f of the matched words (confidence.ts). */
  evidence: number;
}

export interface KbSearchOptions {
  /** The customer's language (stored on the customer); shown when the article exists in it. */
  language?: string | undefined;
  limit?: number;
}

/**
 * The most of a query the KB looks at (UTF-16 units). Customers' messages and
 * `/find_kb` can be 4096 characters (and a caption or a forged update more);
 * no question needs more than this, and tokenising, stemming and fuzzy
 * matching grow with every extra word.
 */
export const KB_QUERY_MAX_CHARS = 500;

/** `query` cut to KB_QUERY_MAX_CHARS, never inside a surrogate pair. */
export function capKbQuery(query: string): string {
  if (query.length <= KB_QUERY_MAX_CHARS) return query;
  const cut = query.slice(0, KB_QUERY_MAX_CHARS);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

type Doc = { id: string; title: string; keywords: string; body: string };

/** Title and keywords say what an article is about; the body only supports. */
const BOOST = { title: 2.5, keywords: 3, body: 1 };

export class KbSearch {
  private readonly indexes = new Map<string, MiniSearch<Doc>>();
  private readonly stats = new Map<string, { terms: TermStats; processTerm: TermProcessor }>();
  /** id → lang → article */
  private readonly byId = new Map<string, Map<string, KbArticle>>();

  constructor(readonly articles: readonly KbArticle[]) {
    for (const a of articles) {
      let versions = this.byId.get(a.id);
      if (!versions) this.byId.set(a.id, (versions = new Map()));
      versions.set(a.lang, a);
      let index = this.indexes.get(a.lang);
      const processTerm = termProcessor(a.lang);
      if (!index) {
        index = new MiniSearch<Doc>({
          fields: ['title', 'keywords', 'body'],
          processTerm,
          searchOptions: {
            boost: BOOST,
            combineWith: 'OR',
            // Stems of 5+ letters tolerate one typo; prefixes catch stems the stemmer cut differently (платеж/платежн).
            fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
            prefix: (term) => term.length >= 4,
          },
        });
        this.indexes.set(a.lang, index);
        this.stats.set(a.lang, { terms: new TermStats(), processTerm });
      }
      const body = stripMarkdown(a.body);
      index.add({ id: a.id, title: a.title, keywords: a.keywords.join(' \n '), body });
      const analyse = (text: string) => analyseText(text, processTerm);
      this.stats.get(a.lang)!.terms.add(a.id, {
        title: new Set(analyse(a.title)),
        keywords: new Set(a.keywords.flatMap(analyse)),
        phrases: a.keywords.map(analyse).filter((p) => p.length > 0),
        body: new Set(analyse(body)),
      });
    }
  }

  get size(): number {
    return this.byId.size;
  }

  languages(): string[] {
    return [...this.indexes.keys()];
  }

  /** An article by id, in the preferred language if translated, else English, else any. */
  get(id: string, language?: string): KbArticle | undefined {
    const versions = this.byId.get(id);
    if (!versions) return undefined;
    return (language ? versions.get(language) : undefined) ?? versions.get('en') ?? versions.values().next().value;
  }

  /**
   * Best articles for a customer's words. Searches the index of the language
   * the text is written in first (falling back to the customer's language and
   * then the others when that finds nothing), and returns each article in the
   * language the customer reads.
   */
  search(rawQuery: string, opts: KbSearchOptions = {}): KbHit[] {
    // Every search (auto-answer, /find_kb, …) goes through here: capped before anything analyses it.
    const query = capKbQuery(rawQuery);
    const written = detectLanguage(query);
    const order = unique([written, opts.language, ...this.indexes.keys()]).filter((l) => this.indexes.has(l));
    const show = displayLanguage(query, written, opts.language);
    for (const lang of order) {
      const results = this.indexes.get(lang)!.search(query);
      if (results.length === 0) continue;
      const { terms, processTerm } = this.stats.get(lang)!;
      const queryTerms = [...new Set(analyseText(query, processTerm))];
      return results.slice(0, opts.limit ?? 5).map((r) => {
        const c: Confidence = terms.confidence(String(r.id), queryTerms);
        return { article: this.get(String(r.id), show ?? lang)!, score: r.score, confidence: c.confidence, evidence: c.evidence };
      });
    }
    return [];
  }

  /**
   * The article to answer a customer's question with automatically, if one
   * clearly does (confidence.ts `answers`: at least `minConfidence` of the
   * question explained, and no runner-up about as good).
   */
  answer(query: string, minConfidence: number, opts: Omit<KbSearchOptions, 'limit'> = {}): KbHit | undefined {
    const hits = this.search(query, { ...opts, limit: 3 });
    return answers(hits, minConfidence) ? hits[0] : undefined;
  }
}

/** A text's analysed words, the way the index tokenises and processes them. */
function analyseText(text: string, processTerm: TermProcessor): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    const t = processTerm(token);
    if (t) out.push(t);
  }
  return out;
}

const tokenize: (text: string) => string[] = MiniSearch.getDefault('tokenize');

/**
 * Which language to answer in: the language of the text, unless the text is a
 * couple of Latin tokens ("KYC", "2FA code") from a customer whose language is
 * another — product terms are written in Latin in every language.
 */
function displayLanguage(query: string, written: string | undefined, preferred: string | undefined): string | undefined {
  if (!written) return preferred;
  if (preferred && written !== preferred && written === 'en' && query.trim().split(/\s+/).length <= 2) return preferred;
  return written;
}

function unique(xs: (string | undefined)[]): string[] {
  return [...new Set(xs.filter((x): x is string => !!x))];
}

/** Markdown punctuation carries no meaning for ranking. */
function stripMarkdown(md: string): string {
  return md.replace(/[*_`#>|]/g, ' ').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
}
