/** Every feature text exists in every language, and texts sent as HTML are safe to send as HTML. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ftlKeys, keysUsedIn } from '../../test/helpers/ftl.js';

const FEATURES = fileURLToPath(new URL('.', import.meta.url));
const KEY = /^(kb|rate|fu|autoclose|macro|bc|spam|lang|cmd)-[a-z0-9-]+$/;

describe('features.ftl', () => {
  const en = ftlKeys('en', 'features.ftl');
  const ru = ftlKeys('ru', 'features.ftl');

  it('has the same keys in English and Russian', () => {
    expect([...ru.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it('has every key the features use', () => {
    const missing = [...keysUsedIn(FEATURES, KEY)].filter((k) => !en.has(k));
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
