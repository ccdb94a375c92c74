/**
 * Names to show for the keys the analytics data carries: categories are stored
 * by key ("payment") and configured with a label ("Payment", CATEGORIES), queues
 * are stored by their configured name. Pure; the web app imports `humanise` too.
 */
import type { Static } from '@sinclair/typebox';
import { VIP_QUEUE, type Category } from '../../bot/routing.js';
import type { DimensionsSchema } from './schemas.js';

export type Dimensions = Static<typeof DimensionsSchema>;

/** A readable name for a key nobody configured a label for: "billing_issue" → "Billing issue", "L3" stays "L3". */
export function humanise(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

/** The configured categories, and every queue the configuration routes to (a category's, the default one, VIP). */
export function configuredDimensions(categories: readonly Category[], defaultQueue: string): Dimensions {
  const queues = [...new Set([...categories.map((c) => c.queue), defaultQueue, VIP_QUEUE])];
  return {
    categories: categories.map(({ key, label, queue }) => ({ key, label, queue })),
    queues: queues.map((key) => ({ key, label: humanise(key) })),
  };
}
