/** Small DOM helpers: element building without innerHTML, keyed list updates, time and size formatting. */

type Attrs = Record<string, string | number | boolean | undefined>;

/** `h('div', { class: 'x' }, 'text', child)`: strings become text nodes, never markup. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Node | string | null | undefined | false>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export interface KeyedItem {
  key: string;
  /** Changes whenever the rendering would change; equal signatures keep the element (and its focus, selection, revealed spoilers). */
  sig: string;
  render(): HTMLElement;
}

/** Makes `list`'s children exactly `items`, in order, re-rendering only items whose signature changed. */
export function syncList(list: HTMLElement, items: readonly KeyedItem[]): void {
  const wanted = new Set(items.map((i) => i.key));
  const existing = new Map<string, HTMLElement>();
  for (const el of [...list.children] as HTMLElement[]) {
    const key = el.dataset.key;
    if (key === undefined || !wanted.has(key) || existing.has(key)) el.remove();
    else existing.set(key, el);
  }
  let cursor = list.firstElementChild;
  for (const item of items) {
    let el = existing.get(item.key);
    if (!el || el.dataset.sig !== item.sig) {
      const fresh = item.render();
      fresh.dataset.key = item.key;
      fresh.dataset.sig = item.sig;
      if (el) {
        if (cursor === el) cursor = fresh;
        el.replaceWith(fresh);
      }
      el = fresh;
    }
    if (el === cursor) cursor = cursor.nextElementSibling;
    else list.insertBefore(el, cursor);
  }
}

/** Keeps a scrolled log pinned to the bottom while new messages arrive, unless the reader scrolled up. */
export function keepScrolled(scroller: HTMLElement, update: () => void, force = false): void {
  const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
  update();
  if (atBottom || force) scroller.scrollTop = scroller.scrollHeight;
}

export const hhmm = (unix: number) => new Date(unix * 1000).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
export const fullDate = (unix: number) => new Date(unix * 1000).toLocaleString();
export const dayKey = (unix: number) => new Date(unix * 1000).toDateString();
export function dayLabel(unix: number): string {
  const d = new Date(unix * 1000);
  const today = new Date();
  if (d.toDateString() === today.toDateString()) return 'Today';
  const yesterday = new Date(today.getTime() - 86_400_000);
  if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return d.toLocaleDateString(undefined, { day: 'numeric', month: 'long', ...(d.getFullYear() !== today.getFullYear() ? { year: 'numeric' } : {}) });
}

export function fileSize(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

export const duration = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

/** Telegram's seven peer colours: a person keeps the same colour everywhere. */
const PEER_COLORS = ['#e17076', '#eda86c', '#a695e7', '#7bc862', '#6ec9cb', '#65aadd', '#ee7aae'];
export const peerColor = (id: number) => PEER_COLORS[Math.abs(id) % PEER_COLORS.length]!;

export function initials(name: string): string {
  const words = name
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return (
    words
      .slice(0, 2)
      .map((w) => [...w][0]!.toUpperCase())
      .join('') || '?'
  );
}
