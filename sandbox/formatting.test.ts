import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectEntities } from './entities.js';
import { parseHtml, parseMarkdownLegacy, parseMarkdownV2 } from './formatting.js';
import { boundaryOf, parseMultipart } from './multipart.js';

describe('HTML parse mode', () => {
  it('turns tags into entities with UTF-16 offsets', () => {
    expect(parseHtml('👋 <i>Hi</i> <code>x&lt;1</code>')).toEqual({
      text: '👋 Hi x<1',
      entities: [
        { type: 'italic', offset: 3, length: 2 },
        { type: 'code', offset: 6, length: 3 },
      ],
    });
  });

  it('supports pre with a language, spoilers, expandable quotes and custom emoji', () => {
    const r = parseHtml(
      '<pre><code class="language-ts">let a</code></pre><tg-spoiler>s</tg-spoiler><span class="tg-spoiler">t</span><blockquote expandable>q</blockquote><tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    );
    expect(r.text).toBe('let astq👍');
    expect(r.entities.map((e) => e.type)).toEqual(['pre', 'spoiler', 'spoiler', 'expandable_blockquote', 'custom_emoji']);
  });

  it('fails like Telegram on bad markup, with byte offsets', () => {
    expect(() => parseHtml('é <foo>')).toThrow('Bad Request: can\'t parse entities: Unsupported start tag "foo" at byte offset 3');
    expect(() => parseHtml('<b>x</i>')).toThrow(/Unmatched end tag at byte offset 4/);
    expect(() => parseHtml('x</b>')).toThrow(/Unexpected end tag at byte offset 1/);
    expect(() => parseHtml('<b>x')).toThrow('Can\'t find end tag corresponding to start tag "b"');
    expect(() => parseHtml('a <b')).toThrow(/Unclosed start tag/);
  });
});

describe('MarkdownV2 parse mode', () => {
  it('parses nested entities, links and code', () => {
    const r = parseMarkdownV2('*bold _italic_* [link](https://x.com/a\\)b) `co\\`de` __u__ ~s~ ||sp||');
    expect(r.text).toBe('bold italic link co`de u s sp');
    expect(r.entities).toEqual([
      { type: 'bold', offset: 0, length: 11 },
      { type: 'italic', offset: 5, length: 6 },
      { type: 'text_link', offset: 12, length: 4, url: 'https://x.com/a)b' },
      { type: 'code', offset: 17, length: 5 },
      { type: 'underline', offset: 23, length: 1 },
      { type: 'strikethrough', offset: 25, length: 1 },
      { type: 'spoiler', offset: 27, length: 2 },
    ]);
  });

  it('parses pre blocks with a language and block quotes', () => {
    expect(parseMarkdownV2('```python\nprint(1)\n```')).toEqual({ text: 'print(1)\n', entities: [{ type: 'pre', offset: 0, length: 9, language: 'python' }] });
    expect(parseMarkdownV2('>quoted\n>more\nafter')).toEqual({ text: 'quoted\nmore\nafter', entities: [{ type: 'blockquote', offset: 0, length: 12 }] });
  });

  it('requires reserved characters to be escaped', () => {
    for (const ch of '.!-=+(){}#|'.split('')) expect(() => parseMarkdownV2(`a${ch}`)).toThrow(`Character '${ch}' is reserved`);
    expect(() => parseMarkdownV2('*open')).toThrow("Can't find end of Bold entity at byte offset 0");
  });

  it('accepts any text whose reserved characters are escaped (property)', () => {
    const escapeMarkdownV2 = (s: string) => s.replace(/[_*[\]()~`>#+\-=|{}.!\\]/g, '\\$&');
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(parseMarkdownV2(escapeMarkdownV2(s))).toEqual({ text: s, entities: [] });
      }),
    );
  });
});

describe('legacy Markdown', () => {
  it('parses bold, italic, code and links', () => {
    expect(parseMarkdownLegacy('*b* _i_ `c` [l](http://x.y)')).toEqual({
      text: 'b i c l',
      entities: [
        { type: 'bold', offset: 0, length: 1 },
        { type: 'italic', offset: 2, length: 1 },
        { type: 'code', offset: 4, length: 1 },
        { type: 'text_link', offset: 6, length: 1, url: 'http://x.y' },
      ],
    });
  });
});

describe('entity detection', () => {
  it('finds commands, urls, mentions and hashtags', () => {
    expect(detectEntities('/take@support_desk_bot @alice #billing www.example.com/x, not/a/cmd')).toEqual([
      { type: 'bot_command', offset: 0, length: 22 },
      { type: 'mention', offset: 23, length: 6 },
      { type: 'hashtag', offset: 30, length: 8 },
      { type: 'url', offset: 39, length: 17 },
    ]);
  });
});

describe('multipart', () => {
  it("parses grammY's unquoted filename headers", () => {
    const b = 'XyZ';
    const body = Buffer.from(
      `--${b}\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n42\r\n--${b}\r\ncontent-disposition:form-data;name="photo"\r\n\r\nattach://f1\r\n--${b}\r\ncontent-disposition:form-data;name="f1";filename=photo.jpg\r\ncontent-type:application/octet-stream\r\n\r\n\x00\x01\x02\r\n--${b}--\r\n`,
      'latin1',
    );
    const parsed = parseMultipart(body, boundaryOf(`multipart/form-data; boundary=${b}`)!);
    expect(parsed.fields).toEqual({ chat_id: '42', photo: 'attach://f1' });
    expect(parsed.files.get('f1')).toEqual({ fieldName: 'f1', filename: 'photo.jpg', contentType: 'application/octet-stream', size: 3 });
  });
});
