/** analytics/ may import core/ only (and packages): every consumer imports it, so it imports none of them. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';

const DIR = import.meta.dirname;
const ROOT = resolve(DIR, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

it.each(sources(DIR).map((f) => [relative(ROOT, f), f] as const))('%s imports only analytics/ and core/', (_name, file) => {
  const targets = [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) =>
    relative(ROOT, resolve(join(file, '..'), m[1]!)),
  );
  expect(targets.filter((t) => !t.startsWith('analytics/') && !t.startsWith('core/'))).toEqual([]);
});
