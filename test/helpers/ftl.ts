/** Reads a Fluent file of locales/<lang>/ as key → source text (continuation lines joined), for locale tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function ftlKeys(lang: string, file: string): Map<string, string> {
  const src = readFileSync(join(ROOT, 'locales', lang, file), 'utf8');
  const out = new Map<string, string>();
  let current: string | undefined;
  for (const line of src.split('\n')) {
    const m = /^([a-zA-Z][a-zA-Z0-9-]*)\s*=\s*(.*)$/.exec(line);
    if (m) out.set((current = m[1]!), m[2]!);
    else if (current && /^\s+\S/.test(line)) out.set(current, `${out.get(current)}\n${line.trim()}`);
  }
  return out;
}

/** String literals in the non-test TypeScript files under `dir` that match `key`. */
export function keysUsedIn(dir: string, key: RegExp): Set<string> {
  const used = new Set<string>();
  const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const f of files) for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/'([a-z][a-z0-9-]+)'/g)) if (key.test(m[1]!)) used.add(m[1]!);
  return used;
}
