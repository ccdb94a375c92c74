/** The anti-spam rules on their own: the relay window's queue and the link-free quote. */
import type { Message } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { RelayWindow, SlidingLimit, textWithLinkHosts } from './rules.js';

const S = 1000;
const MIN = 60 * S;

describe('RelayWindow', () => {
  it('relays up to the limit, then gives each message the slot of the one sent limit-many before it, one window later', () => {
    const w = new RelayWindow(2, MIN);
    expect(w.admit(1, 0)).toBeUndefined();
    expect(w.admit(1, 1 * S)).toBeUndefined();
    expect(w.admit(1, 2 * S)).toBe(MIN);
    w.setWaiting(1, 1);
    expect(w.admit(1, 3 * S)).toBe(MIN + 1 * S);
    w.setWaiting(1, 2);
    // Other customers are not affected.
    expect(w.admit(2, 3 * S)).toBeUndefined();
  });

  it('queues whatever comes while messages wait, even once the window has room: order is kept', () => {
    const w = new RelayWindow(2, MIN);
    w.admit(1, 0);
    w.admit(1, 0);
    const first = w.admit(1, 0)!;
    w.setWaiting(1, 1);
    // The window has room again, but the held message has not been relayed yet (a late job).
    expect(w.admit(1, 3 * MIN)).toBe(3 * MIN);
    w.setWaiting(1, 2);
    expect(first).toBe(MIN);
    // Released: the next message goes at once.
    w.setWaiting(1, 0);
    expect(w.admit(1, 10 * MIN)).toBeUndefined();
  });

  it('an album takes one slot and its parts share the first part’s fate', () => {
    const w = new RelayWindow(1, MIN);
    expect(w.admit(1, 0, 'a')).toBeUndefined();
    expect(w.admit(1, 0, 'a')).toBeUndefined();
    expect(w.admit(1, S, 'b')).toBe(MIN);
    expect(w.admit(1, S, 'b')).toBe(MIN);
  });

  it('after a restart the restored queue still holds new messages back', () => {
    const w = new RelayWindow(5, MIN);
    w.restore(1, [MIN + S], 1);
    expect(w.admit(1, 2 * S)).toBe(MIN + S);
  });
});

describe('SlidingLimit', () => {
  it('refuses what is over the limit within the window and allows again once it slides', () => {
    const l = new SlidingLimit(2, MIN);
    expect([l.allow(1, 0), l.allow(1, S), l.allow(1, 2 * S)]).toEqual([true, true, false]);
    expect(l.allow(1, MIN + 1)).toBe(true);
  });
});

describe('textWithLinkHosts', () => {
  it('replaces URLs by their host and keeps a text link’s words beside its host', () => {
    const text = 'pay at https://evil.example/x?y=1 or here now';
    const m = {
      text,
      entities: [
        { type: 'url', offset: 7, length: 26 },
        { type: 'text_link', offset: 37, length: 4, url: 'https://pay.example/login' },
      ],
    } as unknown as Message;
    expect(textWithLinkHosts(m)).toEqual([
      { text: 'pay at ' },
      { host: 'evil.example' },
      { text: ' or ' },
      { text: 'here ' },
      { host: 'pay.example' },
      { text: ' now' },
    ]);
  });

  it('reads a caption’s own entities, and a link without a scheme', () => {
    const m = { caption: 'see shop.example/a', caption_entities: [{ type: 'url', offset: 4, length: 14 }] } as unknown as Message;
    expect(textWithLinkHosts(m)).toEqual([{ text: 'see ' }, { host: 'shop.example' }]);
  });
});
