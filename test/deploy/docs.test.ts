/**
 * The docs name only what exists (issue 13): every file path and every `npm run <script>`
 * written in the Markdown docs — README.md, each folder's README.md, bot/EXTENSION.md,
 * docs/*.md, BENCHMARKS.md, SECURITY.md and ARCHITECTURE.md — must exist.
 *
 * A path is read from inline code (also inside a command: `bash scripts/services.sh start`),
 * from fenced code blocks and from Markdown links. It may be relative to the repository
 * root or to the Markdown file's folder; a bare file name (`relay.ts`) only has to exist
 * somewhere in the repository. Left alone: URLs and HTTP routes (`/api/v1/summary`, a
 * leading `/`), globs (`*`), placeholders (`<lang>`, `{id}`, `NNN_name.sql`, `FILE.jsonl`),
 * paths under DATA_DIR (`data/…`, `DATA_DIR/…`) and build outputs that a fresh clone does not
 * have yet (`dist/`, `test-artifacts/`, `schemas/json/`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
/** Folders that are not the project's own files: never searched, never documented as paths. */
const NOT_SOURCES = new Set(['node_modules', '.git', 'data', 'dist', 'test-artifacts', '.tmp']);
/** Extensions that make a token a file name even without a slash. */
const FILE_EXT = /\.(ts|tsx|js|mjs|cjs|json|jsonc|md|sql|sh|yml|yaml|ftl|png|svg|html|css|example|txt)$/;
/** Placeholders and patterns, not paths. */
const NOT_A_PATH = /[*<>{}[\]…?&=|()$\\'"`,]|\.\.\.|^~|:\/\/|^[a-z][\w+.-]*:/i;
/** Written by a command, absent from a fresh clone. */
const GENERATED = [/^schemas\/json(\/|$)/, /(^|\/)(dist|test-artifacts|data)(\/|$)/, /^(DATA_DIR|KB_DIR|MACROS_DIR)\//, /^\.\/data(\/|$)/];
/** Placeholders: `NNN_name.sql`, `path/to/…`. */
const PLACEHOLDER = /(^|\/)NNN_|^path\/to\//;

type Ref = { doc: string; line: number; text: string };

/** The Markdown docs this test keeps honest, repository-relative. */
function docFiles(): string[] {
  const found: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(ROOT, rel), { withFileTypes: true })) {
      if (NOT_SOURCES.has(entry.name) || entry.name.startsWith('.')) continue;
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'README.md') found.push(path);
    }
  };
  walk('');
  const named = ['bot/EXTENSION.md', 'BENCHMARKS.md', 'SECURITY.md', 'ARCHITECTURE.md'].filter((f) => existsSync(join(ROOT, f)));
  const docs = existsSync(join(ROOT, 'docs'))
    ? readdirSync(join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`)
    : [];
  return [...new Set([...found, ...named, ...docs])].sort();
}

/** Every file name in the repository (outside NOT_SOURCES), for bare names. */
function allFileNames(): Set<string> {
  const names = new Set<string>();
  const walk = (abs: string) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (NOT_SOURCES.has(entry.name)) continue;
      if (entry.isDirectory()) walk(join(abs, entry.name));
      else names.add(entry.name);
    }
  };
  walk(ROOT);
  return names;
}

/** Strips what may surround a path inside prose or a command: `(bot/)`, `file.ts:12`, `dir/,`. */
function cleanToken(token: string): string {
  return token
    .replace(/^[(["'`]+/, '')
    .replace(/[)\]"'`.,;:!]+$/, '')
    .replace(/:\d+(:\d+)?$/, '')
    .replace(/#.*$/, '');
}

/**
 * The candidate paths and npm scripts named in one Markdown text. `rootEntries` are the names at the
 * repository root and in the document's folder: a token with a slash counts as a path when its first
 * part is one of them or its last part has a file extension.
 */
function referencesIn(markdown: string, doc: string, rootEntries: ReadonlySet<string>): { paths: Ref[]; scripts: Ref[] } {
  const paths: Ref[] = [];
  const scripts: Ref[] = [];
  const lines = markdown.split('\n');
  let fenced = false;
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      return;
    }
    for (const m of raw.matchAll(/\bnpm\s+(?:run(?:-script)?\s+(?:--?[\w-]+\s+)*([\w:.-]+)|(start|test)\b)/g)) {
      scripts.push({ doc, line, text: (m[1] ?? m[2])! });
    }
    const code = fenced ? [raw] : [...raw.matchAll(/(`+)(.+?)\1/g)].map((m) => m[2]!);
    const links = fenced ? [] : [...raw.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
    for (const target of links) {
      if (/^[a-z][\w+.-]*:/i.test(target) || target.startsWith('#')) continue; // URL, mailto:, anchor
      const path = target.replace(/[#?].*$/, '');
      if (path !== '' && !NOT_A_PATH.test(path)) paths.push({ doc, line, text: decodeURI(path) });
    }
    for (const span of code) {
      if (/^\s*(GET|POST|PUT|PATCH|DELETE|HEAD)\s/.test(span)) continue; // an HTTP route
      // A quoted token is a string in a code sample (`from '../context.js'`), relative to a file of its own.
      for (const token of span
        .split(/\s+/)
        .filter((t) => !/^['"]/.test(t))
        .map(cleanToken)) {
        if (token === '' || token.startsWith('/') || token.startsWith('-') || token.startsWith('@')) continue;
        if (NOT_A_PATH.test(token) || PLACEHOLDER.test(token)) continue;
        const parts = token.replace(/^(\.\.?\/)+/, '').split('/');
        const isPath = token.includes('/')
          ? rootEntries.has(parts[0]!) || token.startsWith('./') || token.startsWith('../') || FILE_EXT.test(parts.at(-1)!)
          : FILE_EXT.test(token) && /^[\w.-]+$/.test(token) && !/^\d/.test(token);
        if (isPath) paths.push({ doc, line, text: token });
      }
    }
  });
  return { paths, scripts };
}

/** Whether a referenced path exists: from the root, from the document's folder, or (bare names) anywhere. */
function exists(ref: Ref, fileNames: ReadonlySet<string>): boolean {
  const path = ref.text.replace(/\/$/, '');
  if (GENERATED.some((g) => g.test(normalize(path)))) return true;
  if (!path.includes('/')) {
    if (fileNames.has(path)) return true;
  }
  for (const base of [ROOT, join(ROOT, dirname(ref.doc))]) {
    const abs = resolve(base, path);
    if (!abs.startsWith(ROOT)) continue;
    if (existsSync(abs) && (!ref.text.endsWith('/') || statSync(abs).isDirectory())) return true;
  }
  return false;
}

function entriesFor(doc: string): Set<string> {
  const names = new Set(readdirSync(ROOT));
  for (const name of readdirSync(join(ROOT, dirname(doc)))) names.add(name);
  return names;
}

describe('documentation', () => {
  const docs = docFiles();
  const scriptsDefined = new Set(Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts));
  const refs = docs.map((doc) => referencesIn(readFileSync(join(ROOT, doc), 'utf8'), doc, entriesFor(doc)));
  const show = (r: Ref) => `${r.doc}:${r.line} ${r.text}`;

  it('reads the READMEs of every folder, EXTENSION.md and docs/', () => {
    expect(docs).toEqual(expect.arrayContaining(['README.md', 'bot/README.md', 'bot/EXTENSION.md', 'sandbox/README.md', 'docs/CONTRACTS.md']));
    expect(docs.some((d) => d.startsWith('node_modules/'))).toBe(false);
    // Enough references found that a broken extractor cannot pass by finding none.
    expect(refs.flatMap((r) => r.paths).length).toBeGreaterThan(100);
    expect(refs.flatMap((r) => r.scripts).length).toBeGreaterThan(10);
  });

  it('every file path they name exists', () => {
    const fileNames = allFileNames();
    const broken = refs.flatMap((r) => r.paths).filter((ref) => !exists(ref, fileNames));
    expect(broken.map(show)).toEqual([]);
  });

  it('every npm script they name is in package.json', () => {
    const broken = refs.flatMap((r) => r.scripts).filter((ref) => !scriptsDefined.has(ref.text));
    expect(broken.map(show)).toEqual([]);
  });

  it('recognises paths in code, commands and links, and leaves URLs, routes, globs, placeholders and DATA_DIR alone', () => {
    const md = [
      'See [the contract](../docs/CONTRACTS.md#events), [gone](missing.md) and [a site](https://example.com/a.md).',
      'Run `bash scripts/services.sh start` or `npx tsx bench/bot/run.ts [--rate 50]`; files `bot/context.ts`, `relay.ts`, `bot/nope.ts`.',
      'Not paths: `/api/v1/summary`, `GET /sandbox/info`, `locales/<lang>/core.ftl`, `kb/{id}.md`, `dashboards/*.json`,',
      '`DATA_DIR/pglite`, `data/bus`, `NNN_name.sql`, `path/to/file.test.ts`, `events.jsonl`, `Europe/Berlin`, `multipart/form-data`, `@grammyjs/auto-retry`, `node:fs`, `4.5`.',
      '```bash',
      'npm run test:all && npm run nope -- --flag',
      'cat grafana/dashboards.ts',
      "import { startSandbox } from '../sandbox/index.js';",
      '```',
      'And `npm start`, `npm run --silent lint`.',
    ].join('\n');
    const { paths, scripts } = referencesIn(md, 'bot/README.md', entriesFor('bot/README.md'));
    expect(paths.map((p) => p.text)).toEqual([
      '../docs/CONTRACTS.md',
      'missing.md',
      'scripts/services.sh',
      'bench/bot/run.ts',
      'bot/context.ts',
      'relay.ts',
      'bot/nope.ts',
      'grafana/dashboards.ts',
    ]);
    expect(scripts.map((s) => s.text)).toEqual(['test:all', 'nope', 'start', 'lint']);
    const fileNames = allFileNames();
    expect(paths.filter((p) => !exists(p, fileNames)).map((p) => p.text)).toEqual(['missing.md', 'bot/nope.ts']);
    expect(scripts.filter((s) => !scriptsDefined.has(s.text)).map((s) => s.text)).toEqual(['nope']);
  });
});
