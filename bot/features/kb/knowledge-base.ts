/**
 * The knowledge base on disk: `KB_DIR/<lang>/<id>.md` (or flat `KB_DIR/<id>.md`
 * with `lang:` in front matter). Loads every article into a KbSearch snapshot
 * and reloads when files change (fs.watch, debounced so an editor's burst of
 * writes is one reload). A broken file is logged and skipped; the others stay
 * searchable.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { logger } from '../../../core/log.js';
import { watchMarkdownDir } from '../../runtime/watch-dir.js';
import { parseArticle, type KbArticle } from './article.js';
import { KbSearch, type KbHit, type KbSearchOptions } from './search.js';

const log = logger('kb');

export interface KnowledgeBaseOptions {
  dir: string;
  /** Language of files outside a language folder without `lang:`. */
  defaultLanguage?: string;
  /** Wait this long after the last change before reloading. */
  debounceMs?: number;
}

export class KnowledgeBase {
  private snapshot = new KbSearch([]);
  private unwatch: (() => void) | undefined;
  private loading: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(kb: KbSearch) => void>();

  constructor(private readonly opts: KnowledgeBaseOptions) {}

  /** Opens the KB: first load, then watching. */
  static async open(opts: KnowledgeBaseOptions & { watch?: boolean }): Promise<KnowledgeBase> {
    const kb = new KnowledgeBase(opts);
    await kb.reload();
    if (opts.watch !== false) kb.startWatching();
    return kb;
  }

  get current(): KbSearch {
    return this.snapshot;
  }

  search(query: string, opts?: KbSearchOptions): KbHit[] {
    return this.snapshot.search(query, opts);
  }

  /** The article that clearly answers `query`, if any (KbSearch.answer). */
  answer(query: string, minConfidence: number, opts?: Omit<KbSearchOptions, 'limit'>): KbHit | undefined {
    return this.snapshot.answer(query, minConfidence, opts);
  }

  get(id: string, language?: string): KbArticle | undefined {
    return this.snapshot.get(id, language);
  }

  /** Called after every reload (tests wait on it; the bot logs it). */
  onReload(fn: (kb: KbSearch) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Re-reads every file. Serialised, so overlapping triggers never interleave. */
  reload(): Promise<void> {
    this.loading = this.loading.then(async () => {
      const articles = await readArticles(this.opts.dir, this.opts.defaultLanguage ?? 'en');
      this.snapshot = new KbSearch(articles);
      log.info({ articles: articles.length, languages: this.snapshot.languages() }, 'knowledge base loaded');
      for (const fn of this.listeners) fn(this.snapshot);
    });
    return this.loading;
  }

  private startWatching(): void {
    this.unwatch = watchMarkdownDir(this.opts.dir, () => void this.reload().catch((e: unknown) => log.error({ err: e }, 'knowledge base reload failed')), {
      debounceMs: this.opts.debounceMs ?? 300,
      log,
    });
  }

  close(): void {
    this.unwatch?.();
    this.listeners.clear();
  }
}

async function readArticles(dir: string, defaultLanguage: string): Promise<KbArticle[]> {
  let files: string[];
  try {
    files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.md') && !basename(f).startsWith('README'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      log.warn({ dir }, 'knowledge base directory does not exist; no articles');
      return [];
    }
    throw e;
  }
  const out: KbArticle[] = [];
  for (const file of files.sort()) {
    const path = join(dir, file);
    const parts = relative(dir, path).split(sep);
    // kb/<lang>/<id>.md: the folder names the language
    const folderLang = parts.length > 1 ? parts[0]! : defaultLanguage;
    try {
      out.push(parseArticle(basename(file, '.md'), await readFile(path, 'utf8'), path, folderLang));
    } catch (e) {
      log.error({ err: e, path }, 'skipping a knowledge-base article that cannot be read');
    }
  }
  return out;
}
