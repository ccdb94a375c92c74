/** What every route module of the Mini App API is given (bot/miniapp/api/plugin.ts builds it once). */
import type { Desk } from '../../context.js';
import type { FeatureRuntime } from '../../runtime/runtime.js';

export interface AppApiContext {
  desk: Desk;
  /** The features' runtime: the knowledge base (the same snapshot the bot answers from). */
  runtime: FeatureRuntime;
  now: () => Date;
}

/** A refusal with its HTTP status and reason (the plugin's error handler answers `{error}`). */
export class AppError extends Error {
  constructor(
    readonly statusCode: 400 | 404 | 409 | 413 | 429 | 503,
    message: string,
  ) {
    super(message);
  }
}
