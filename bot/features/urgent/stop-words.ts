/**
 * The stop-word file (STOP_WORDS_FILE, default the shipped stop-words.yaml next
 * to this module): read at start, re-read when it changes (like the KB files,
 * bot/runtime/watch-dir.ts). A file that fails to parse keeps the phrases
 * loaded before and is logged (never its text).
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { logger } from '../../../core/log.js';
import { watchMarkdownDir } from '../../runtime/watch-dir.js';
import { StopWordMatcher, type StopWordsSpec } from './matcher.js';

const log = logger('stop-words');

export const DEFAULT_STOP_WORDS_FILE = join(dirname(fileURLToPath(import.meta.url)), 'stop-words.yaml');

/** Checks the file's shape; throws with what is wrong (no phrase text in the message). */
export function parseStopWords(text: string): StopWordsSpec {
  const doc = parse(text) as unknown;
  const languages = (doc as { languages?: unknown } | null)?.languages;
  if (!languages || typeof languages !== 'object') throw new Error('stop words: a top-level "languages:" map is required');
  const out: StopWordsSpec = { languages: {} };
  for (const [lang, l] of Object.entries(languages as Record<string, unknown>)) {
    const entry = (l ?? {}) as { phrases?: unknown; ignore?: unknown };
    if (!Array.isArray(entry.phrases)) throw new Error(`stop words: languages.${lang}.phrases must be a list`);
    const phrases = entry.phrases.map((p, i) => {
      const { phrase, queue } = (p ?? {}) as { phrase?: unknown; queue?: unknown };
      if (typeof phrase !== 'string' || !phrase.trim()) throw new Error(`stop words: languages.${lang}.phrases[${i}].phrase must be text`);
      if (typeof queue !== 'string' || !/^[A-Za-z0-9_-]{1,32}$/.test(queue))
        throw new Error(`stop words: languages.${lang}.phrases[${i}].queue must be a queue name`);
      return { phrase: String(phrase), queue };
    });
    const ignore = entry.ignore === undefined ? [] : entry.ignore;
    if (!Array.isArray(ignore) || ignore.some((x) => typeof x !== 'string')) throw new Error(`stop words: languages.${lang}.ignore must be a list of phrases`);
    out.languages[lang] = { phrases, ignore: ignore as string[] };
  }
  return out;
}

export class StopWords {
  private current: StopWordMatcher;
  private unwatch: (() => void) | undefined;

  private constructor(
    readonly file: string,
    spec: StopWordsSpec,
  ) {
    this.current = new StopWordMatcher(spec);
  }

  static async open(file = DEFAULT_STOP_WORDS_FILE, o: { watch?: boolean } = {}): Promise<StopWords> {
    const sw = new StopWords(file, parseStopWords(await readFile(file, 'utf8')));
    if (o.watch !== false)
      sw.unwatch = watchMarkdownDir(
        dirname(file),
        () => void sw.reload().catch((e: unknown) => log.error({ err: (e as Error).message }, 'stop words reload failed')),
        {
          debounceMs: 200,
          log,
          accept: (f) => basename(f) === basename(file),
        },
      );
    return sw;
  }

  get matcher(): StopWordMatcher {
    return this.current;
  }

  /** The queues the phrases send to (checked against the SLA policy at start). */
  queues(): string[] {
    return this.current.queues();
  }

  async reload(): Promise<void> {
    this.current = new StopWordMatcher(parseStopWords(await readFile(this.file, 'utf8')));
    log.info({ phrases: this.current.size }, 'stop words reloaded');
  }

  close(): void {
    this.unwatch?.();
    this.unwatch = undefined;
  }
}
