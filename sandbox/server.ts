/**
 * Starts the sandbox in-process: one fastify instance serving the Bot API at
 * `/bot<token>/<method>` and the control API at `/sandbox/*`.
 */
import { Ajv } from 'ajv';
import Fastify, { type FastifyInstance } from 'fastify';
import { logger } from '../core/log.js';
import { botApiRoutes } from './bot-api-plugin.js';
import { controlRoutes } from './control-plugin.js';
import { SANDBOX_TOKEN } from './identities.js';
import { playgroundRoutes } from './playground/plugin.js';
import { WorldStore, type PersistLimits } from './persistence.js';
import { World, type WorldOptions } from './world.js';

export interface SandboxOptions extends WorldOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /**
   * Keeps the world in `<dataDir>/sandbox/state.json` across restarts (chats,
   * messages, topics, ids that continue); without it the world lives in memory only.
   */
  dataDir?: string;
  /** What the saved world keeps (default DEFAULT_PERSIST_LIMITS). */
  persistLimits?: Partial<PersistLimits>;
  /** At most one save per this many ms while the world changes (default 2000). */
  saveDelayMs?: number;
}

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:8081 — also grammY's `client.apiRoot`. */
  url: string;
  apiRoot: string;
  token: string;
  port: number;
  /** The in-memory world, for in-process tests and benchmarks that need more than the control API. */
  world: World;
  close(): Promise<void>;
}

/** Telegram accepts uploads up to 50 MB; allow some headroom for multipart framing. */
const BODY_LIMIT = 60 * 1024 * 1024;

export function buildSandboxApp(world: World, baseUrl: () => string): FastifyInstance {
  const log = logger('sandbox');
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    // Long polls stay open up to 50 s; keep-alive must outlive them.
    keepAliveTimeout: 65_000,
    requestTimeout: 0,
  });
  // JSON bodies are validated strictly (no coercion, unknown fields rejected rather than
  // silently dropped); path and query strings are coerced to the declared types.
  const strict = new Ajv({ coerceTypes: false, removeAdditional: false, useDefaults: true, allErrors: false });
  const coercing = new Ajv({ coerceTypes: 'array', removeAdditional: false, useDefaults: true, allErrors: false });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
  app.register(controlRoutes(world, baseUrl), { prefix: '/sandbox' });
  app.register(playgroundRoutes(world));
  app.register(botApiRoutes(world, log));
  return app;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const world = new World(opts);
  const store = opts.dataDir
    ? new WorldStore(world, opts.dataDir, { limits: opts.persistLimits, saveDelayMs: opts.saveDelayMs, log: logger('sandbox') })
    : undefined;
  let url = '';
  const app = buildSandboxApp(world, () => url);
  store?.watch(app);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    apiRoot: url,
    token: SANDBOX_TOKEN,
    port,
    world,
    async close() {
      world.webhook.stop();
      world.updates.releaseWaiter();
      await app.close();
      await store?.close();
    },
  };
}
