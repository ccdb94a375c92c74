/** Every feature text exists in every language, and texts sent as HTML are safe to send as HTML. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FEATURES = fileURLToPath(new URL('.', import.meta.url));
const KEY = /^(kb|rate|fu|autoclose|macro|bc|spam|lang|cmd)-[a-z0-9-]+$/;

function ftlKeys(lang: string): Map<string, string> {
  const src = readFileSync(join(ROOT, 'locales', lang, 'features.ftl'), 'utf8');
  const out = new Map<string, string>();
  let current: string | undefined;
  for (const line of src.split('\n')) {
    const m = /^([a-z][a-z0-9-]*)\s*=\s*(.*)$/.exec(line);
    if (m) out.set((current = m[1]!), m[2]!);
    else if (current && /^\s+\S/.test(line)) out.set(current, `${out.get(current)}\n${line.trim()}`);
  }
  return out;
}

function keysUsedInCode(): Set<string> {
  const used = new Set<string>();
  const files = readdirSync(FEATURES, { recursive: true }).map(String).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const f of files) for (const m of readFileSync(join(FEATURES, f), 'utf8').matchAll(/'([a-z][a-z0-9-]+)'/g)) if (KEY.test(m[1]!)) used.add(m[1]!);
  return used;
}

describe('features.ftl', () => {
  const en = ftlKeys('en');
  const ru = ftlKeys('ru');

  it('has the same keys in English and Russian', () => {
    expect([...ru.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it('has every key the features use', () => {
    const missing = [...keysUsedInCode()].filter((k) => !en.has(k));
    expect(missing).toEqual([]);
  });

  it('keeps texts that go out with parse_mode HTML free of raw < > &', () => {
    const html = ['kb-suggest-header', 'kb-suggest-question', 'bc-header', 'bc-header-urgent', 'bc-footer', 'bc-preview', 'bc-preview-quiet', 'macro-sent', 'macro-list-header'];
    // ("->" is Fluent's selector syntax, not text)
    for (const lang of [en, ru]) for (const k of html) expect(lang.get(k)?.replace(/->/g, ''), k).not.toMatch(/[<>&]/);
  });

  it('keeps the English words of the KB buttons', () => {
    expect(en.get('kb-button-solved')).toBe('✅ Solved');
    expect(en.get('kb-button-human')).toBe('👤 Talk to a human');
  });
});
