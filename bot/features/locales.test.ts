/**
 * Every feature text exists in every language, each feature's texts live in its own folder
 * (bot/features/<feature>/locales/<lang>.ftl), and texts sent as HTML are safe to send as HTML.
 */
import { fileURLToPath } from 'node:url';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { featureFtlKeys, ftlKeys, keysUsedIn } from '../../test/helpers/ftl.js';
import { localeFiles } from '../i18n.js';

const FEATURES = fileURLToPath(new URL('.', import.meta.url));
const KEY = /^(kb|rate|fu|autoclose|macro|bc|spam|lang|cmd|secrets|inc|miniapp|urgent|privacy|community-guard)-[a-z0-9-]+$/;

/**
 * The texts customers read, from the English files: keys under a heading that
 * names customers ("## Knowledge base — customer", "## Customer side"), keys of
 * files whose headings name no side except agent-* ones (intake, language,
 * Mini App), and the customers' command menu (menu.ts CUSTOMER_COMMANDS).
 */
function customerFacingKeys(): Set<string> {
  const keys = new Set<string>();
  const files = [join(FEATURES, '..', '..', 'locales', 'en', 'core.ftl'), ...readdirSync(FEATURES).map((f) => join(FEATURES, f, 'locales', 'en.ftl'))];
  for (const file of files.filter((f) => existsSync(f))) {
    let side: 'customer' | 'agent' | undefined;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (/^#/.test(line)) {
        if (/customer/i.test(line) && !/^# /.test(line)) side = 'customer';
        else if (/agent|admin|support group|escalation chat/i.test(line) && !/^# /.test(line)) side = 'agent';
        else if (/^# For agents/i.test(line)) side = 'agent';
        continue;
      }
      const key = /^([a-z][a-z0-9_-]*) =/.exec(line)?.[1];
      if (!key || key.startsWith('cmd-') || key.startsWith('agent-')) continue;
      if (side === 'customer' || (side === undefined && !/-agent-|-agent$/.test(key))) keys.add(key);
    }
  }
  const menu = readFileSync(join(FEATURES, 'agent-commands', 'menu.ts'), 'utf8');
  for (const m of /CUSTOMER_COMMANDS = \[([^\]]*)\]/.exec(menu)![1]!.matchAll(/'([a-z_]+)'/g)) keys.add(`cmd-${m[1]!.replace('_', '-')}`);
  return keys;
}

const merged = (byFeature: Map<string, Map<string, string>>) => new Map([...byFeature.values()].flatMap((keys) => [...keys]));

describe("the features' locales", () => {
  const enByFeature = featureFtlKeys('en');
  const ruByFeature = featureFtlKeys('ru');
  const en = merged(enByFeature);
  const ru = merged(ruByFeature);

  it('has the same keys in English and Russian, in every feature and in the shared core.ftl', () => {
    expect([...ru.keys()].sort()).toEqual([...en.keys()].sort());
    expect([...ruByFeature.keys()]).toEqual([...enByFeature.keys()]);
    for (const [feature, keys] of enByFeature) expect([...ruByFeature.get(feature)!.keys()].sort(), feature).toEqual([...keys.keys()].sort());
    expect([...ftlKeys('ru', 'core.ftl').keys()].sort()).toEqual([...ftlKeys('en', 'core.ftl').keys()].sort());
  });

  it('defines every key once across the shared files and the features', () => {
    const sources = [...localeFiles().values()].flat();
    for (const lang of ['en', 'ru', 'fa']) {
      const keys = sources
        .filter((f) => basename(f) === `${lang}.ftl` || basename(dirname(f)) === lang)
        .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^([a-z][a-z0-9_-]*) =/gm)].map((m) => m[1]!));
      expect(
        keys.filter((k, i) => keys.indexOf(k) !== i),
        lang,
      ).toEqual([]);
    }
  });

  it("a feature uses its own texts or the shared core.ftl, never another feature's", () => {
    const core = ftlKeys('en', 'core.ftl');
    for (const feature of enByFeature.keys()) {
      const others = new Set([...enByFeature].filter(([f]) => f !== feature).flatMap(([, keys]) => [...keys.keys()]));
      const borrowed = [...keysUsedIn(join(FEATURES, feature), /^[a-z][a-z0-9_-]*-[a-z0-9_-]+$/)].filter((k) => others.has(k) && !core.has(k));
      expect(borrowed, feature).toEqual([]);
    }
  });

  it('has every key the features use', () => {
    const missing = [...keysUsedIn(FEATURES, KEY)].filter((k) => !en.has(k));
    expect(missing).toEqual([]);
  });

  it("keeps each feature's texts in its own folder: the keys its code uses are in its locales", () => {
    for (const [feature, keys] of enByFeature) {
      const elsewhere = [...keysUsedIn(join(FEATURES, feature), KEY)].filter((k) => !keys.has(k));
      expect(elsewhere, feature).toEqual([]);
    }
  });

  it('keeps texts that go out with parse_mode HTML free of raw < > &', () => {
    const html = [
      'kb-suggest-header',
      'kb-suggest-question',
      'bc-header',
      'bc-header-urgent',
      'bc-footer',
      'bc-preview',
      'bc-preview-quiet',
      'macro-sent',
      'macro-list-header',
    ];
    // ("->" is Fluent's selector syntax, not text)
    for (const lang of [en, ru, merged(featureFtlKeys('fa'))]) for (const k of html) expect(lang.get(k)?.replace(/->/g, '') ?? '', k).not.toMatch(/[<>&]/);
  });

  it('has every customer-facing text in Persian too (agent texts may fall back to English), and no key English lacks', () => {
    const fa = new Map([...merged(featureFtlKeys('fa')), ...ftlKeys('fa', 'core.ftl')]);
    const customer = customerFacingKeys();
    expect(customer.size).toBeGreaterThan(60);
    expect([...customer].filter((k) => !fa.has(k))).toEqual([]);
    const english = new Map([...en, ...ftlKeys('en', 'core.ftl')]);
    expect([...fa.keys()].filter((k) => !english.has(k))).toEqual([]);
    // Fluent placeables and selectors survive translation: the same variables in both.
    const vars = (text: string) => [...new Set([...text.matchAll(/\$([a-zA-Z]+)/g)].map((m) => m[1]!))].sort();
    for (const [k, text] of fa) expect(vars(text), k).toEqual(vars(english.get(k)!));
  });

  it('keeps the English words of the KB buttons', () => {
    expect(en.get('kb-button-solved')).toBe('✅ Solved');
    expect(en.get('kb-button-human')).toBe('👤 Talk to a human');
  });
});
