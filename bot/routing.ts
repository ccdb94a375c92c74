/**
 * Categories and queue routing. Pure.
 *
 * The keyboard and each category's queue come from CATEGORIES
 * ("Payment:payments,Account:L1,…"); VIP customers always go to VIP.
 */

export interface Category {
  /** Stable id used in callback data and stored in tickets.category (≤ 64 chars). */
  key: string;
  /** Shown on the button (also the fallback name when no translation exists). */
  label: string;
  queue: string;
}

export const DEFAULT_CATEGORIES = 'Payment:payments,Account:L1,Features:L1,Complaint:L2,Ideas:L1';
export const VIP_QUEUE = 'VIP';

export function parseCategories(text: string, defaultQueue: string): Category[] {
  const out: Category[] = [];
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [label, queue] = part.split(':').map((s) => s.trim());
    if (!label) throw new Error(`empty category in "${text}"`);
    const key = label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '')
      .slice(0, 32);
    if (!key) throw new Error(`category "${label}" needs at least one latin letter or digit`);
    if (out.some((c) => c.key === key)) throw new Error(`category "${label}" is listed twice`);
    if (queue !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(queue)) throw new Error(`category "${label}" has a bad queue name "${queue}"`);
    out.push({ key, label, queue: queue || defaultQueue });
  }
  if (out.length === 0) throw new Error('no categories given');
  return out;
}

export interface RouteInput {
  isVip: boolean;
  category: Category | undefined;
  defaultQueue: string;
}

/** VIP always wins; then the category's queue; then the default queue. */
export function routeQueue(r: RouteInput): { queue: string; reason: 'vip' | 'routing' } {
  if (r.isVip) return { queue: VIP_QUEUE, reason: 'vip' };
  return { queue: r.category?.queue ?? r.defaultQueue, reason: 'routing' };
}
