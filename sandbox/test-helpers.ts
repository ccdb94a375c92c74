/** Shared setup for the sandbox's own tests: one sandbox per file, a grammY Bot and the control client. */
import { Bot, GrammyError } from 'grammy';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { SandboxClient } from './client.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from './server.js';

export interface SandboxFixture {
  sandbox: RunningSandbox;
  bot: Bot;
  client: SandboxClient;
  support: number;
  escalation: number;
}

/** Starts a sandbox for the test file and resets it before each test. */
export function useSandbox(opts: SandboxOptions = {}): SandboxFixture {
  const fx = {} as SandboxFixture;
  beforeAll(async () => {
    fx.sandbox = await startSandbox({ port: 0, ...opts });
    fx.client = new SandboxClient(fx.sandbox.url);
    fx.support = fx.sandbox.world.chatIds.support;
    fx.escalation = fx.sandbox.world.chatIds.escalation;
  });
  beforeEach(async () => {
    await fx.client.reset();
    fx.bot = new Bot(fx.sandbox.token, { client: { apiRoot: fx.sandbox.apiRoot } });
  });
  afterAll(async () => {
    await fx.sandbox?.close();
  });
  return fx;
}

/** The GrammyError a promise rejects with (fails the test if it resolves). */
export async function apiError(p: Promise<unknown>): Promise<GrammyError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GrammyError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** A raw Bot API call, for transports and paths grammY does not produce. */
export async function rawCall(base: string, path: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
