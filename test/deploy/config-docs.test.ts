/**
 * Every documented variable is read by the code and every variable the code
 * reads is documented: the code reads the environment only through
 * core/env.ts declarations, and README.md / .env.example are generated from them.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, declaresConfig, envExample, isEntryPoint, loadAllDeclarations, markdownTable, readmeWithTable, sourceFiles } from '../../scripts/config-docs.js';

describe('configuration documentation', () => {
  it('no product code reads process.env outside core/env.ts', () => {
    const offenders = sourceFiles()
      .filter((f) => !f.endsWith(join('core', 'env.ts')))
      .filter((f) => /process\.env\b/.test(readFileSync(f, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')))
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('entry points declare no variables of their own (they could not be imported for the docs)', () => {
    const offenders = sourceFiles()
      .filter((f) => {
        const src = readFileSync(f, 'utf8');
        return isEntryPoint(src) && declaresConfig(src);
      })
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('README.md and .env.example document exactly the declared variables', async () => {
    const vars = await loadAllDeclarations();
    expect(vars.length).toBeGreaterThan(20);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme, 'README config table is stale: npm run config:docs -- --write').toBe(readmeWithTable(readme, markdownTable(vars)));
    expect(readFileSync(join(ROOT, '.env.example'), 'utf8')).toBe(envExample(vars));
    for (const v of vars) expect(v.doc.length, `${v.name} needs a meaning`).toBeGreaterThan(10);
  });
});
