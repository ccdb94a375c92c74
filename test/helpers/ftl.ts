/** Reads Fluent files as key → source text (continuation lines joined), for locale tests. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A file of locales/<lang>/ (core.ftl, alerts.ftl). */
export function ftlKeys(lang: string, file: string): Map<string, string> {
  return ftlFileKeys(join(ROOT, 'locales', lang, file));
}

/** Every feature's texts in a language: bot/features/<feature>/locales/<lang>.ftl, keyed by feature. */
export function featureFtlKeys(lang: string): Map<string, Map<string, string>> {
  const dir = join(ROOT, 'bot', 'features');
  const out = new Map<string, Map<string, string>>();
  for (const feature of readdirSync(dir).sort()) {
    const file = join(dir, feature, 'locales', `${lang}.ftl`);
    if (existsSync(file)) out.set(feature, ftlFileKeys(file));
  }
  return out;
}

export function ftlFileKeys(path: string): Map<string, string> {
  const src = readFileSync(path, 'utf8');
  const out = new Map<string, string>();
  let current: string | undefined;
  for (const line of src.split('\n')) {
    const m = /^([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*)$/.exec(line);
    if (m) out.set((current = m[1]!), m[2]!);
    else if (current && /^\s+\S/.test(line)) out.set(current, `${out.get(current)}\n${line.trim()}`);
  }
  return out;
}

/** String literals in the non-test TypeScript files under `dir` that match `key`. */
export function keysUsedIn(dir: string, key: RegExp): Set<string> {
  const used = new Set<string>();
  const files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const f of files) for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/'([a-z][a-z0-9-]+)'/g)) if (key.test(m[1]!)) used.add(m[1]!);
  return used;
}
