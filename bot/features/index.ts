/**
 * Service features (bot/EXTENSION.md §2): the desk imports `featuresComposer`
 * and `featureHooks`. Configuration is read on import (the desk's process has
 * its environment by then); files and the scheduler start with the desk.
 * Tests build their own set with `createFeatures(config, { clock })`.
 */
import { createFeatures } from './features.js';

const features = createFeatures();

export const featuresComposer = features.composer;
export const featureHooks = features.hooks;
/** The default features' runtime: the knowledge base the Mini App API searches (bot/miniapp/). */
export const featureRuntime = features.runtime;
export { createFeatures };
export type { Features } from './features.js';
