/**
 * What a customer's first visit downloads: the built index.html's entry script, its stylesheets and the
 * module preloads it names (not chunks loaded later), raw, gzip (level 9) and brotli (quality 11) — the build
 * writes both beside each file and the server sends them to clients that accept them. Read by bench/miniapp-bundle and the bundle-size test (budget 60 KB gzip).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const FIRST_LOAD_BUDGET_BYTES = 60 * 1024;

export interface FirstLoadFile {
  path: string;
  kind: 'html' | 'js' | 'css';
  bytes: number;
  gzip: number;
  brotli: number;
}

export interface FirstLoad {
  files: FirstLoadFile[];
  /** JS + CSS, what the budget counts. */
  jsCssBytes: number;
  jsCssGzip: number;
  jsCssBrotli: number;
  /** The HTML page too. */
  totalGzip: number;
}

export function firstLoad(distDir: string): FirstLoad {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const files: FirstLoadFile[] = [];
  const add = (path: string, kind: FirstLoadFile['kind'], body: Buffer) =>
    files.push({
      path,
      kind,
      bytes: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
      brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    });
  add('index.html', 'html', Buffer.from(html));
  const refs = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) refs.add(`js:${m[1]}`);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) refs.add(`js:${m[1]}`);
  for (const m of html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)) refs.add(`css:${m[1]}`);
  for (const ref of refs) {
    const [kind, url] = [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)];
    if (/^https?:/.test(url)) throw new Error(`index.html loads ${url} from elsewhere`);
    add(url.replace(/^\.\//, ''), kind as 'js' | 'css', readFileSync(join(distDir, url.replace(/^\.?\//, ''))));
  }
  const jsCss = files.filter((f) => f.kind !== 'html');
  return {
    files,
    jsCssBytes: jsCss.reduce((s, f) => s + f.bytes, 0),
    jsCssGzip: jsCss.reduce((s, f) => s + f.gzip, 0),
    jsCssBrotli: jsCss.reduce((s, f) => s + f.brotli, 0),
    totalGzip: files.reduce((s, f) => s + f.gzip, 0),
  };
}
