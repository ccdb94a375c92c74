import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { parseArticle } from '../features/kb/article.js';
import { KnowledgeBase } from '../features/kb/knowledge-base.js';
import { MacroLibrary } from '../features/macros/library.js';
import { parseFrontMatter } from './front-matter.js';

const g = globalThis as { pwned?: unknown };
const JS_FRONT = [
  '---js\n(() => { globalThis.pwned = 1 })()\n---\n# Hacked\n\nbody',
  '---javascript\n(() => { globalThis.pwned = 1 })()\n---\n# Hacked\n\nbody',
];

describe('front matter never runs JavaScript', () => {
  const tmp = tmpDataDir('front-matter-');
  afterEach(() => {
    delete g.pwned;
  });
  afterAll(() => tmp.cleanup());

  it('parseFrontMatter refuses ---js / ---javascript / other languages and keeps YAML, JSON and plain text', () => {
    for (const src of [...JS_FRONT, '---JS\n(() => { globalThis.pwned = 1 })()\n---\nx', '---coffee\npwned: 1\n---\nx'])
      expect(() => parseFrontMatter(src, 'x.md')).toThrow(/not allowed/);
    expect(g.pwned).toBeUndefined();
    expect(parseFrontMatter('---\ntitle: T\n---\nbody', 'a.md')).toEqual({ data: { title: 'T' }, content: 'body' });
    expect(parseFrontMatter('---yaml\ntitle: T\n---\nbody', 'a.md').data).toEqual({ title: 'T' });
    expect(parseFrontMatter('---json\n{"title": "T"}\n---\nbody', 'a.md').data).toEqual({ title: 'T' });
    expect(parseFrontMatter('# Just a title\n\nbody', 'a.md')).toEqual({ data: {}, content: '# Just a title\n\nbody' });
    expect(parseFrontMatter('----\nnot front matter', 'a.md').data).toEqual({});
  });

  it('a KB article with ---js front matter runs nothing and is rejected', async () => {
    for (const src of JS_FRONT) expect(() => parseArticle('hacked', src, 'hacked.md', 'en')).toThrow(/not allowed/);
    expect(g.pwned).toBeUndefined();
    const dir = join(tmp.dir, 'kb');
    mkdirSync(join(dir, 'en'), { recursive: true });
    writeFileSync(join(dir, 'en', 'hacked.md'), JS_FRONT[0]!);
    writeFileSync(join(dir, 'en', 'fine.md'), '---\nkeywords: [a, b]\n---\n# Fine\n\nok');
    const kb = await KnowledgeBase.open({ dir, watch: false });
    try {
      expect(g.pwned).toBeUndefined();
      expect(kb.current.articles.map((a) => a.id)).toEqual(['fine']);
    } finally {
      kb.close();
    }
  });

  it('a macro with ---js front matter runs nothing and is skipped', async () => {
    const dir = join(tmp.dir, 'macros');
    mkdirSync(join(dir, 'en'), { recursive: true });
    writeFileSync(join(dir, 'en', 'hacked.md'), JS_FRONT[1]!);
    writeFileSync(join(dir, 'en', 'hello.md'), '---\ntitle: Greeting\n---\nHi {name}');
    const lib = await MacroLibrary.open(dir, { watch: false });
    try {
      expect(g.pwned).toBeUndefined();
      expect(lib.list('en').map((m) => m.name)).toEqual(['hello']);
    } finally {
      lib.close();
    }
  });
});
