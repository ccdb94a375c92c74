/**
 * Markdown (KB articles, macros, broadcasts) → the HTML subset Telegram
 * accepts (parse_mode 'HTML': b, i, s, code, pre, a, blockquote). marked parses;
 * this renderer only maps each block to what a chat message can show: headings
 * become bold lines, lists get bullets or numbers, tables become one line per
 * row. Everything else is escaped by marked, so agent text can't inject tags.
 */
import { Marked, type Tokens } from 'marked';
import { escapeHtml } from './present.js';

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    heading({ tokens }) {
      return `<b>${this.parser.parseInline(tokens)}</b>\n\n`;
    },
    paragraph({ tokens }) {
      return `${this.parser.parseInline(tokens)}\n\n`;
    },
    strong({ tokens }) {
      return `<b>${this.parser.parseInline(tokens)}</b>`;
    },
    em({ tokens }) {
      return `<i>${this.parser.parseInline(tokens)}</i>`;
    },
    del({ tokens }) {
      return `<s>${this.parser.parseInline(tokens)}</s>`;
    },
    codespan({ text }) {
      return `<code>${escapeHtml(text)}</code>`;
    },
    text(token) {
      return 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : escapeHtml(token.text);
    },
    code({ text }) {
      return `<pre>${escapeHtml(text)}</pre>\n\n`;
    },
    blockquote({ tokens }) {
      return `<blockquote>${this.parser.parse(tokens).trim()}</blockquote>\n\n`;
    },
    link({ href, tokens }) {
      return `<a href="${escapeHtml(href)}">${this.parser.parseInline(tokens)}</a>`;
    },
    image({ href, text }) {
      return `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`;
    },
    br() {
      return '\n';
    },
    hr() {
      return '—————\n\n';
    },
    html({ text }) {
      return escapeHtml(text);
    },
    list(token: Tokens.List) {
      const start = typeof token.start === 'number' ? token.start : 1;
      const lines = token.items.map((item, i) => {
        const marker = token.ordered ? `${start + i}.` : '•';
        const body = this.parser.parse(item.tokens).trim().replace(/\n\n+/g, '\n');
        return `${marker} ${body}`;
      });
      return `${lines.join('\n')}\n\n`;
    },
    table(token: Tokens.Table) {
      const cell = (c: Tokens.TableCell) => this.parser.parseInline(c.tokens).trim();
      const head = `<b>${token.header.map(cell).join(' · ')}</b>`;
      const rows = token.rows.map((r) => r.map(cell).join(' · '));
      return `${[head, ...rows].join('\n')}\n\n`;
    },
    space() {
      return '';
    },
  },
});

export function markdownToTelegramHtml(md: string): string {
  const html = marked.parse(md, { async: false });
  return html.replace(/\n{3,}/g, '\n\n').trim();
}
