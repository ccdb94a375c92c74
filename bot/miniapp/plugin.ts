/**
 * The customer Mini App on the desk's HTTP server: the web app (bot/miniapp/web, built into
 * bot/miniapp/web/dist, served at GET /app/ by core/web-app.ts — a 503 page saying how to build it until it
 * is built) and its API under /app/api (bot/miniapp/api/). Registered by the desk's routes (bot/service.ts).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { webAppPlugin } from '../../core/web-app.js';
import { miniAppApi, type MiniAppApiOptions } from './api/plugin.js';

export const MINIAPP_WEB_ROOT = join(dirname(fileURLToPath(import.meta.url)), 'web', 'dist');

export interface MiniAppPluginOptions extends MiniAppApiOptions {
  /** The built app (default bot/miniapp/web/dist); false: serve the API only. */
  webRoot?: string | false;
}

export const miniAppPlugin: FastifyPluginAsync<MiniAppPluginOptions> = async (app, o) => {
  const { webRoot = MINIAPP_WEB_ROOT, ...api } = o;
  await app.register(miniAppApi, { ...api, prefix: '/app/api' });
  if (webRoot !== false)
    await app.register(webAppPlugin, { root: webRoot, mountPath: '/app/', title: 'The customer Mini App', buildCommand: 'npm run build:web' });
};
