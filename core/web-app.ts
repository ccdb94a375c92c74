/**
 * Serves a Vite-built single-page app (its `dist` directory) under a prefix.
 *
 * Files are read from disk on every request (@fastify/static with a wildcard
 * route), and whether the app is built is decided per request too, so a build
 * that finishes while the server runs is served at once — no restart. Until
 * then the app's index answers 503 with the command that builds it, as a page
 * that reloads itself (a fresh `npm start` builds the apps just before it
 * listens, but `npm run dashboard` on a fresh checkout may not have).
 *
 * Every web app of the product (dashboard, sandbox playground) is served by this one plugin.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

export interface WebAppOptions {
  /** The app's build output (the directory holding index.html). */
  root: string;
  /** URL path the app lives under, ending in '/': the index is served at exactly this path. (Not
   * `prefix`: fastify would take that as the plugin's route prefix.) */
  mountPath: string;
  /** URL path the built files are served under, ending in '/' (default: mountPath). The sandbox
   * playground lives at /sandbox/ but its files need a path of their own: the control API's
   * catch-all already owns every other route under /sandbox/. */
  filesPath?: string;
  /** What the 503 page names: "the analytics dashboard". */
  title: string;
  /** The command that builds it: "npm run build:web". */
  buildCommand: string;
}

const NOT_BUILT_RETRY_SECONDS = 3;

function notBuiltPage(o: WebAppOptions): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${NOT_BUILT_RETRY_SECONDS}">
<title>Not built yet</title></head><body style="font:16px system-ui;margin:3rem;max-width:40rem">
<h1>${o.title} is not built yet</h1><p>Build it with <code>${o.buildCommand}</code>; this page reloads every
${NOT_BUILT_RETRY_SECONDS} s and shows the app as soon as the build is there — no restart needed.</p></body></html>`;
}

/** Vite fingerprints asset names, so they may be cached for good; the index must be revalidated. */
function cacheHeaders(reply: FastifyReply, path: string): void {
  // `path` is the file sent: a precompressed `index.html.br` is still the index.
  reply.header('cache-control', path.replace(/\.(br|gz)$/, '').endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
}

export const webAppPlugin: FastifyPluginAsync<WebAppOptions> = async (app, o) => {
  const index = join(o.root, 'index.html');
  const serveIndex = (reply: FastifyReply) =>
    existsSync(index)
      ? reply.header('cache-control', 'no-cache').sendFile('index.html', o.root)
      : reply.code(503).header('retry-after', String(NOT_BUILT_RETRY_SECONDS)).type('text/html; charset=utf-8').send(notBuiltPage(o));

  await app.register(fastifyStatic, {
    root: o.root,
    prefix: o.filesPath ?? o.mountPath,
    index: false,
    wildcard: true,
    cacheControl: false,
    setHeaders: cacheHeaders,
    // `<file>.br` / `<file>.gz` beside a file, when the build wrote them (the Mini App's does), go to clients
    // that accept them; otherwise the file as it is.
    preCompressed: true,
    // The directory may not exist yet: it appears with the first build.
    suppressWarning: true,
  });
  app.get(o.mountPath, { schema: { hide: true } }, async (_req, reply) => serveIndex(reply));
  if (o.mountPath !== '/') {
    const bare = o.mountPath.replace(/\/$/, '');
    app.get(bare, { schema: { hide: true } }, async (_req, reply) => reply.redirect(o.mountPath, 301));
  }
};
