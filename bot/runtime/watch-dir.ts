/**
 * Watches a directory tree of Markdown files (the KB, macros) and calls back
 * once per burst of changes: editors and `git pull` write several files and
 * temp files in quick succession, and one reload is enough.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../../core/log.js';

export function watchMarkdownDir(
  dir: string,
  onChange: () => void,
  /** `accept`: which changed files count (default: Markdown). */
  o: { debounceMs: number; log: Logger; accept?: (file: string) => boolean },
): () => void {
  const accept = o.accept ?? ((file: string) => file.endsWith('.md'));
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    // Recursive watching is native on Linux since Node 20.
    watcher = watch(dir, { recursive: true }, (_event, file) => {
      if (file && !accept(String(file))) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, o.debounceMs);
    });
    watcher.on('error', (e) => o.log.warn({ err: e, dir }, 'directory watcher stopped; changes need a restart'));
  } catch (e) {
    o.log.warn({ err: e, dir }, 'cannot watch the directory; changes need a restart');
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}
