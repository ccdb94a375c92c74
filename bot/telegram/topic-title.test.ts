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
