/**
 * The auto-answer decision holds at any KB size (issue 14, item 7): one
 * article, five, the shipped sixteen and fifty. For each KB every phrasing is
 * asked; one about an article the KB holds should be answered with it, every
 * other one (about an article this KB lacks, or off-topic) should not be
 * answered at all. Precision = right answers / answers; recall = right
 * answers / questions the KB can answer. The old rule (BM25 score ≥ 40) is
 * measured beside it for comparison.
 *
 * The questions are the shipped phrasings (en, ru), the held-out ones, two per
 * fixture article and the off-topic ones; for the shipped KB the fixture's
 * questions are hard negatives (near topics it has no article for: cancel an
 * order, fees, IBAN…). Measured at KB_MIN_SCORE=40 with the en, ru and fa
 * phrasings (precision / recall, old rule in brackets): 1 article 0.833 / 0.899
 * (1.000 / 0.225), 5 articles 0.845 / 0.860 (0.745 / 0.921), 16 shipped
 * 0.908 / 0.888 (0.757 / 0.944), 50 articles 0.974 / 0.718 (0.938 / 0.874).
 * The floors below sit under those.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFeaturesConfig } from '../../runtime/config.js';
import { type KbArticle, parseArticle } from './article.js';
import { FIXTURE_ARTICLES, FIXTURE_OFF_TOPIC, FIXTURE_PHRASINGS } from './corpus-fixture.js';
import { KB_HOLDOUT, KB_PHRASINGS, OFF_TOPIC_PHRASINGS } from './phrasings.js';
import { KbSearch } from './search.js';

const SHIPPED_KB = fileURLToPath(new URL('../../../kb', import.meta.url));
const MIN_CONFIDENCE = loadFeaturesConfig({}).kbMinConfidence;
/** The absolute threshold the decision used before (BM25+ score of the best article). */
const OLD_MIN_SCORE = 40;

const shipped: KbArticle[] = readdirSync(SHIPPED_KB, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(SHIPPED_KB, d.name))
      .filter((f) => f.endsWith('.md'))
      .map((f) => parseArticle(f.slice(0, -3), readFileSync(join(SHIPPED_KB, d.name, f), 'utf8'), f, d.name)),
  );
const shippedIds = [...new Set(shipped.map((a) => a.id))].sort();

interface Question {
  text: string;
  lang: string;
  article?: string | undefined;
}
const ALL_QUESTIONS: Question[] = [
  ...KB_PHRASINGS,
  ...KB_HOLDOUT,
  ...FIXTURE_PHRASINGS,
  ...OFF_TOPIC_PHRASINGS,
  ...FIXTURE_OFF_TOPIC.map((text) => ({ text, lang: 'en' })),
];

interface Tally {
  answered: number;
  right: number;
  answerable: number;
}

function measure(kbs: KbArticle[][], decide: (kb: KbSearch, q: Question) => string | undefined): Tally {
  const t: Tally = { answered: 0, right: 0, answerable: 0 };
  for (const articles of kbs) {
    const kb = new KbSearch(articles);
    const held = new Set(articles.map((a) => `${a.lang}:${a.id}`));
    for (const q of ALL_QUESTIONS) {
      // A question only counts for a KB that has articles in its language.
      if (!articles.some((a) => a.lang === q.lang)) continue;
      const answerable = q.article !== undefined && held.has(`${q.lang}:${q.article}`);
      if (answerable) t.answerable++;
      const answer = decide(kb, q);
      if (answer === undefined) continue;
      t.answered++;
      if (answer === q.article) t.right++;
    }
  }
  return t;
}

const now = (kb: KbSearch, q: Question) => kb.answer(q.text, MIN_CONFIDENCE, { language: q.lang })?.article.id;
const before = (kb: KbSearch, q: Question) => {
  const top = kb.search(q.text, { language: q.lang, limit: 1 })[0];
  return top && top.score >= OLD_MIN_SCORE ? top.article.id : undefined;
};
const precision = (t: Tally) => (t.answered ? t.right / t.answered : 1);
const recall = (t: Tally) => (t.answerable ? t.right / t.answerable : 0);

/** One KB per shipped article (both languages), four of five articles, the sixteen shipped, and fifty (16 shipped + 34 fixture, English). */
const SIZES: { name: string; kbs: KbArticle[][]; minPrecision: number; minRecall: number }[] = [
  { name: '1 article', kbs: shippedIds.map((id) => shipped.filter((a) => a.id === id)), minPrecision: 0.75, minRecall: 0.85 },
  {
    name: '5 articles',
    kbs: [0, 1, 2, 3].map((k) => shipped.filter((a) => (shippedIds.indexOf(a.id) * 7 + k * 3) % 16 < 5)),
    minPrecision: 0.78,
    minRecall: 0.8,
  },
  { name: '16 articles (shipped)', kbs: [shipped], minPrecision: 0.85, minRecall: 0.85 },
  { name: '50 articles', kbs: [[...shipped.filter((a) => a.lang === 'en'), ...FIXTURE_ARTICLES]], minPrecision: 0.95, minRecall: 0.68 },
];

describe('the auto-answer decision at any KB size', () => {
  it('the fixture makes a 50-article KB with two phrasings per added article', () => {
    expect(new Set(SIZES[3]!.kbs[0]!.map((a) => a.id)).size).toBe(50);
    expect(SIZES[1]!.kbs.every((kb) => new Set(kb.map((a) => a.id)).size === 5)).toBe(true);
    expect(FIXTURE_PHRASINGS.length).toBe(68);
  });

  for (const size of SIZES)
    it(`${size.name}: precision ≥ ${size.minPrecision}, recall ≥ ${size.minRecall}`, () => {
      const t = measure(size.kbs, now);
      const old = measure(size.kbs, before);
      console.log(
        `KB ${size.name} (${size.kbs.length} KB${size.kbs.length > 1 ? 's' : ''}, ${t.answerable} answerable questions): ` +
          `precision ${precision(t).toFixed(3)}, recall ${recall(t).toFixed(3)} at KB_MIN_SCORE=${Math.round(MIN_CONFIDENCE * 100)} ` +
          `| before (BM25 ≥ ${OLD_MIN_SCORE}): precision ${precision(old).toFixed(3)}, recall ${recall(old).toFixed(3)}`,
      );
      expect(precision(t)).toBeGreaterThanOrEqual(size.minPrecision);
      expect(recall(t)).toBeGreaterThanOrEqual(size.minRecall);
    });

  it('a one-article KB answers a clearly matching question (it never did with the absolute threshold)', () => {
    const kb = new KbSearch(shipped.filter((a) => a.id === 'refunds' && a.lang === 'en'));
    expect(kb.answer('how do I get a refund for my order', MIN_CONFIDENCE, { language: 'en' })?.article.id).toBe('refunds');
    expect(kb.search('how do I get a refund for my order', { language: 'en' })[0]!.score).toBeLessThan(OLD_MIN_SCORE);
    expect(kb.answer('where is my parcel, the courier never came', MIN_CONFIDENCE, { language: 'en' })).toBeUndefined();
    expect(kb.answer('hi', MIN_CONFIDENCE, { language: 'en' })).toBeUndefined();
  });
});
