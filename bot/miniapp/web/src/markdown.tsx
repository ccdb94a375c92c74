/**
 * The knowledge base's Markdown as Preact elements — paragraphs, `##` headings, lists, **bold**, *italic*,
 * `code` and [links](https://…). Text is never parsed as HTML, so an article cannot inject markup; links other
 * than http(s) and mailto are shown as text.
 */
import type { ComponentChildren, JSX } from 'preact';

const INLINE = /(\*\*[^*]+\*\*|\*[^*\s][^*]*\*|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/g;

function inline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const token = m[0];
    if (m.index > last) out.push(text.slice(last, m.index));
    if (token.startsWith('**')) out.push(<strong>{inline(token.slice(2, -2))}</strong>);
    else if (token.startsWith('`')) out.push(<code>{token.slice(1, -1)}</code>);
    else if (token.startsWith('[')) {
      const [, label = '', url = ''] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token) ?? [];
      out.push(
        /^(https?:|mailto:)/i.test(url) ? (
          <a href={url} target="_blank" rel="noopener noreferrer">
            {inline(label)}
          </a>
        ) : (
          label
        ),
      );
    } else out.push(<em>{inline(token.slice(1, -1))}</em>);
    last = m.index + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function Markdown({ source }: { source: string }) {
  const blocks: JSX.Element[] = [];
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i++;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      // The page's h1 is the article's title: its sections start at h2.
      const level = Math.min(6, Math.max(2, heading[1]!.length + 1));
      const Tag = `h${level}` as 'h2';
      blocks.push(<Tag key={i}>{inline(heading[2]!)}</Tag>);
      i++;
      continue;
    }
    const listItem = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/;
    const first = listItem.exec(line);
    if (first) {
      const ordered = Boolean(first[2]);
      const items: ComponentChildren[] = [];
      while (i < lines.length) {
        const m = listItem.exec(lines[i]!);
        if (m && Boolean(m[2]) === ordered) {
          items.push(<li key={i}>{inline(m[3]!)}</li>);
          i++;
        } else if (lines[i]!.trim() && /^\s{2,}/.test(lines[i]!) && items.length) {
          i++; // a continuation line of the previous item: kept short, folded away
        } else break;
      }
      blocks.push(ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() && !/^(#{1,6})\s/.test(lines[i]!) && !listItem.test(lines[i]!)) para.push(lines[i++]!.trim());
    blocks.push(<p key={i}>{inline(para.join(' '))}</p>);
  }
  return <div class="article-body">{blocks}</div>;
}
