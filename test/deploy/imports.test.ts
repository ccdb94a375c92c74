/**
 * No import cycles among the TypeScript sources (issue 13). dpdm resolves every
 * import of the files tsconfig.json includes, type-only imports too: a cycle of
 * types is still a knot in who may import whom. `npm run cycles` prints the same.
 *
 * The failure names every knot (a strongly connected group of files, so a file
 * is listed even when dpdm's shortest cycles do not pass through it) and every
 * cycle dpdm walked.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCircular, parseDependencyTree, type DependencyTree } from 'dpdm';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const EXCLUDED = /(^|[\\/])(node_modules|dist|data|test-artifacts)[\\/]/;

/** The entry globs: what tsconfig.json type-checks. */
function sourceGlobs(): string[] {
  const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { include: string[] };
  return tsconfig.include.map((p) => (p.endsWith('.ts') ? p : `${p}/**/*.ts`));
}

/** Tarjan's strongly connected components with more than one file (or a file importing itself), each sorted. */
function knots(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(group.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/**
 * Runs dpdm over `entries` (globs relative to `cwd`, resolved with its tsconfig.json) and returns the number
 * of files it walked and the report a person reads when the check fails: empty when there is no cycle.
 */
async function cycleCheck(entries: string[], cwd: string): Promise<{ files: string[]; report: string }> {
  const tree: DependencyTree = await parseDependencyTree(entries, {
    cwd,
    context: cwd,
    tsconfig: join(cwd, 'tsconfig.json'),
    exclude: EXCLUDED,
    transform: false, // keep `import type` edges
    skipDynamicImports: false,
  });
  const graph = new Map<string, string[]>();
  for (const [file, deps] of Object.entries(tree)) {
    if (deps !== null)
      graph.set(
        file,
        deps.flatMap((d) => (d.id !== null && tree[d.id] ? [d.id] : [])),
      );
  }
  const groups = knots(graph);
  const circulars = parseCircular(tree);
  const report =
    groups.length === 0 && circulars.length === 0
      ? ''
      : [
          `${groups.length} import knot(s), files that import one another round a cycle:`,
          ...groups.map((g, i) => `  ${i + 1}) ${g.length} files: ${g.join(', ')}`),
          `${circulars.length} cycle(s) walked by dpdm:`,
          ...circulars.map((c, i) => `  ${i + 1}) ${[...c, c[0]].join(' -> ')}`),
        ].join('\n');
  return { files: [...graph.keys()], report };
}

describe('import graph', () => {
  it('has no import cycle among the TypeScript sources', { timeout: 120_000 }, async () => {
    const { files, report } = await cycleCheck(sourceGlobs(), ROOT);
    // The walk reached the sources (a wrong glob would pass vacuously) and left the packages out.
    expect(files.length).toBeGreaterThan(200);
    expect(files).toContain('bot/context.ts');
    expect(files.filter((f) => EXCLUDED.test(f))).toEqual([]);
    if (report !== '') expect.fail(`import cycles:\n${report}`);
  });

  it('names every file of a cycle, type-only imports included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
    try {
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = () => b;\n");
      writeFileSync(join(dir, 'b.ts'), "import type { C } from './c.js';\nexport const b: C = 1;\n");
      writeFileSync(join(dir, 'c.ts'), "import { a } from './a.js';\nexport type C = number;\nexport const c = a;\n");
      writeFileSync(join(dir, 'd.ts'), "import { a } from './a.js';\nexport const d = a;\n");
      const { report } = await cycleCheck(['*.ts'], dir);
      expect(report).toContain('1) 3 files: a.ts, b.ts, c.ts');
      expect(report).toMatch(/a\.ts -> b\.ts -> c\.ts -> a\.ts/);
      expect(report).not.toContain('d.ts');
      // Without the back edge the same files pass.
      writeFileSync(join(dir, 'c.ts'), 'export type C = number;\n');
      expect((await cycleCheck(['*.ts'], dir)).report).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
