/**
 * Front matter for the Markdown the desk loads (KB articles, macros), parsed
 * with gray-matter as data only: YAML (the default) or JSON. gray-matter's
 * built-in `javascript` engine evals the block (`---js` / `---javascript`),
 * so a file dropped into kb/ or macros/ could run code in the bot; those
 * engines are replaced with ones that refuse, and any other language is
 * refused before an engine is looked up.
 */
import matter from 'gray-matter';

export class FrontMatterError extends Error {}

const ALLOWED = new Set(['', 'yaml', 'yml', 'json']);

function refuse(name: string) {
  return {
    parse(): never {
      throw new FrontMatterError(`front matter language "${name}" is not allowed (YAML or JSON only)`);
    },
    stringify(): never {
      throw new FrontMatterError(`front matter language "${name}" is not allowed (YAML or JSON only)`);
    },
  };
}

const OPTIONS = {
  engines: { js: refuse('js'), javascript: refuse('javascript'), coffee: refuse('coffee'), coffeescript: refuse('coffeescript'), cson: refuse('cson') },
};

export interface FrontMatter {
  data: Record<string, unknown>;
  content: string;
}

/** Parses `source`'s front matter as data; throws FrontMatterError for `---js` and any language but YAML/JSON. */
export function parseFrontMatter(source: string, path: string): FrontMatter {
  // gray-matter's own rule: front matter opens with exactly three dashes (a BOM before it is ignored).
  const text = source.replace(/^\uFEFF/, '');
  const language = text.startsWith('---') && text.charAt(3) !== '-' ? matter.language(text).name.trim().toLowerCase() : '';
  if (!ALLOWED.has(language)) throw new FrontMatterError(`${path}: front matter language "${language}" is not allowed (YAML or JSON only)`);
  // A fresh options object each call: gray-matter caches by content only when called without options.
  const parsed = matter(source, { ...OPTIONS });
  return { data: (parsed.data ?? {}) as Record<string, unknown>, content: parsed.content };
}
