/**
 * One knowledge-base article: a Markdown file whose first `#` heading is the
 * title, with optional front matter (`keywords:` list or comma string, `lang:`).
 * The file name (without .md) is the article id, shared by its translations
 * (`kb/en/refunds.md`, `kb/ru/refunds.md`), so analytics count one article
 * across languages.
 */
import { parseFrontMatter } from '../../runtime/front-matter.js';

export interface KbArticle {
  /** Language-neutral id, e.g. "refunds" — what `kb_article_id` carries. */
  id: string;
  lang: string;
  title: string;
  keywords: string[];
  /** Markdown body without the title heading. */
  body: string;
  /** Source path, for logs. */
  path: string;
}

export class ArticleError extends Error {}

/**
 * @param defaultLang the language of the folder the file sits in (kb/<lang>/…), used when front matter has no `lang:`.
 */
export function parseArticle(id: string, source: string, path: string, defaultLang: string): KbArticle {
  // YAML/JSON only: `---js` front matter is refused, never evaluated.
  const parsed = parseFrontMatter(source, path);
  const data = parsed.data;
  const lines = parsed.content.split(/\r?\n/);
  const headingAt = lines.findIndex((l) => /^#\s+\S/.test(l));
  if (headingAt < 0) throw new ArticleError(`${path}: no "# Title" heading`);
  const title = lines[headingAt]!.replace(/^#\s+/, '').trim();
  const body = lines
    .slice(headingAt + 1)
    .join('\n')
    .trim();
  const kw = data.keywords;
  const keywords = Array.isArray(kw) ? kw.map(String) : typeof kw === 'string' ? kw.split(',') : [];
  const lang = typeof data.lang === 'string' && data.lang.trim() ? data.lang.trim().toLowerCase() : defaultLang;
  return { id, lang, title, keywords: keywords.map((k) => k.trim()).filter(Boolean), body, path };
}
