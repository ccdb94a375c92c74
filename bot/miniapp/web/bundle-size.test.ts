/** The Mini App's first load stays within its budget (JS + CSS ≤ 60 KB gzip) and loads nothing from elsewhere. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../../test/helpers/tmp.js';
import { FIRST_LOAD_BUDGET_BYTES, firstLoad } from './bundle-size.js';

const out = tmpDataDir('miniapp-size-');
afterAll(() => out.cleanup());

describe('Mini App bundle', () => {
  it('first load: one entry script and one stylesheet, JS + CSS within 60 KB gzip, nothing fetched from other hosts', async () => {
    await build({ configFile: join(process.cwd(), 'bot/miniapp/web/vite.config.ts'), logLevel: 'error', build: { outDir: out.dir, emptyOutDir: true } });
    const load = firstLoad(out.dir);
    expect(load.files.map((f) => f.kind).sort()).toEqual(['css', 'html', 'js']);
    expect(load.jsCssGzip).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_BYTES);
    const html = readFileSync(join(out.dir, 'index.html'), 'utf8');
    // Telegram's script is fetched by the code only inside Telegram, never by the page itself.
    expect(html).not.toMatch(/telegram\.org/);
    expect(html).toMatch(/<html lang="en" dir="ltr">/);
    // Precompressed beside each first-load file, for the server to send (core/web-app.ts).
    for (const f of load.files) for (const ext of ['br', 'gz']) expect(existsSync(join(out.dir, `${f.path}.${ext}`)), `${f.path}.${ext}`).toBe(true);
  });
});
