/**
 * Build of the sandbox playground: `npm run build:playground` → sandbox/playground/dist,
 * served by the sandbox itself (sandbox/playground/plugin.ts): the page at /sandbox/,
 * its assets under /sandbox/playground/ — an absolute base, because the page's own
 * URL (/sandbox/) is not the assets' directory. The sandbox reads dist per request,
 * so `npm run build:playground -- --watch` beside `npm run sandbox` is the dev loop.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/sandbox/playground/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
});
