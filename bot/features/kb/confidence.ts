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
 *   0.4 (a body mentions many things in passing). A typo or prefix match counts
 *   APPROX of that.
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
/** At least this much evidence: one strong specific word (or two body mentions and more). */
export const MIN_EVIDENCE = 0.9;
/** A runner-up within this much confidence of the best makes the question ambiguous. */
export const MARGIN = 0.02;

/** How `q` matches `t`: 1 exactly, APPROX by prefix (q of 4+ letters) or one typo per 5 letters, else 0. Mirrors the index's fuzzy/prefix rules. */
export function termMatch(q: string, t: string): number {
  if (q === t) return 1;
  if (q.length >= 4 && t.startsWith(q)) return APPROX;
  if (q.length >= 5) {
    const maxEdits = Math.floor(q.length * 0.2);
    if (Math.abs(q.length - t.length) <= maxEdits && withinEdits(q, t, maxEdits)) return APPROX;
  }
  return 0;
}

/** Levenshtein distance of a and b is at most k (one row of the table at a time; stops early past k). */
function withinEdits(a: string, b: string, k: number): boolean {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > k) return false;
    prev = row;
  }
  return prev[b.length]! <= k;
}

/** The vocabulary of one language's articles: which articles hold each word (for df). */
export class TermStats {
  private readonly docsByTerm = new Map<string, Set<string>>();
  private readonly articles = new Map<string, ArticleTerms>();
  private readonly dfCache = new Map<string, number>();

  add(id: string, terms: ArticleTerms): void {
    this.articles.set(id, terms);
    for (const field of [terms.title, terms.keywords, terms.body])
      for (const t of field) {
        let docs = this.docsByTerm.get(t);
        if (!docs) this.docsByTerm.set(t, (docs = new Set()));
        docs.add(id);
      }
    this.dfCache.clear();
  }

  get size(): number {
    return this.articles.size;
  }

  /** Articles holding `q` (exactly, by prefix or with a typo). */
  df(q: string): number {
    const cached = this.dfCache.get(q);
    if (cached !== undefined) return cached;
    const docs = new Set<string>();
    for (const [t, ids] of this.docsByTerm) if (termMatch(q, t) > 0) for (const id of ids) docs.add(id);
    if (this.dfCache.size > 10_000) this.dfCache.clear();
    this.dfCache.set(q, docs.size);
    return docs.size;
  }

  /** How much of `queryTerms` (distinct, analysed) the article `id` explains. */
  confidence(id: string, queryTerms: readonly string[]): Confidence {
    const a = this.articles.get(id);
    const n = this.articles.size;
    if (!a || n === 0 || queryTerms.length === 0) return { confidence: 0, evidence: 0 };
    let total = 0;
    let evidence = 0;
    for (const q of queryTerms) {
      const w = Math.min(1, Math.max(0.1, (n - this.df(q) + 1) / n));
      total += w;
      evidence += w * strength(q, a, queryTerms);
    }
    return { confidence: total > 0 ? evidence / total : 0, evidence };
  }
}

/** f(q): how strongly article `a` holds the query word q (see the file comment). */
function strength(q: string, a: ArticleTerms, queryTerms: readonly string[]): number {
  const best = (set: ReadonlySet<string>) => {
    let m = set.has(q) ? 1 : 0;
    if (m < 1) for (const t of set) m = Math.max(m, termMatch(q, t));
    return m;
  };
  let f = FIELD.title * best(a.title);
  if (f < 1) {
    const inKeywords = best(a.keywords);
    if (inKeywords > 0) {
      // A keyword phrase the question holds whole is the author's own "this article is about that".
      const whole = a.phrases.some((p) => p.some((t) => termMatch(q, t) > 0) && p.every((t) => queryTerms.some((x) => termMatch(x, t) > 0)));
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
