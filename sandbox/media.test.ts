import { InputFile } from 'grammy';
import type { Message } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import type { MediaInput } from './client.js';
import { apiError, useSandbox } from './test-helpers.js';

const fx = useSandbox();
const CUSTOMER = 1001;

const MEDIA: Array<[keyof MediaInput, Record<string, unknown>, (m: Message) => void]> = [
  [
    'photo',
    {},
    (m) => {
      expect(m.photo!.length).toBeGreaterThan(1);
      for (const p of m.photo!)
        expect(p).toMatchObject({ file_id: expect.any(String), file_unique_id: expect.any(String), width: expect.any(Number), height: expect.any(Number) });
      expect(m.photo![0]!.width).toBeLessThan(m.photo!.at(-1)!.width);
    },
  ],
  [
    'document',
    { file_name: 'invoice.pdf' },
    (m) => expect(m.document).toMatchObject({ file_name: 'invoice.pdf', mime_type: 'application/pdf', file_id: expect.any(String) }),
  ],
  ['voice', { duration: 4 }, (m) => expect(m.voice).toMatchObject({ duration: 4, mime_type: 'audio/ogg' })],
  ['video', {}, (m) => expect(m.video).toMatchObject({ width: expect.any(Number), height: expect.any(Number), duration: expect.any(Number) })],
  ['video_note', {}, (m) => expect(m.video_note).toMatchObject({ length: expect.any(Number), duration: expect.any(Number) })],
  ['sticker', { emoji: '😡' }, (m) => expect(m.sticker).toMatchObject({ type: 'regular', emoji: '😡', is_animated: false, is_video: false })],
  [
    'animation',
    {},
    (m) => {
      expect(m.animation).toMatchObject({ mime_type: 'video/mp4' });
      // Telegram also sets `document` on animations for backward compatibility.
      expect(m.document?.file_id).toBe(m.animation!.file_id);
    },
  ],
  ['audio', { title: 'Song', performer: 'Band' }, (m) => expect(m.audio).toMatchObject({ title: 'Song', performer: 'Band', duration: expect.any(Number) })],
  ['location', { latitude: 52.52, longitude: 13.4 }, (m) => expect(m.location).toEqual({ latitude: 52.52, longitude: 13.4 })],
  [
    'venue',
    { latitude: 1, longitude: 2, title: 'Office', address: 'Main st 1' },
    (m) => {
      expect(m.venue).toMatchObject({ title: 'Office', address: 'Main st 1', location: { latitude: 1, longitude: 2 } });
      expect(m.location).toEqual({ latitude: 1, longitude: 2 });
    },
  ],
  ['contact', { phone_number: '+4912345', first_name: 'Ann' }, (m) => expect(m.contact).toEqual({ phone_number: '+4912345', first_name: 'Ann' })],
  [
    'poll',
    { question: 'Which plan?', options: ['Basic', 'Pro'] },
    (m) =>
      expect(m.poll).toMatchObject({
        question: 'Which plan?',
        options: [
          { text: 'Basic', voter_count: 0 },
          { text: 'Pro', voter_count: 0 },
        ],
        type: 'regular',
        is_closed: false,
      }),
  ],
  ['dice', { emoji: '🎯', value: 6 }, (m) => expect(m.dice).toEqual({ emoji: '🎯', value: 6 })],
];

describe('media', () => {
  it.each(MEDIA)('delivers a customer %s in Telegram shape and copies it into a topic', async (kind, spec, check) => {
    const caption = ['sticker', 'video_note', 'location', 'venue', 'contact', 'poll', 'dice'].includes(kind) ? undefined : 'see attached';
    const { message_id } = await fx.client.sendCustomerMessage(CUSTOMER, { [kind]: spec, ...(caption ? { caption } : {}) });
    const [u] = await fx.bot.api.getUpdates();
    const incoming = u!.message!;
    check(incoming);
    if (caption) expect(incoming.caption).toBe(caption);
    const topic = await fx.bot.api.createForumTopic(fx.support, 'Ann');
    const reply = await fx.bot.api.sendMessage(fx.support, 'card', { message_thread_id: topic.message_thread_id });
    const copy = await fx.bot.api.copyMessage(fx.support, CUSTOMER, message_id, {
      message_thread_id: topic.message_thread_id,
      reply_parameters: { message_id: reply.message_id },
      reply_markup: { inline_keyboard: [[{ text: 'Take', callback_data: 'take' }]] },
    });
    expect(Object.keys(copy)).toEqual(['message_id']);
    const [view] = (await fx.client.getChatMessages(fx.support, { threadId: topic.message_thread_id })).filter((m) => m.message_id === copy.message_id);
    expect(view).toMatchObject({ media: kind, thread_id: topic.message_thread_id, reply_to: reply.message_id, buttons: [['Take']], from: 'bot' });
    if (caption) expect(view!.caption).toBe(caption);
    // The copy refers to the same file.
    const original = (await fx.client.getCustomerMessages(CUSTOMER))[0]!;
    expect(view!.media_object).toEqual(original.media_object);
  });

  it('refuses to copy a quiz whose answer the bot does not know, like Telegram', async () => {
    const known = await fx.client.sendCustomerMessage(CUSTOMER, { poll: { question: 'Q?', options: ['a', 'b'], type: 'quiz', correct_option_id: 0 } });
    const forwarded = await fx.client.sendCustomerMessage(CUSTOMER, { poll: { question: 'Q?', options: ['a', 'b'], type: 'quiz' } });
    await expect(fx.bot.api.copyMessage(fx.support, CUSTOMER, known.message_id)).resolves.toHaveProperty('message_id');
    expect((await apiError(fx.bot.api.copyMessage(fx.support, CUSTOMER, forwarded.message_id))).description).toBe("Bad Request: message can't be copied");
  });

  it('replaces the caption of a copy when asked', async () => {
    const { message_id } = await fx.client.sendCustomerMessage(CUSTOMER, { photo: {}, caption: 'original' });
    const copy = await fx.bot.api.copyMessage(fx.support, CUSTOMER, message_id, { caption: '<b>From Ann</b>', parse_mode: 'HTML' });
    const view = (await fx.client.getChatMessages(fx.support)).find((m) => m.message_id === copy.message_id)!;
    expect(view.caption).toBe('From Ann');
    expect(view.entities).toEqual([{ type: 'bold', offset: 0, length: 8 }]);
  });

  it('fails to copy a missing message and service messages', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    expect((await apiError(fx.bot.api.copyMessage(fx.support, CUSTOMER, 999))).description).toBe('Bad Request: message to copy not found');
    const topic = await fx.bot.api.createForumTopic(fx.support, 'Ann');
    expect((await apiError(fx.bot.api.copyMessage(CUSTOMER, fx.support, topic.message_thread_id))).description).toBe("Bad Request: message can't be copied");
    expect((await apiError(fx.bot.api.forwardMessage(fx.support, CUSTOMER, 999))).description).toBe('Bad Request: message to forward not found');
  });

  it('uploads InputFile as multipart and re-sends by file_id', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    const doc = await fx.bot.api.sendDocument(CUSTOMER, new InputFile(Buffer.from('%PDF-1.4 fake'), 'report.pdf'), { caption: 'Your report' });
    expect(doc.document).toMatchObject({ file_name: 'report.pdf', file_size: 13 });
    expect(doc.caption).toBe('Your report');
    const again = await fx.bot.api.sendDocument(CUSTOMER, doc.document!.file_id);
    expect(again.document!.file_unique_id).toBe(doc.document!.file_unique_id);
    const photo = await fx.bot.api.sendPhoto(CUSTOMER, new InputFile(Buffer.from('jpegbytes')));
    expect(photo.photo!.length).toBeGreaterThan(0);
    expect((await apiError(fx.bot.api.sendPhoto(CUSTOMER, 'no-such-file-id'))).description).toBe('Bad Request: wrong file identifier/HTTP URL specified');
    expect((await apiError(fx.bot.api.sendVoice(CUSTOMER, doc.document!.file_id))).description).toMatch(/^Bad Request: wrong file type specified/);
    const file = await fx.bot.api.getFile(doc.document!.file_id);
    expect(file).toMatchObject({ file_id: doc.document!.file_id, file_path: expect.stringContaining('documents/') });
  });

  it('sends location, venue and contact', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'where?');
    expect((await fx.bot.api.sendLocation(CUSTOMER, 52.5, 13.4)).location).toEqual({ latitude: 52.5, longitude: 13.4 });
    expect((await fx.bot.api.sendVenue(CUSTOMER, 52.5, 13.4, 'Office', 'Main st 1')).venue).toMatchObject({ title: 'Office', location: { latitude: 52.5 } });
    expect((await fx.bot.api.sendContact(CUSTOMER, '+1555', 'Support')).contact).toEqual({ phone_number: '+1555', first_name: 'Support' });
  });
});

describe('albums', () => {
  it('groups a customer album by media_group_id and copies it with copyMessages', async () => {
    const a = await fx.client.sendCustomerMessage(CUSTOMER, { photo: {}, media_group_id: 'album-1', caption: 'damage' });
    const b = await fx.client.sendCustomerMessage(CUSTOMER, { photo: {}, media_group_id: 'album-1' });
    const updates = await fx.bot.api.getUpdates();
    expect(updates.map((u) => u.message!.media_group_id)).toEqual(['album-1', 'album-1']);
    const copies = await fx.bot.api.copyMessages(fx.support, CUSTOMER, [a.message_id, b.message_id]);
    expect(copies).toHaveLength(2);
    const views = (await fx.client.getChatMessages(fx.support)).filter((m) => copies.some((c) => c.message_id === m.message_id));
    expect(new Set(views.map((v) => v.media_group_id)).size).toBe(1);
    expect(views[0]!.media_group_id).not.toBe('album-1');
    expect(views[0]!.caption).toBe('damage');
  });

  it('sends an album with sendMediaGroup, mixing uploads and file ids', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    const first = await fx.bot.api.sendPhoto(CUSTOMER, new InputFile(Buffer.from('a')));
    const sent: Message[] = await fx.bot.api.sendMediaGroup(CUSTOMER, [
      { type: 'photo', media: first.photo!.at(-1)!.file_id, caption: 'before' },
      { type: 'photo', media: new InputFile(Buffer.from('b')) },
      { type: 'video', media: new InputFile(Buffer.from('c'), 'clip.mp4') },
    ]);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((m) => m.media_group_id)).size).toBe(1);
    expect(sent[0]!.caption).toBe('before');
    expect(sent[2]!.video).toBeDefined();
    expect((await apiError(fx.bot.api.sendMediaGroup(CUSTOMER, [{ type: 'photo', media: first.photo![0]!.file_id }]))).error_code).toBe(400);
  });

  it('forwards with forward_origin', async () => {
    const { message_id } = await fx.client.sendCustomerMessage(CUSTOMER, { text: 'original', first_name: 'Ann' });
    const fwd = await fx.bot.api.forwardMessage(fx.escalation, CUSTOMER, message_id);
    expect(fwd).toMatchObject({ text: 'original', forward_origin: { type: 'user', sender_user: { id: CUSTOMER, first_name: 'Ann' } } });
  });

  it('edits media and captions of bot messages', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    const sent = await fx.bot.api.sendPhoto(CUSTOMER, new InputFile(Buffer.from('a')), { caption: 'v1' });
    const captioned = await fx.bot.api.editMessageCaption(CUSTOMER, sent.message_id, { caption: 'v2' });
    expect((captioned as Message).caption).toBe('v2');
    const replaced = (await fx.bot.api.editMessageMedia(CUSTOMER, sent.message_id, {
      type: 'document',
      media: new InputFile(Buffer.from('doc'), 'x.txt'),
      caption: 'now a doc',
    })) as Message;
    expect(replaced.photo).toBeUndefined();
    expect(replaced.document).toMatchObject({ file_name: 'x.txt' });
    expect(replaced.caption).toBe('now a doc');
  });
});
