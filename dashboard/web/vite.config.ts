/** Build of the analytics web app: `npm run build:web` → dashboard/web/dist, served by the API plugin. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npx vite --config dashboard/web/vite.config.ts` during development: API from a running `npm run dashboard`
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
