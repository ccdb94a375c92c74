/**
 * parse_mode support: HTML, MarkdownV2 and legacy Markdown turn into plain text
 * plus entities, and malformed markup fails with Telegram's "can't parse
 * entities" errors — the bug class that otherwise only shows up in production
 * (an unescaped "." in MarkdownV2, an unclosed <b> in HTML).
 * Offsets are UTF-16 code units; error positions are UTF-8 byte offsets, as
 * Telegram reports them.
 */
import type { MessageEntity } from 'grammy/types';
import { badRequest, type BotApiError } from './errors.js';

export interface Formatted {
  text: string;
  entities: MessageEntity[];
}

const parseError = (what: string): BotApiError => badRequest(`can't parse entities: ${what}`);
const byteOffset = (s: string, index: number) => Buffer.byteLength(s.slice(0, index), 'utf8');

export function applyParseMode(text: string, parseMode: string | undefined): Formatted | undefined {
  if (!parseMode) return undefined;
  switch (parseMode.toLowerCase()) {
    case 'html':
      return parseHtml(text);
    case 'markdownv2':
      return parseMarkdownV2(text);
    case 'markdown':
      return parseMarkdownLegacy(text);
    default:
      throw badRequest(`unsupported parse_mode`);
  }
}

// ---- HTML ---------------------------------------------------------------------

const HTML_TAGS: Record<string, MessageEntity['type']> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
  span: 'spoiler',
};

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  tag: string;
  start: number;
  attrs: Record<string, string>;
}

export function parseHtml(input: string): Formatted {
  let out = '';
  const entities: MessageEntity[] = [];
  const stack: OpenTag[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === '&') {
      const m = /^&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/.exec(input.slice(i, i + 12));
      if (m) {
        const name = m[1]!;
        const decoded = name.startsWith('#x')
          ? String.fromCodePoint(parseInt(name.slice(2), 16))
          : name.startsWith('#')
            ? String.fromCodePoint(Number(name.slice(1)))
            : NAMED_ENTITIES[name];
        if (decoded !== undefined) {
          out += decoded;
          i += m[0].length;
          continue;
        }
      }
      out += ch;
      i++;
      continue;
    }
    if (ch !== '<') {
      out += ch;
      i++;
      continue;
    }
    const close = input.indexOf('>', i);
    if (close === -1) throw parseError(`Unclosed start tag at byte offset ${byteOffset(input, i)}`);
    const raw = input.slice(i + 1, close);
    if (raw.startsWith('/')) {
      const name = raw.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open) throw parseError(`Unexpected end tag at byte offset ${byteOffset(input, i)}`);
      if (open.tag !== name) throw parseError(`Unmatched end tag at byte offset ${byteOffset(input, i)}, expected "</${open.tag}>", found "</${name}>"`);
      const entity = htmlEntity(open, out.length, stack);
      if (entity) entities.push(entity);
      i = close + 1;
      continue;
    }
    const m = /^([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*$/.exec(raw);
    const tag = m?.[1]?.toLowerCase() ?? '';
    if (!m || !(tag in HTML_TAGS)) throw parseError(`Unsupported start tag "${tag || raw.split(/\s/)[0]}" at byte offset ${byteOffset(input, i)}`);
    const attrs: Record<string, string> = {};
    for (const a of m[2]!.matchAll(/([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) attrs[a[1]!.toLowerCase()] = a[2] ?? a[3] ?? a[4] ?? '';
    if (tag === 'span' && attrs.class !== 'tg-spoiler') throw parseError(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(input, i)}`);
    stack.push({ tag, start: out.length, attrs });
    i = close + 1;
  }
  const unclosed = stack.pop();
  if (unclosed) throw parseError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return { text: out, entities: normalise(entities) };
}

function htmlEntity(open: OpenTag, end: number, stack: OpenTag[]): MessageEntity | undefined {
  const offset = open.start;
  const length = end - offset;
  if (length === 0) return undefined;
  const type = HTML_TAGS[open.tag]!;
  if (type === 'text_link') {
    const url = open.attrs.href;
    if (!url) return undefined;
    return { type, offset, length, url } as MessageEntity;
  }
  if (type === 'pre') return { type, offset, length } as MessageEntity;
  if (type === 'code') {
    // <pre><code class="language-x"> sets the pre's language instead of a code entity.
    const parent = stack[stack.length - 1];
    const lang = /^language-(.+)$/.exec(open.attrs.class ?? '')?.[1];
    if (parent?.tag === 'pre') {
      if (lang) parent.attrs['data-language'] = lang;
      return undefined;
    }
    return { type, offset, length } as MessageEntity;
  }
  if (type === 'blockquote' && 'expandable' in open.attrs) return { type: 'expandable_blockquote', offset, length } as MessageEntity;
  if (type === 'custom_emoji') return { type, offset, length, custom_emoji_id: open.attrs['emoji-id'] ?? '' } as MessageEntity;
  return { type, offset, length } as MessageEntity;
}

// ---- MarkdownV2 ----------------------------------------------------------------

const RESERVED_V2 = new Set('_*[]()~`>#+-=|{}.!'.split(''));

interface MdOpen {
  marker: string;
  type: MessageEntity['type'];
  start: number;
  at: number;
}

export function parseMarkdownV2(input: string): Formatted {
  let out = '';
  const entities: MessageEntity[] = [];
  const stack: MdOpen[] = [];
  let i = 0;
  let lineStart = true;
  let quoteStart: number | undefined;
  const closeQuote = () => {
    if (quoteStart !== undefined && out.length > quoteStart)
      entities.push({ type: 'blockquote', offset: quoteStart, length: out.length - quoteStart } as MessageEntity);
    quoteStart = undefined;
  };
  while (i < input.length) {
    const ch = input[i]!;
    if (lineStart) {
      lineStart = false;
      if (ch === '>') {
        if (quoteStart === undefined) quoteStart = out.length;
        i++;
        continue;
      }
      closeQuote();
    }
    if (ch === '\n') lineStart = true;
    if (ch === '\\') {
      const next = input[i + 1];
      if (next === undefined) throw parseError(`Character '\\' is reserved and must be escaped with the preceding '\\'`);
      out += next;
      i += 2;
      continue;
    }
    if (ch === '`') {
      const isPre = input.startsWith('```', i);
      const fence = isPre ? '```' : '`';
      const end = findUnescaped(input, fence, i + fence.length);
      if (end === -1) throw parseError(`Can't find end of ${isPre ? 'Pre' : 'Code'} entity at byte offset ${byteOffset(input, i)}`);
      let body = input.slice(i + fence.length, end);
      let language: string | undefined;
      if (isPre) {
        const nl = body.indexOf('\n');
        if (nl !== -1 && /^[\w+#-]+$/.test(body.slice(0, nl))) {
          language = body.slice(0, nl);
          body = body.slice(nl + 1);
        } else if (body.startsWith('\n')) body = body.slice(1);
      }
      body = body.replace(/\\([`\\])/g, '$1');
      const offset = out.length;
      out += body;
      if (body.length)
        entities.push(
          (isPre
            ? { type: 'pre', offset, length: body.length, ...(language ? { language } : {}) }
            : { type: 'code', offset, length: body.length }) as MessageEntity,
        );
      i = end + fence.length;
      continue;
    }
    if (ch === '[' || (ch === '!' && input[i + 1] === '[')) {
      const isEmoji = ch === '!';
      stack.push({ marker: '[', type: isEmoji ? 'custom_emoji' : 'text_link', start: out.length, at: i });
      i += isEmoji ? 2 : 1;
      continue;
    }
    if (ch === ']') {
      const open = stack[stack.length - 1];
      if (open?.marker !== '[') throw parseError(`Character ']' is reserved and must be escaped with the preceding '\\'`);
      if (input[i + 1] !== '(') throw parseError(`Character '[' is reserved and must be escaped with the preceding '\\'`);
      const end = findUnescaped(input, ')', i + 2);
      if (end === -1) throw parseError(`Can't find end of a URL at byte offset ${byteOffset(input, i + 1)}`);
      const url = input.slice(i + 2, end).replace(/\\([)\\])/g, '$1');
      stack.pop();
      const length = out.length - open.start;
      if (length > 0)
        entities.push(
          (open.type === 'custom_emoji'
            ? { type: 'custom_emoji', offset: open.start, length, custom_emoji_id: /id=(\d+)/.exec(url)?.[1] ?? '' }
            : { type: 'text_link', offset: open.start, length, url }) as MessageEntity,
        );
      i = end + 1;
      continue;
    }
    const marker = input.startsWith('__', i) ? '__' : input.startsWith('||', i) ? '||' : ch === '*' || ch === '_' || ch === '~' ? ch : undefined;
    if (marker) {
      const type: MessageEntity['type'] =
        marker === '__' ? 'underline' : marker === '||' ? 'spoiler' : marker === '*' ? 'bold' : marker === '_' ? 'italic' : 'strikethrough';
      const openIdx = findLastIndex(stack, (s) => s.marker === marker);
      if (openIdx !== -1) {
        const open = stack[openIdx]!;
        stack.splice(openIdx, 1);
        if (out.length > open.start) entities.push({ type, offset: open.start, length: out.length - open.start } as MessageEntity);
      } else {
        stack.push({ marker, type, start: out.length, at: i });
      }
      i += marker.length;
      continue;
    }
    if (RESERVED_V2.has(ch)) throw parseError(`Character '${ch}' is reserved and must be escaped with the preceding '\\'`);
    out += ch;
    i++;
  }
  closeQuote();
  const unclosed = stack[0];
  if (unclosed) throw parseError(`Can't find end of ${entityName(unclosed.type)} entity at byte offset ${byteOffset(input, unclosed.at)}`);
  return { text: out, entities: normalise(entities) };
}

function entityName(type: string): string {
  return (
    (
      {
        bold: 'Bold',
        italic: 'Italic',
        underline: 'Underline',
        strikethrough: 'Strikethrough',
        spoiler: 'Spoiler',
        text_link: 'TextUrl',
        custom_emoji: 'CustomEmoji',
      } as Record<string, string>
    )[type] ?? type
  );
}

function findUnescaped(s: string, needle: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (s.startsWith(needle, i)) return i;
  }
  return -1;
}

function findLastIndex<T>(arr: T[], pred: (t: T) => boolean): number {
  for (let i = arr.length - 1; i >= 0; i--) if (pred(arr[i]!)) return i;
  return -1;
}

// ---- legacy Markdown -------------------------------------------------------------

export function parseMarkdownLegacy(input: string): Formatted {
  let out = '';
  const entities: MessageEntity[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === '\\' && i + 1 < input.length && '_*`['.includes(input[i + 1]!)) {
      out += input[i + 1];
      i += 2;
      continue;
    }
    if (ch === '*' || ch === '_' || ch === '`') {
      const fence = input.startsWith('```', i) ? '```' : ch;
      const end = input.indexOf(fence, i + fence.length);
      if (end === -1) throw parseError(`Can't find end of the entity starting at byte offset ${byteOffset(input, i)}`);
      const body = input.slice(i + fence.length, end);
      const type = fence === '```' ? 'pre' : ch === '*' ? 'bold' : ch === '_' ? 'italic' : 'code';
      if (body.length) entities.push({ type, offset: out.length, length: body.length } as MessageEntity);
      out += body;
      i = end + fence.length;
      continue;
    }
    if (ch === '[') {
      const close = input.indexOf('](', i);
      const end = close === -1 ? -1 : input.indexOf(')', close);
      if (close === -1 || end === -1) throw parseError(`Can't find end of the entity starting at byte offset ${byteOffset(input, i)}`);
      const label = input.slice(i + 1, close);
      if (label.length) entities.push({ type: 'text_link', offset: out.length, length: label.length, url: input.slice(close + 2, end) } as MessageEntity);
      out += label;
      i = end + 1;
      continue;
    }
    out += ch;
    i++;
  }
  return { text: out, entities: normalise(entities) };
}

function normalise(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}
