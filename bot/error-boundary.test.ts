/** The desk's error boundary: a refusal is answered where the person acted; anything else reaches bot.catch, logged without personal data. */
import { BotError, Composer, GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import type { BotContext } from './context.js';
import { replyWithDeskError, withoutPersonalData } from './error-boundary.js';
import { DeskError, unlessRefused } from './tickets/errors.js';

/** Just enough of a context: a command in a topic, or a button press. */
function fakeContext(kind: 'message' | 'press') {
  const said: Array<{ how: string; text: string; other?: unknown }> = [];
  const msg = { message_id: 5, is_topic_message: true, message_thread_id: 77, chat: { id: -100 } };
  const ctx = {
    msg: kind === 'message' ? msg : undefined,
    callbackQuery: kind === 'press' ? { id: '1', message: msg } : undefined,
    t: (key: string, vars?: Record<string, string | number>) => `${key}${vars ? ` ${JSON.stringify(vars)}` : ''}`,
    reply: async (text: string, other?: unknown) => void said.push({ how: 'reply', text, other }),
    answerCallbackQuery: async (o: { text: string; show_alert?: boolean }) => void said.push({ how: 'answer', text: o.text, other: o.show_alert }),
  } as unknown as BotContext;
  return { ctx, said };
}

async function runInBoundary(ctx: BotContext, fail: () => never, handler = replyWithDeskError()): Promise<unknown> {
  const composer = new Composer<BotContext>();
  composer.errorBoundary(handler).use(() => fail());
  try {
    await composer.middleware()(ctx, async () => undefined);
    return undefined;
  } catch (e) {
    return e;
  }
}

describe('replyWithDeskError', () => {
  it('answers a refused command in its thread, in the chat language (desk-error-<code>)', async () => {
    const { ctx, said } = fakeContext('message');
    const escaped = await runInBoundary(ctx, () => {
      throw new DeskError('unknown-queue', { queue: 'nowhere', queues: 'L1, L2' });
    });
    expect(escaped).toBeUndefined();
    expect(said).toEqual([{ how: 'reply', text: 'desk-error-unknown-queue {"queue":"nowhere","queues":"L1, L2"}', other: { message_thread_id: 77 } }]);
  });

  it('answers a refused button press under the button, in the words a composer chose', async () => {
    const { ctx, said } = fakeContext('press');
    const words = replyWithDeskError((_ctx, e) => `cannot: ${e.code}`, { showAlert: true });
    await runInBoundary(
      ctx,
      () => {
        throw new DeskError('ticket-already-resolved', { ticket: 3 });
      },
      words,
    );
    expect(said).toEqual([{ how: 'answer', text: 'cannot: ticket-already-resolved', other: true }]);
  });

  it('lets every other error through to bot.catch, answering nothing', async () => {
    const { ctx, said } = fakeContext('message');
    const boom = new Error('boom');
    const escaped = await runInBoundary(ctx, () => {
      throw boom;
    });
    expect(escaped).toBe(boom);
    expect(said).toEqual([]);
  });
});

describe('withoutPersonalData', () => {
  it('keeps what an error says about itself, never the message it carried', () => {
    const e = new GrammyError(
      "Call to 'sendMessage' failed!",
      { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
      'sendMessage',
      {
        chat_id: 42,
        text: 'my card number is 4111…',
      },
    );
    const logged = withoutPersonalData(new BotError(e, {} as BotContext).error);
    expect(logged).toMatchObject({ type: 'GrammyError', method: 'sendMessage', error_code: 403 });
    expect(JSON.stringify(logged)).not.toContain('4111');
    expect(JSON.stringify(logged)).not.toContain('payload');
    expect(withoutPersonalData('a string')).toEqual({ type: 'string' });
  });
});

describe('unlessRefused', () => {
  it('gives the change, or undefined when the state machine refused it; other failures still throw', async () => {
    expect(await unlessRefused(Promise.resolve(7))).toBe(7);
    expect(await unlessRefused(Promise.reject(new DeskError('ticket-resolved')))).toBeUndefined();
    await expect(unlessRefused(Promise.reject(new Error('db down')))).rejects.toThrow('db down');
  });
});
