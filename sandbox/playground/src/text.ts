/**
 * Message text as Telegram clients show it: plain text plus entities (the
 * sandbox has already turned the bot's parse_mode HTML/Markdown into entities,
 * exactly as Telegram does). Everything is built with DOM nodes and text nodes
 * — never innerHTML — so no text, however crafted, becomes markup. Only the
 * formatting Telegram's HTML allows is rendered (b, i, u, s, code, pre, a[href],
 * blockquote, tg-spoiler); links only with http(s)/mailto targets.
 */

export interface Entity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

const SAFE_LINK = /^(https?:|mailto:)/i;

/** An href for a link target, or undefined when the scheme is not one a browser page should follow (javascript:, data:, tg:…). */
export function safeHref(target: string): string | undefined {
  const t = target.trim();
  if (SAFE_LINK.test(t)) return t;
  // Telegram links bare domains ("example.com/x") as http.
  if (/^[a-z0-9.-]+\.[a-z]{2,}(?:[/?#]|$)/i.test(t)) return `http://${t}`;
  return undefined;
}

function link(href: string | undefined): HTMLElement {
  if (!href) {
    const span = document.createElement('span');
    span.className = 'link';
    return span;
  }
  const a = document.createElement('a');
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

function spoiler(): HTMLElement {
  const span = document.createElement('span');
  span.className = 'spoiler';
  span.tabIndex = 0;
  span.setAttribute('role', 'button');
  span.setAttribute('aria-label', 'Spoiler, press to reveal');
  const reveal = () => {
    span.classList.add('revealed');
    span.removeAttribute('role');
    span.removeAttribute('aria-label');
    span.removeAttribute('tabindex');
  };
  span.addEventListener('click', reveal);
  span.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && reveal());
  return span;
}

/** The element an entity renders as; `slice` is the text it covers. */
function elementFor(e: Entity, slice: string): HTMLElement {
  switch (e.type) {
    case 'bold':
      return document.createElement('b');
    case 'italic':
      return document.createElement('i');
    case 'underline':
      return document.createElement('u');
    case 'strikethrough':
      return document.createElement('s');
    case 'code':
      return document.createElement('code');
    case 'pre': {
      const pre = document.createElement('pre');
      if (e.language) pre.dataset.language = e.language;
      return pre;
    }
    case 'blockquote':
    case 'expandable_blockquote':
      return document.createElement('blockquote');
    case 'spoiler':
      return spoiler();
    case 'text_link':
      return link(e.url ? safeHref(e.url) : undefined);
    case 'url':
      return link(safeHref(slice));
    case 'email':
      return link(`mailto:${slice}`);
    case 'mention':
      return link(`https://t.me/${slice.slice(1)}`);
    case 'bot_command':
    case 'hashtag':
    case 'cashtag':
    case 'phone_number':
    case 'text_mention': {
      const span = document.createElement('span');
      span.className = e.type === 'bot_command' ? 'command' : 'link';
      return span;
    }
    default: {
      // custom_emoji and whatever Telegram adds later: the text, unformatted.
      return document.createElement('span');
    }
  }
}

/**
 * Appends `text` with its entities to `parent`. Entities nest (Telegram's are
 * properly nested; an overlapping one is clipped to its parent), offsets are
 * UTF-16 code units like JavaScript's string indices.
 */
export function appendFormatted(parent: Node, text: string, entities: readonly Entity[] = []): void {
  const sorted = entities
    .filter((e) => e.length > 0 && e.offset >= 0 && e.offset < text.length)
    .slice()
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  const build = (container: Node, from: number, to: number, list: Entity[]) => {
    let pos = from;
    let i = 0;
    while (i < list.length) {
      const e = list[i]!;
      const start = Math.max(e.offset, pos);
      const end = Math.min(e.offset + e.length, to);
      let j = i + 1;
      const children: Entity[] = [];
      while (j < list.length && list[j]!.offset < end) children.push(list[j++]!);
      i = j;
      if (start >= end) continue;
      if (start > pos) container.appendChild(document.createTextNode(text.slice(pos, start)));
      const el = elementFor(e, text.slice(e.offset, e.offset + e.length));
      build(el, start, end, children);
      container.appendChild(el);
      pos = end;
    }
    if (pos < to) container.appendChild(document.createTextNode(text.slice(pos, to)));
  };
  build(parent, 0, text.length, sorted);
}
