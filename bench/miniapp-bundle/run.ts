/**
 * The Mini App's first load: builds bot/miniapp/web into a scratch directory and reports what a customer's
 * first visit downloads (entry JS, CSS, the page), raw and gzip. Budget: JS + CSS ≤ 60 KB gzip.
 *
 *   npx tsx bench/miniapp-bundle/run.ts
 *
 * Results go to BENCHMARKS.md `## Mini App`.
 */
import { join } from 'node:path';
import { build } from 'vite';
import { parseCli, runMain } from '../../core/cli.js';
import { FIRST_LOAD_BUDGET_BYTES, firstLoad } from '../../bot/miniapp/web/bundle-size.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

runMain(async () => {
  parseCli({
    usage: 'npx tsx bench/miniapp-bundle/run.ts',
    description: 'Builds the Mini App and reports its first load (JS + CSS, gzip) against the 60 KB budget.',
  });
  const out = tmpDataDir('miniapp-bundle-');
  try {
    const started = performance.now();
    await build({ configFile: join(process.cwd(), 'bot/miniapp/web/vite.config.ts'), logLevel: 'warn', build: { outDir: out.dir, emptyOutDir: true } });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const load = firstLoad(out.dir);
    console.log(`Mini App built in ${seconds} s; first load:`);
    for (const f of load.files)
      console.log(
        `  ${f.kind.padEnd(4)} ${f.path.padEnd(32)} ${kb(f.bytes).padStart(9)} raw  ${kb(f.gzip).padStart(8)} gzip  ${kb(f.brotli).padStart(8)} brotli`,
      );
    console.log(
      `  JS + CSS: ${kb(load.jsCssBytes)} raw, ${kb(load.jsCssGzip)} gzip, ${kb(load.jsCssBrotli)} brotli (budget ${kb(FIRST_LOAD_BUDGET_BYTES)} gzip); with the page ${kb(load.totalGzip)} gzip`,
    );
    if (load.jsCssGzip > FIRST_LOAD_BUDGET_BYTES) throw new Error('over the 60 KB budget');
  } finally {
    out.cleanup();
  }
});
