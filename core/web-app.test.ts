import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tmpDataDir } from '../test/helpers/tmp.js';
import { webAppPlugin } from './web-app.js';

const scratch = tmpDataDir('web-app-');
afterAll(() => scratch.cleanup());
let app: FastifyInstance | undefined;
let apps = 0;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(prefix: string): Promise<{ app: FastifyInstance; root: string }> {
  const root = join(scratch.dir, String(apps++), 'dist'); // not there yet: the first build creates it
  app = Fastify();
  await app.register(webAppPlugin, { root, mountPath: prefix, title: 'The test app', buildCommand: 'npm run build:test' });
  await app.ready();
  return { app, root };
}

function build(root: string, marker: string): void {
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), `<!doctype html><title>${marker}</title><script src="./assets/app-1a2b.js"></script>`);
  writeFileSync(join(root, 'assets', 'app-1a2b.js'), `console.log(${JSON.stringify(marker)})`);
}

describe('webAppPlugin', () => {
  it('answers 503 naming the build command until the app is built, then serves a build made while it runs', async () => {
    const { app, root } = await serve('/');
    const before = await app.inject('/');
    expect(before.statusCode).toBe(503);
    expect(before.headers['content-type']).toMatch(/text\/html/);
    expect(before.body).toContain('npm run build:test');
    expect(before.headers['retry-after']).toBeDefined();

    build(root, 'first build');
    const after = await app.inject('/');
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('first build');
    expect(after.headers['cache-control']).toBe('no-cache');
    const asset = await app.inject('/assets/app-1a2b.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');

    // A rebuild is picked up without a restart too.
    build(root, 'second build');
    expect((await app.inject('/')).body).toContain('second build');
  });

  it('serves under a prefix, redirects the bare prefix and leaves other routes alone', async () => {
    const { app, root } = await serve('/sandbox/');
    build(root, 'playground');
    expect((await app.inject('/sandbox/')).body).toContain('playground');
    const bare = await app.inject('/sandbox');
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/sandbox/');
    expect((await app.inject('/sandbox/assets/app-1a2b.js')).statusCode).toBe(200);
    expect((await app.inject('/assets/app-1a2b.js')).statusCode).toBe(404);
  });

  it('sends a precompressed .br/.gz beside a file to a client that accepts it (the index still revalidated), else the file', async () => {
    const { app, root } = await serve('/app/');
    build(root, 'compressed');
    for (const f of ['index.html', 'assets/app-1a2b.js']) {
      const body = readFileSync(join(root, f));
      writeFileSync(join(root, `${f}.br`), brotliCompressSync(body));
      writeFileSync(join(root, `${f}.gz`), gzipSync(body));
    }
    const index = await app.inject({ url: '/app/', headers: { 'accept-encoding': 'br, gzip' } });
    expect(index.headers['content-encoding']).toBe('br');
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(brotliDecompressSync(index.rawPayload).toString()).toContain('compressed');
    const js = await app.inject({ url: '/app/assets/app-1a2b.js', headers: { 'accept-encoding': 'gzip' } });
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
    const plain = await app.inject({ url: '/app/assets/app-1a2b.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('console.log("compressed")');
  });
});
