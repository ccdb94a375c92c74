/**
 * Build of the customer Mini App: `npm run build:web` → bot/miniapp/web/dist, served by the desk's HTTP
 * server at /app/ (core/web-app.ts). Preact with the automatic JSX runtime; one entry chunk (JS + CSS),
 * no source maps shipped, and each file also brotli- and gzip-compressed: the first load is what
 * bench/miniapp-bundle measures (budget 60 KB gzip).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Writes `<file>.br` and `<file>.gz` beside each built page, script and stylesheet: core/web-app.ts serves them
 * (preCompressed) to a client that accepts them, so the first load travels compressed without a proxy.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'miniapp-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir.startsWith('/') ? c.build.outDir : join(c.root, c.build.outDir);
    },
    writeBundle(_o, bundle) {
      for (const name of [...Object.keys(bundle), 'index.html']) {
        if (!/\.(js|css|html|svg)$/.test(name)) continue;
        const path = join(outDir, name);
        const body = readFileSync(path);
        writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
        writeFileSync(`${path}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

export default defineConfig({
  root,
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Telegram's webviews are recent Chromium/WebKit; one CSS file, no module preload polyfill.
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
  },
  server: {
    // `npx vite --config bot/miniapp/web/vite.config.ts` during development: the page at /, its API (api/ beside
    // it) from a running `npm start`'s /app/api.
    proxy: { '/api': { target: 'http://127.0.0.1:3000', rewrite: (path) => `/app${path}` } },
  },
});
