/**
 * The playground in the browser, served by the sandbox itself (same origin as
 * the control API the page drives):
 *   GET /sandbox/                      the page (503 naming `npm run build:playground` until built)
 *   GET /sandbox                       → 301 /sandbox/
 *   GET /sandbox/playground/assets/…   its scripts and styles (Vite's fingerprinted files)
 *   GET /sandbox/playground/api/people[?customer=<id>]  the customers and agents to play (see people.ts)
 *   GET /sandbox/playground/           → 302 /sandbox/
 * dist is read from disk per request (core/web-app.ts), so a build made while
 * the sandbox runs is served at once.
 */
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { webAppPlugin } from '../../core/web-app.js';
import type { World } from '../world.js';
import { playgroundPeople } from './people.js';

export const PLAYGROUND_DIST = fileURLToPath(new URL('./dist', import.meta.url));
export const PLAYGROUND_PATH = '/sandbox/';
/** Must match `base` in vite.config.ts. */
export const PLAYGROUND_FILES_PATH = '/sandbox/playground/';

export interface PlaygroundOptions {
  /** The built app (default sandbox/playground/dist). */
  root?: string;
}

export function playgroundRoutes(world: World, opts: PlaygroundOptions = {}) {
  return async function playground(app: FastifyInstance): Promise<void> {
    await app.register(webAppPlugin, {
      root: opts.root ?? PLAYGROUND_DIST,
      mountPath: PLAYGROUND_PATH,
      filesPath: PLAYGROUND_FILES_PATH,
      title: 'The sandbox playground',
      buildCommand: 'npm run build:playground',
    });
    // Someone guessing the page's address from its assets' lands on the page.
    app.get(PLAYGROUND_FILES_PATH, async (_req, reply) => reply.redirect(PLAYGROUND_PATH, 302));
    app.get<{ Querystring: { customer?: number } }>(
      `${PLAYGROUND_FILES_PATH}api/people`,
      { schema: { querystring: { type: 'object', additionalProperties: false, properties: { customer: { type: 'integer', minimum: 1 } } } } },
      async (req, reply) =>
        reply.header('cache-control', 'no-store').send(playgroundPeople(world, req.query.customer !== undefined ? { customerId: req.query.customer } : {})),
    );
  };
}
