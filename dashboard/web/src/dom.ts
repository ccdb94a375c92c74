/** Small DOM helpers of the dashboard's pages that build their tables by hand (experiments, weekly report). */

/** The element with this id (the page's HTML declares it). */
export const $ = (id: string): HTMLElement => document.getElementById(id)!;

/** A new element with its text (set as text, never parsed as HTML) and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string | null, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}
