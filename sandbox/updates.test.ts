import { describe, expect, it } from 'vitest';
import { UpdateQueue } from './updates.js';

describe('UpdateQueue', () => {
  it('keeps ids and order across compaction of a long confirmed prefix', async () => {
    const q = new UpdateQueue(1);
    for (let i = 0; i < 5000; i++) q.push('message', { n: i });
    q.confirm(3001);
    expect(q.pendingCount).toBe(2000);
    expect(q.first()).toEqual({ update_id: 3001, message: { n: 3000 } });
    for (let i = 5000; i < 5010; i++) q.push('message', { n: i });
    const batch = await q.poll({ offset: 5001, limit: 100, timeoutSec: 0, onCancel: () => undefined });
    expect(batch.map((u) => u.update_id)).toEqual([5001, 5002, 5003, 5004, 5005, 5006, 5007, 5008, 5009, 5010]);
  });

  it('filters kinds by the remembered allowed_updates, and by Telegram defaults otherwise', () => {
    const q = new UpdateQueue(1);
    expect(q.push('chat_member', {})).toBeUndefined();
    expect(q.push('my_chat_member', {})).toBeDefined();
    q.setAllowedUpdates(['callback_query']);
    expect(q.push('message', {})).toBeUndefined();
    expect(q.allowedUpdates).toEqual(['callback_query']);
    q.setAllowedUpdates([]);
    expect(q.push('message', {})).toBeDefined();
  });

  it('resolves a waiting poll with every update pushed in the same tick', async () => {
    const q = new UpdateQueue(1);
    const poll = q.poll({ limit: 100, timeoutSec: 30, onCancel: () => undefined });
    q.push('message', { n: 1 });
    q.push('message', { n: 2 });
    expect((await poll).map((u) => u.update_id)).toEqual([1, 2]);
  });

  it('ends a cancelled poll with no updates and leaves later polls unaffected', async () => {
    const q = new UpdateQueue(1);
    let cancel = () => undefined as void;
    const poll = q.poll({ limit: 100, timeoutSec: 30, onCancel: (c) => (cancel = c) });
    cancel();
    expect(await poll).toEqual([]);
    q.push('message', {});
    expect(await q.poll({ limit: 100, timeoutSec: 30, onCancel: () => undefined })).toHaveLength(1);
  });
});
