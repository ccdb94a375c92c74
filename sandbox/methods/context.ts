/** What every Bot API method handler receives. */
import type { Params } from '../params.js';
import type { World } from '../world.js';

export interface MethodContext {
  world: World;
  params: Params;
  /** Registers a callback run if the HTTP client goes away before the answer (long polling). */
  onCancel(cancel: () => void): void;
}

export type MethodHandler = (ctx: MethodContext) => unknown;
export type MethodTable = Record<string, MethodHandler>;
