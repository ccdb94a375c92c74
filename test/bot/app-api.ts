/**
 * The Mini App API (the real plugin, no web root) over a feature harness's desk, and calls to it signed with the
 * sandbox's launch data for a customer — what the API tests of features that meet the app share.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { miniAppPlugin } from '../../bot/miniapp/plugin.js';
import type { FeatureHarness } from './feature-harness.js';

export interface AppApi {
  app: FastifyInstance;
  /** A request as `userId` (signed in by their launch data): the status and the JSON answer. */
  call(
    userId: number,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: Record<string, unknown>,
    // biome-ignore lint/suspicious/noExplicitAny: the answers' JSON, read field by field by the assertions
  ): Promise<{ status: number; body: Record<string, any> }>;
  close(): Promise<void>;
}

export async function startAppApi(h: FeatureHarness): Promise<AppApi> {
  const app = Fastify();
  await app.register(miniAppPlugin, { desk: h.desk.services, runtime: h.features.runtime, maxAgeSeconds: 86_400, ratePerMinute: 1000, webRoot: false });
  await app.ready();
  return {
    app,
    async call(userId, method, url, payload) {
      const init = (await h.client.openWebApp(userId, {})).init_data;
      const res = await app.inject({ method, url: `/app/api${url}`, headers: { authorization: `tma ${init}` }, ...(payload !== undefined ? { payload } : {}) });
      return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {} };
    },
    close: () => app.close(),
  };
}
