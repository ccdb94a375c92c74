import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../../test/helpers/tmp.js';
import { formatDurationWords as formatEta } from '../../telegram/present.js';
import { MacroLibrary, renderMacro } from './library.js';

const SHIPPED = fileURLToPath(new URL('../../../macros', import.meta.url));

describe('shipped macros', async () => {
  const lib = await MacroLibrary.open(SHIPPED, { watch: false });
  afterAll(() => lib.close());

  it('ships receipt, need_details, solved, escalated and complaint in en, ru and fa', () => {
    for (const name of ['receipt', 'need_details', 'solved', 'escalated', 'complaint'])
      for (const lang of ['en', 'ru', 'fa']) {
        expect(lib.get(name, lang)?.lang, `${lang}/${name}`).toBe(lang);
        // the same variables and the same effect on the ticket in every language
        const vars = (l: string) => [...new Set(lib.get(name, l)!.body.match(/\{(name|ticket|eta|agent)\}/g))].sort();
        expect(vars(lang), `${lang}/${name}`).toEqual(vars('en'));
        expect(lib.get(name, lang)?.status, `${lang}/${name}`).toBe(lib.get(name, 'en')?.status);
      }
    expect(lib.get('need_details', 'en')?.status).toBe('waiting_customer');
    expect(lib.get('receipt', 'en')?.status).toBeUndefined();
    expect(lib.list('ru').map((m) => m.name)).toEqual(['complaint', 'escalated', 'need_details', 'receipt', 'solved']);
  });

  it('fills variables, escaped, in the customer language and falls back to English', () => {
    const vars = { name: 'Ann <*_>', ticket: 42, eta: formatEta(1500, 'ru'), agent: 'Max' };
    const ru = renderMacro(lib.get('receipt', 'ru')!, vars);
    expect(ru).toContain('Ann &lt;*_&gt;, здравствуйте!');
    expect(ru).toContain('<b>#42</b>');
    expect(ru).toContain('<b>25 минут</b>');
    expect(ru).not.toMatch(/\{(name|ticket|eta|agent)\}/);
    expect(lib.get('receipt', 'de')?.lang).toBe('en');
    const complaint = renderMacro(lib.get('complaint', 'en')!, { ...vars, eta: formatEta(7200, 'en') });
    // The complaint shape: thank → why it matters → apologise → on it → come back.
    const order = ['thank you', 'matters to us', 'sorry', 'already looking into it', 'come back to you'].map((s) => complaint.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(complaint).toContain('— Max');
  });
});

describe('macro files', () => {
  const tmp = tmpDataDir('macros-');
  afterAll(() => tmp.cleanup());

  it('are re-read on change and skipped when misnamed', async () => {
    mkdirSync(join(tmp.dir, 'en'));
    writeFileSync(join(tmp.dir, 'en', 'hello.md'), '---\ntitle: Greeting\n---\nHi {name}');
    writeFileSync(join(tmp.dir, 'en', 'Bad Name.md'), 'x');
    const lib = await MacroLibrary.open(tmp.dir, { watch: false });
    expect(lib.list('en').map((m) => [m.name, m.title])).toEqual([['hello', 'Greeting']]);
    writeFileSync(join(tmp.dir, 'en', 'hello.md'), 'Hello {name}, #{ticket}');
    await lib.reload();
    expect(renderMacro(lib.get('hello', 'en')!, { name: 'A', ticket: 7, eta: '', agent: '' })).toBe('Hello A, #7');
    lib.close();
  });
});

describe('ETA in words', () => {
  it('reads naturally in both languages', () => {
    expect(formatEta(600, 'en')).toBe('10 minutes');
    expect(formatEta(60, 'ru')).toBe('1 минуту');
    expect(formatEta(21 * 60, 'ru')).toBe('21 минуту');
    expect(formatEta(3 * 3600, 'ru')).toBe('3 часа');
    expect(formatEta(3 * 86400, 'en')).toBe('3 days');
  });
});
