/**
 * Names of queue and category keys: the configured labels from /api/v1/dimensions,
 * loaded once; keys the configuration no longer lists (a renamed category) are
 * humanised so they still read as names. The selects offer configured and seen keys.
 */
import { humanise } from '../../api/dimensions.js';
import type { Dimensions } from './api.js';

export type Dimension = 'queue' | 'category';

const NONE: Record<Dimension, string> = { queue: 'none', category: 'uncategorised' };

export class Labels {
  private readonly names: Record<Dimension, Map<string, string>> = { queue: new Map(), category: new Map() };
  private readonly seen: Record<Dimension, Set<string>> = { queue: new Set(), category: new Set() };
  loaded = false;

  configure(d: Dimensions): void {
    for (const c of d.categories) this.names.category.set(c.key, c.label);
    for (const q of d.queues) this.names.queue.set(q.key, q.label);
    this.loaded = true;
  }

  /** Keys found in the data, so the selects offer them even when not configured. */
  see(dim: Dimension, keys: Iterable<string>): void {
    for (const k of keys) if (k) this.seen[dim].add(k);
  }

  name(dim: Dimension, key: string): string {
    return key ? (this.names[dim].get(key) ?? humanise(key)) : NONE[dim];
  }

  readonly queue = (key: string): string => this.name('queue', key);
  readonly category = (key: string): string => this.name('category', key);

  /** [key, name] of every configured or seen key (plus `current`), by name. */
  options(dim: Dimension, current: string): [string, string][] {
    const keys = new Set([...this.names[dim].keys(), ...this.seen[dim], ...(current ? [current] : [])]);
    return [...keys].map((k): [string, string] => [k, this.name(dim, k)]).sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0]));
  }
}
