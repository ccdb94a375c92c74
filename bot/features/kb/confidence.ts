/**
 * Whether the best article answers the question, as a number from 0 to 1 that
 * means the same in a KB of one article as in one of a thousand.
 *
 * Why not the BM25 score: BM25 adds up, for every query word an article holds,
 * idf × a term-frequency part, and idf = ln(1 + (N − df + ½)/(df + ½)) grows
 * with the number of articles N. The same question against the same article
 * scores ~0.3 per word in a one-article KB and ~2.5 per word in a sixteen-article
 * one, so an absolute threshold tuned on one corpus is wrong for every other
 * (a one-article KB never reached the old KB_MIN_SCORE of 40). Scores also
 * grow with the length of the question. Both make them comparable only within
 * one query, which is all ranking needs; the yes/no decision needs more.
 *
 * The confidence is the share of the question the article explains:
 *
 *   confidence = Σ_{q matched} w(q) · f(q) / Σ_{q in query} w(q)
 *
 * over the distinct analysed query words q (stop words gone, stemmed), where
 * - f(q) says how strongly the article holds q: in the title or as part of a
 *   keyword phrase the question contains whole (the author said "this article
 *   is about this") 1; in a keyword phrase only partly 0.75; only in the body
 *   0.4 (a body mentions many things in passing). A prefix match counts 0.8
 *   of that, a typo match 0.5 (it also joins different real words).
 * - w(q) says how much q tells articles apart: the share of the *other*
 *   articles that lack it, (N − df + 1)/N, between 0.1 and 1. A word no
 *   article has weighs 1 (it is what the question is about and the KB does not
 *   cover it). In a one-article KB every word weighs 1 — nothing can be known
 *   about specificity there, so the decision rests on coverage and field
 *   strength alone, which mean the same at any size. In a large KB words in
 *   half the articles ("account", "app") weigh half.
 * Both factors are ratios, so the result does not move with N or with the
 * question's length the way a sum of idfs does: a question whose words the
 * article's title and keywords hold scores near 1 in any KB; small talk ("hi",
 * "thanks") has no content words and scores 0; a question about something else
 * that shares one common word with an article scores low.
 *
 * The auto-answer also needs `evidence` (Σ w·f of the matched words) of at
 * least MIN_EVIDENCE — one strong word alone ("refund") is enough only when
 * it is the whole question — and, when another article explains the question
 * almost as well, a margin: two such articles mean the
 * question is ambiguous, and a person should pick (see `answers`).
 */
/** What one article holds, analysed by its language's term processor. */
export interface ArticleTerms {
  title: ReadonlySet<string>;
  keywords: ReadonlySet<string>;
  /** Each keyword phrase as its analysed words ("money back" → [money, back]). */
  phrases: readonly (readonly string[])[];
  body: ReadonlySet<string>;
}

export interface Confidence {
  /** 0–1: the share of the question the article explains (see the file comment). */
  confidence: number;
  /** Σ w·f of the matched words: how much the article explains, in "strong words". */
  evidence: number;
}

const FIELD = { title: 1, phrase: 1, keyword: 0.75, body: 0.4 } as const;
/** A match through a typo or a prefix is weaker than the word itself. */
const APPROX = 0.8;
/**
 * A match through a typo is weaker still: it also joins real words that differ
 * by a letter ("contract" and the keyword "contact support"), so alone it must
 * not carry an answer.
 */
const TYPO = 0.5;
/** At least this much evidence: one strong specific word (or two body mentions and more). */
export const MIN_EVIDENCE = 0.9;
/** A runner-up within this much confidence of the best makes the question ambiguous. */
export const MARGIN = 0.02;

/** How `q` matches `t`: 1 exactly, APPROX by prefix (q of 4+ letters), TYPO with one typo per 5 letters, else 0. Mirrors the index's fuzzy/prefix rules. */
export function termMatch(q: string, t: string): number {
  if (q === t) return 1;
  if (q.length >= 4 && t.startsWith(q)) return APPROX;
  if (q.length >= 5) {
    const maxEdits = Math.floor(q.length * 0.2);
    if (Math.abs(q.length - t.length) <= maxEdits && withinEdits(q, t, maxEdits)) return TYPO;
  }
  return 0;
}

/** Rows of the edit-distance table, reused (words are short; grown when one is not). */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/** Levenshtein distance of a and b is at most k (one row of the table at a time; stops early past k). */
function withinEdits(a: string, b: string, k: number): boolean {
  if (rowA.length <= b.length) {
    rowA = new Int32Array(b.length * 2 + 1);
    rowB = new Int32Array(b.length * 2 + 1);
  }
  let prev = rowA;
  let row = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1));
      row[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > k) return false;
    [prev, row] = [row, prev];
  }
  return prev[b.length]! <= k;
}

/**
 * The vocabulary of one language's articles: which articles hold each word.
 * Each query word is matched against the vocabulary once (exactly, by prefix,
 * with a typo) and the matches kept; df and the field lookups then are set
 * lookups.
 */
export class TermStats {
  private readonly docsByTerm = new Map<string, Set<string>>();
  private readonly articles = new Map<string, ArticleTerms>();
  /** query word → vocabulary words it matches, with the match's strength (1 or APPROX). */
  private readonly matchCache = new Map<string, ReadonlyMap<string, number>>();

  add(id: string, terms: ArticleTerms): void {
    this.articles.set(id, terms);
    for (const field of [terms.title, terms.keywords, terms.body])
      for (const t of field) {
        let docs = this.docsByTerm.get(t);
        if (!docs) this.docsByTerm.set(t, (docs = new Set()));
        docs.add(id);
      }
    this.matchCache.clear();
  }

  get size(): number {
    return this.articles.size;
  }

  /** The vocabulary words `q` matches. Phrase words of keywords are in the vocabulary too (they are keywords). */
  private matches(q: string): ReadonlyMap<string, number> {
    let m = this.matchCache.get(q);
    if (m) return m;
    const found = new Map<string, number>();
    for (const t of this.docsByTerm.keys()) {
      const s = termMatch(q, t);
      if (s > 0) found.set(t, s);
    }
    if (this.matchCache.size > 10_000) this.matchCache.clear();
    this.matchCache.set(q, (m = found));
    return m;
  }

  /** Articles holding `q` (exactly, by prefix or with a typo). */
  df(q: string): number {
    const docs = new Set<string>();
    for (const t of this.matches(q).keys()) for (const id of this.docsByTerm.get(t)!) docs.add(id);
    return docs.size;
  }

  /** How much of `queryTerms` (distinct, analysed) the article `id` explains. */
  confidence(id: string, queryTerms: readonly string[]): Confidence {
    const a = this.articles.get(id);
    const n = this.articles.size;
    if (!a || n === 0 || queryTerms.length === 0) return { confidence: 0, evidence: 0 };
    const covered = (t: string) => queryTerms.some((x) => this.matches(x).has(t));
    let total = 0;
    let evidence = 0;
    for (const q of queryTerms) {
      const w = Math.min(1, Math.max(0.1, (n - this.df(q) + 1) / n));
      total += w;
      evidence += w * strength(this.matches(q), a, covered);
    }
    return { confidence: total > 0 ? evidence / total : 0, evidence };
  }
}

/** f(q): how strongly article `a` holds the query word whose vocabulary matches are `m` (see the file comment). */
function strength(m: ReadonlyMap<string, number>, a: ArticleTerms, covered: (t: string) => boolean): number {
  const best = (set: ReadonlySet<string>) => {
    let b = 0;
    for (const [t, s] of m) if (s > b && set.has(t)) b = s;
    return b;
  };
  let f = FIELD.title * best(a.title);
  if (f < 1) {
    const inKeywords = best(a.keywords);
    if (inKeywords > 0) {
      // A keyword phrase the question holds whole is the author's own "this article is about that".
      const whole = a.phrases.some((p) => p.some((t) => m.has(t)) && p.every(covered));
      f = Math.max(f, inKeywords * (whole ? FIELD.phrase : FIELD.keyword));
    }
  }
  if (f < FIELD.body) f = Math.max(f, FIELD.body * best(a.body));
  return f;
}

/**
 * The auto-answer decision over ranked hits (best first, BM25+ order): the best
 * explains at least `minConfidence` of the question with MIN_EVIDENCE, and no
 * other article explains it within MARGIN as well.
 */
export function answers(hits: readonly Confidence[], minConfidence: number): boolean {
  const [top, ...rest] = hits;
  if (!top || top.confidence < minConfidence || top.evidence < MIN_EVIDENCE) return false;
  return !rest.some((h) => h.confidence > top.confidence - MARGIN);
}
