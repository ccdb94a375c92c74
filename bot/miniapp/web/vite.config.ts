/**
 * Build of the customer Mini App: `npm run build:web` → bot/miniapp/web/dist, served by the desk's HTTP
 * server at /app/ (core/web-app.ts). Preact with the automatic JSX runtime; one entry chunk (JS + CSS),
 * no source maps shipped: the first load is what bench/miniapp-bundle.ts measures (budget 60 KB gzip).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Telegram's webviews are recent Chromium/WebKit; one CSS file, no module preload polyfill.
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
  },
  server: {
    // `npx vite --config bot/miniapp/web/vite.config.ts` during development: API from a running `npm start`.
    proxy: { '/app/api': 'http://127.0.0.1:3000' },
  },
});
