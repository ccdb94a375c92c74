/**
 * Service features (owned by the features engineer; see bot/EXTENSION.md).
 * The desk installs `featuresComposer` before its own handlers and runs
 * `featureHooks` at the points described there. Stub until the features land.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { emptyHooks, type FeatureHooks } from '../hooks.js';

export const featuresComposer = new Composer<BotContext>();
export const featureHooks: FeatureHooks = emptyHooks();
