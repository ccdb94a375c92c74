import { describe, expect, it } from 'vitest';
import { topicTitle, truncateUtf8, utf8Bytes, TOPIC_TITLE_MAX_BYTES } from './topic-title.js';

describe('topicTitle', () => {
  it('has the status emoji, name, ticket number and category', () => {
    expect(topicTitle({ status: 'new', firstName: 'Anna', ticketId: 12, category: 'Payment' })).toBe('❗️ Anna · #12 · Payment');
    expect(topicTitle({ status: 'waiting_agent', firstName: 'Anna', ticketId: 12 })).toBe('❗️ Anna · #12');
    expect(topicTitle({ status: 'in_progress', firstName: 'Anna', ticketId: 12 })).toMatch(/^📝 /);
    expect(topicTitle({ status: 'waiting_customer', firstName: 'Anna', ticketId: 12 })).toMatch(/^📝 /);
    expect(topicTitle({ status: 'resolved', firstName: 'Anna', ticketId: 12 })).toMatch(/^🏁 /);
  });

  it('fits 128 bytes of UTF-8 and cuts the name first, between whole characters', () => {
    const cyr = 'Александра'.repeat(10); // 2 bytes per letter
    const title = topicTitle({ status: 'new', firstName: cyr, ticketId: 123456, category: 'Complaint' });
    expect(utf8Bytes(title)).toBeLessThanOrEqual(TOPIC_TITLE_MAX_BYTES);
    expect(title.endsWith(' · #123456 · Complaint')).toBe(true);
    expect(title).toContain('…');
    expect(title).not.toContain('\uFFFD');
  });

  it('never splits an emoji sequence', () => {
    const family = '👨‍👩‍👧‍👦'; // 25 bytes, one grapheme
    const title = topicTitle({ status: 'new', firstName: family.repeat(8), ticketId: 1 });
    expect(utf8Bytes(title)).toBeLessThanOrEqual(TOPIC_TITLE_MAX_BYTES);
    const name = title.slice('❗️ '.length, title.indexOf(' · #1'));
    expect(name.replace('…', '').length % family.length).toBe(0);
  });

  it('truncates whole when even the category is too long', () => {
    const title = topicTitle({ status: 'new', firstName: 'Bo', ticketId: 7, category: 'x'.repeat(200) });
    expect(utf8Bytes(title)).toBeLessThanOrEqual(TOPIC_TITLE_MAX_BYTES);
    expect(title.startsWith('❗️ Bo · #7 · x')).toBe(true);
  });

  it('strips bidi and zero-width control characters from the name (and the category)', () => {
    const controls = [
      '\u200B',
      '\u200C',
      '\u200D',
      '\u200E',
      '\u200F',
      '\u202A',
      '\u202B',
      '\u202C',
      '\u202D',
      '\u202E',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
      '\uFEFF',
      '\u061C',
    ];
    for (const c of controls) {
      expect(topicTitle({ status: 'new', firstName: `${c}An${c}na${c}`, ticketId: 5 }), `U+${c.codePointAt(0)!.toString(16)}`).toBe('❗️ Anna · #5');
    }
    // The classic spoof: a right-to-left override that makes "Anna · #5 · gpj.exe" read differently.
    const spoof = topicTitle({ status: 'new', firstName: 'Anna\u202E\u2066 · #1 · Refund', ticketId: 9, category: 'Pay\u202Ement' });
    expect(spoof).toBe('❗️ Anna · #1 · Refund · #9 · Payment');
    expect(spoof).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF\u061C]/);
    // A name of nothing but invisible characters becomes the dash.
    expect(topicTitle({ status: 'new', firstName: '\u200B\u202E\uFEFF', ticketId: 3 })).toBe('❗️ — · #3');
  });

  it('keeps the joiners that are part of an emoji sequence or a Persian word', () => {
    expect(topicTitle({ status: 'new', firstName: '👨‍👩‍👧 Ann', ticketId: 1 })).toBe('❗️ 👨‍👩‍👧 Ann · #1');
    expect(topicTitle({ status: 'new', firstName: 'می\u200Cخواهم', ticketId: 1 })).toBe('❗️ می\u200Cخواهم · #1');
    // …but not a joiner hiding inside a Latin name.
    expect(topicTitle({ status: 'new', firstName: 'A\u200Dnna', ticketId: 1 })).toBe('❗️ Anna · #1');
  });

  it('uses a dash for an empty name', () => {
    expect(topicTitle({ status: 'new', firstName: '  ', ticketId: 3 })).toBe('❗️ — · #3');
  });
});

describe('truncateUtf8', () => {
  it('keeps short strings and cuts long ones to the byte budget', () => {
    expect(truncateUtf8('abc', 10)).toBe('abc');
    const cut = truncateUtf8('ééééé', 7);
    expect(utf8Bytes(cut)).toBeLessThanOrEqual(7);
    expect(cut).toBe('éé…');
  });
});
