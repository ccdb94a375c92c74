/**
 * Agent macros: `MACROS_DIR/<lang>/<name>.md` templates (front matter
 * `title:`, optional `status: waiting_customer`), reloaded on change. A macro
 * is rendered in the customer's language, falling back to English.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { logger } from '../../../core/log.js';
import { escapeHtml } from '../../telegram/present.js';
import { markdownToTelegramHtml } from '../../telegram/markdown.js';
import { parseFrontMatter } from '../../runtime/front-matter.js';
import { watchMarkdownDir } from '../../runtime/watch-dir.js';

const log = logger('macros');

export interface Macro {
  name: string;
  lang: string;
  title: string;
  /** The ticket status the macro leaves the ticket in ('waiting_customer' for "need details"). */
  status: 'waiting_customer' | undefined;
  /** Markdown with {name} {ticket} {eta} {agent}. */
  body: string;
}

export interface MacroVars {
  name: string;
  ticket: number | string;
  eta: string;
  agent: string;
}

const NAME_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export class MacroLibrary {
  private macros = new Map<string, Map<string, Macro>>(); // name → lang → macro
  private unwatch: (() => void) | undefined;

  private constructor(private readonly dir: string) {}

  static async open(dir: string, o: { watch?: boolean } = {}): Promise<MacroLibrary> {
    const lib = new MacroLibrary(dir);
    await lib.reload();
    if (o.watch !== false)
      lib.unwatch = watchMarkdownDir(dir, () => void lib.reload().catch((e: unknown) => log.error({ err: e }, 'macro reload failed')), {
        debounceMs: 300,
        log,
      });
    return lib;
  }

  async reload(): Promise<void> {
    const next = new Map<string, Map<string, Macro>>();
    let files: string[] = [];
    try {
      files = (await readdir(this.dir, { recursive: true })).filter((f) => f.endsWith('.md') && !basename(f).startsWith('README'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      log.warn({ dir: this.dir }, 'macros directory does not exist; no macros');
    }
    for (const file of files) {
      const parts = relative(this.dir, join(this.dir, file)).split(sep);
      const lang = parts.length > 1 ? parts[0]! : 'en';
      const name = basename(file, '.md').toLowerCase();
      if (!NAME_RE.test(name)) {
        log.warn({ file }, 'macro file name must be lower-case letters, digits, - or _; skipped');
        continue;
      }
      let parsed: ReturnType<typeof parseFrontMatter>;
      try {
        // YAML/JSON only: `---js` front matter is refused, never evaluated.
        parsed = parseFrontMatter(await readFile(join(this.dir, file), 'utf8'), file);
      } catch (e) {
        log.error({ err: e, file }, 'skipping a macro that cannot be read');
        continue;
      }
      const data = parsed.data;
      const macro: Macro = {
        name,
        lang,
        title: typeof data.title === 'string' ? data.title : name,
        status: data.status === 'waiting_customer' ? 'waiting_customer' : undefined,
        body: parsed.content.trim(),
      };
      if (!next.has(name)) next.set(name, new Map());
      next.get(name)!.set(lang, macro);
    }
    this.macros = next;
    log.info({ macros: next.size }, 'macros loaded');
  }

  /** The macro in the language, else English, else any translation. */
  get(name: string, lang: string | null | undefined): Macro | undefined {
    const versions = this.macros.get(name.toLowerCase());
    if (!versions) return undefined;
    return (lang ? versions.get(lang) : undefined) ?? versions.get('en') ?? versions.values().next().value;
  }

  /** Every macro once, titled in the given language, sorted by name. */
  list(lang: string | null | undefined): Macro[] {
    return [...this.macros.keys()].sort().map((n) => this.get(n, lang)!);
  }

  close(): void {
    this.unwatch?.();
  }
}

/**
 * Telegram HTML for the macro with its variables filled. The Markdown is
 * converted first and the values inserted escaped, so a customer named
 * "*_<b>" shows as typed and cannot break the formatting.
 */
export function renderMacro(macro: Macro, vars: MacroVars): string {
  const html = markdownToTelegramHtml(macro.body);
  return html.replace(/\{(name|ticket|eta|agent)\}/g, (_m, key: keyof MacroVars) => escapeHtml(String(vars[key])));
}
