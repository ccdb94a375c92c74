/** A sandbox given a data directory remembers its world across restarts: ids continue, chats and topics stay. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bot, InputFile } from 'grammy';
import type { Message } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { tmpDataDir } from '../test/helpers/tmp.js';
import { SandboxClient } from './client.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from './server.js';

const CUSTOMER = 4101;
const AGENT = 501;

const running: RunningSandbox[] = [];
const dirs: Array<{ cleanup(): void }> = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
  for (const d of dirs.splice(0)) d.cleanup();
});

function dataDir(): string {
  const d = tmpDataDir('sandbox-state-');
  dirs.push(d);
  return d.dir;
}

async function start(dir: string, opts: SandboxOptions = {}) {
  const sandbox = await startSandbox({ port: 0, dataDir: dir, ...opts });
  running.push(sandbox);
  return {
    sandbox,
    client: new SandboxClient(sandbox.url),
    bot: new Bot(sandbox.token, { client: { apiRoot: sandbox.apiRoot } }),
    support: sandbox.world.chatIds.support,
  };
}

async function stop(sandbox: RunningSandbox): Promise<void> {
  running.splice(running.indexOf(sandbox), 1);
  await sandbox.close();
}

describe('a restart on the same data directory', () => {
  it('continues message, topic, update and callback ids and keeps chats, topics, members and files', async () => {
    const dir = dataDir();
    const a = await start(dir);
    const first = await a.client.sendCustomerMessage(CUSTOMER, { text: 'hello', first_name: 'Ann' });
    const topic = await a.bot.api.createForumTopic(a.support, 'Ann #1');
    await a.bot.api.sendMessage(a.support, 'card', {
      message_thread_id: topic.message_thread_id,
      reply_markup: { inline_keyboard: [[{ text: 'Take', callback_data: 'take:1' }]] },
    });
    await a.client.sendSupportMessage({ from_id: AGENT, thread_id: topic.message_thread_id, text: 'on it' });
    const pressA = await a.client.pressSupportButton({ from_id: AGENT, text: 'Take' });
    const photo = await a.bot.api.sendPhoto(CUSTOMER, new InputFile(Buffer.from('receipt')));
    const album: Message[] = await a.bot.api.sendMediaGroup(CUSTOMER, [
      { type: 'photo', media: photo.photo!.at(-1)!.file_id },
      { type: 'photo', media: photo.photo!.at(-1)!.file_id },
    ]);
    const updatesA = await a.bot.api.getUpdates({ allowed_updates: ['message', 'callback_query', 'chat_member'] });
    const lastUpdate = updatesA.at(-1)!.update_id;
    // The customer writes once more; the bot does not confirm it before the restart.
    await a.client.sendCustomerMessage(CUSTOMER, 'unconfirmed');
    await stop(a.sandbox);

    const b = await start(dir);
    // The unconfirmed update is still pending, with its id; allowed_updates is remembered.
    const pending = await b.bot.api.getUpdates({ offset: lastUpdate + 1 });
    expect(pending.map((u) => [u.update_id, u.message?.text])).toEqual([[lastUpdate + 1, 'unconfirmed']]);
    await b.client.sendSupportMessage({ from_id: AGENT + 1, text: 'new agent' });
    expect((await b.bot.api.getUpdates({ offset: lastUpdate + 2 })).map((u) => Object.keys(u).filter((k) => k !== 'update_id'))).toEqual([
      ['chat_member'],
      ['message'],
    ]);

    // Message ids continue in the private chat and in the group; the history is kept.
    const next = await b.client.sendCustomerMessage(CUSTOMER, 'I am back');
    expect(next.message_id).toBeGreaterThan(album.at(-1)!.message_id);
    expect(first.message_id).toBeLessThan(next.message_id);
    const history = await b.client.getCustomerMessages(CUSTOMER);
    expect(history.map((m) => m.text ?? m.media)).toEqual(['hello', 'photo', 'photo', 'photo', 'unconfirmed', 'I am back']);
    expect(history[0]).toMatchObject({ from: 'customer', from_name: 'Ann' });
    // The topic still exists, so the bot's stored thread id is still valid.
    expect(await b.client.getTopics()).toEqual([
      { thread_id: topic.message_thread_id, name: 'Ann #1', icon_color: topic.icon_color, closed: false, messages: 2 },
    ]);
    const inTopic = await b.bot.api.sendMessage(b.support, 'still here', { message_thread_id: topic.message_thread_id });
    expect(inTopic).toMatchObject({
      message_thread_id: topic.message_thread_id,
      is_topic_message: true,
      reply_to_message: { message_id: topic.message_thread_id },
    });
    expect((await b.client.getChatMessages(b.support, { threadId: topic.message_thread_id })).map((m) => m.text ?? m.service)).toEqual([
      'forum_topic_created',
      'card',
      'on it',
      'still here',
    ]);
    const newTopic = await b.bot.api.createForumTopic(b.support, 'Bob #2');
    expect(newTopic.message_thread_id).toBeGreaterThan(inTopic.message_id);
    // The agent is still a member (no chat_member update on their next message).
    await b.client.sendSupportMessage({ from_id: AGENT, thread_id: topic.message_thread_id, text: 'again' });
    expect((await b.bot.api.getUpdates({ offset: lastUpdate + 4 })).map((u) => u.message?.text)).toEqual(['I am back', 'again']);
    // The pressed button can still be answered; new presses get new ids.
    await expect(b.bot.api.answerCallbackQuery(pressA.callback_query_id)).resolves.toBe(true);
    const pressB = await b.client.pressSupportButton({ from_id: AGENT, text: 'Take', thread_id: topic.message_thread_id });
    expect(BigInt(pressB.callback_query_id)).toBeGreaterThan(BigInt(pressA.callback_query_id));
    // Files of kept messages can be sent again by file_id; new albums get new group ids.
    await expect(b.bot.api.sendPhoto(CUSTOMER, photo.photo!.at(-1)!.file_id)).resolves.toMatchObject({ photo: photo.photo });
    const album2: Message[] = await b.bot.api.sendMediaGroup(CUSTOMER, [
      { type: 'photo', media: photo.photo!.at(-1)!.file_id },
      { type: 'photo', media: photo.photo!.at(-1)!.file_id },
    ]);
    expect(album2[0]!.media_group_id).not.toBe(album[0]!.media_group_id);
  });

  it('keeps a deleted topic deleted and a blocked customer blocked', async () => {
    const dir = dataDir();
    const a = await start(dir);
    await a.client.sendCustomerMessage(CUSTOMER, 'hi');
    const topic = await a.bot.api.createForumTopic(a.support, 'Ann');
    await a.client.deleteTopic(topic.message_thread_id);
    await a.client.blockBot(CUSTOMER);
    await stop(a.sandbox);
    const b = await start(dir);
    await expect(b.bot.api.sendMessage(b.support, 'x', { message_thread_id: topic.message_thread_id })).rejects.toMatchObject({
      description: 'Bad Request: message thread not found',
    });
    await expect(b.bot.api.sendMessage(CUSTOMER, 'x')).rejects.toMatchObject({ error_code: 403 });
  });

  it('POST /sandbox/reset empties the saved world too', async () => {
    const dir = dataDir();
    const a = await start(dir);
    await a.client.sendCustomerMessage(CUSTOMER, 'hi');
    await a.client.reset();
    await stop(a.sandbox);
    const b = await start(dir);
    await expect(b.client.getCustomerMessages(CUSTOMER)).rejects.toMatchObject({ status: 404 });
    expect(await b.client.getTopics()).toEqual([]);
  });

  it('without a data directory nothing is written and every start is empty', async () => {
    const dir = dataDir();
    const a = await startSandbox({ port: 0 });
    running.push(a);
    await new SandboxClient(a.url).sendCustomerMessage(CUSTOMER, 'hi');
    await stop(a);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('ids', () => {
  it('gives every album its own media_group_id', async () => {
    const a = await start(dataDir());
    await a.client.sendCustomerMessage(CUSTOMER, 'hi');
    const photo = await a.bot.api.sendPhoto(CUSTOMER, new InputFile(Buffer.from('p')));
    const album = () =>
      a.bot.api.sendMediaGroup(
        CUSTOMER,
        [1, 2].map(() => ({ type: 'photo' as const, media: photo.photo!.at(-1)!.file_id })),
      );
    const [one, two]: Message[][] = [await album(), await album()];
    expect(one![0]!.media_group_id).toBe(one![1]!.media_group_id);
    expect(two![0]!.media_group_id).not.toBe(one![0]!.media_group_id);
  });
});

describe('the state file', () => {
  it('is written while the world changes (not only on close), atomically: no temporary file is left', async () => {
    const dir = dataDir();
    const a = await start(dir, { saveDelayMs: 20 });
    const path = join(dir, 'sandbox', 'state.json');
    await a.client.sendCustomerMessage(CUSTOMER, 'first');
    const saved = await a.client.waitFor(async () => existsSync(path) && readFileSync(path, 'utf8').includes('"first"'), { what: 'the state file' });
    expect(saved).toBe(true);
    await a.client.sendCustomerMessage(CUSTOMER, 'second');
    await a.client.waitFor(async () => readFileSync(path, 'utf8').includes('"second"'), { what: 'the second save' });
    expect(readdirSync(join(dir, 'sandbox'))).toEqual(['state.json']);
  });

  it('keeps the last messages of each chat within the limits, and every chat keeps counting', async () => {
    const dir = dataDir();
    const a = await start(dir, { persistLimits: { messagesPerChat: 5, messagesTotal: 8 } });
    for (let i = 1; i <= 4; i++) await a.client.sendCustomerMessage(4201, `old ${i}`);
    for (let i = 1; i <= 10; i++) await a.client.sendCustomerMessage(4202, `busy ${i}`);
    for (let i = 1; i <= 3; i++) await a.client.sendCustomerMessage(4203, `recent ${i}`);
    await stop(a.sandbox);
    const b = await start(dir);
    // The most recent chats first (4203: 3, then 4202: its last 5), then the budget of 8 is spent.
    expect((await b.client.getCustomerMessages(4203)).map((m) => m.text)).toEqual(['recent 1', 'recent 2', 'recent 3']);
    expect((await b.client.getCustomerMessages(4202)).map((m) => m.text)).toEqual([6, 7, 8, 9, 10].map((i) => `busy ${i}`));
    expect(await b.client.getCustomerMessages(4201)).toEqual([]);
    expect((await b.client.sendCustomerMessage(4201, 'back')).message_id).toBe(5);
    expect((await b.client.sendCustomerMessage(4202, 'more')).message_id).toBe(11);
  });

  it('that cannot be read stops the start instead of starting empty (which would reuse ids)', async () => {
    const dir = dataDir();
    const a = await start(dir);
    await stop(a.sandbox);
    writeFileSync(join(dir, 'sandbox', 'state.json'), '{"format": 1, "upd');
    await expect(startSandbox({ port: 0, dataDir: dir })).rejects.toThrow(/cannot be loaded.*move the file away/);
  });
});
