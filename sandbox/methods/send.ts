/** sendMessage, the send<Media> family, sendMediaGroup and sendChatAction. */
import { badRequest } from '../errors.js';
import { makePlainMedia, type FileMediaKind, type MessageMedia } from '../media.js';
import type { MessageContent } from '../messages.js';
import type { Params } from '../params.js';
import type { TgMessage } from '../state.js';
import type { World } from '../world.js';
import { captionContent, checkFlood, MAX_CAPTION, replyMarkup, requireText, resolveMentions, resolveTarget, sendFromBot } from './compose.js';
import type { MethodTable } from './context.js';
import { applyParseMode } from '../formatting.js';
import { withDetectedEntities } from '../entities.js';
import type { MessageEntity } from 'grammy/types';

/** Metadata parameters each send<Media> method accepts, copied into the media object. */
const MEDIA_EXTRA: Record<FileMediaKind, string[]> = {
  photo: [],
  document: [],
  video: ['duration', 'width', 'height'],
  audio: ['duration', 'performer', 'title'],
  voice: ['duration'],
  video_note: ['duration', 'length'],
  animation: ['duration', 'width', 'height'],
  sticker: ['emoji'],
};

function mediaExtra(p: Params, kind: FileMediaKind): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of MEDIA_EXTRA[kind]) {
    const v = k === 'performer' || k === 'title' || k === 'emoji' ? p.str(k) : p.int(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function sendMedia(kind: FileMediaKind) {
  return ({ world, params: p }: { world: World; params: Params }): TgMessage => {
    const target = resolveTarget(world, p);
    const markup = replyMarkup(p);
    const media = world.files.resolve(kind, p.has(kind) ? p.str(kind) : undefined, p.files, kind, mediaExtra(p, kind));
    const content: MessageContent = { media, ...(kind === 'sticker' || kind === 'video_note' ? {} : captionContent(world, p)) };
    checkFlood(world, target.chat);
    return sendFromBot(world, target, content, markup);
  };
}

function sendPlain(kind: 'location' | 'venue' | 'contact') {
  return ({ world, params: p }: { world: World; params: Params }): TgMessage => {
    const target = resolveTarget(world, p);
    const markup = replyMarkup(p);
    const spec: Record<string, unknown> = {};
    for (const k of ['latitude', 'longitude', 'horizontal_accuracy']) if (p.has(k)) spec[k] = p.num(k);
    for (const k of ['title', 'address', 'foursquare_id', 'google_place_id', 'phone_number', 'first_name', 'last_name', 'vcard'])
      if (p.has(k)) spec[k] = p.str(k);
    const media = makePlainMedia(kind, spec);
    checkFlood(world, target.chat);
    return sendFromBot(world, target, { media }, markup);
  };
}

interface InputMedia {
  type: string;
  media: string;
  caption?: string;
  parse_mode?: string;
  caption_entities?: MessageEntity[];
  [k: string]: unknown;
}

/** Media and caption from an InputMedia object (sendMediaGroup, editMessageMedia). */
export function inputMediaContent(world: World, item: InputMedia, p: Params): { media: MessageMedia; caption?: string; caption_entities?: MessageEntity[] } {
  const kinds: Record<string, FileMediaKind> = { photo: 'photo', video: 'video', document: 'document', audio: 'audio', animation: 'animation' };
  const kind = kinds[item.type];
  if (!kind) throw badRequest(`unsupported media type "${item.type}"`);
  const extra: Record<string, unknown> = {};
  for (const k of ['duration', 'width', 'height', 'performer', 'title']) if (item[k] !== undefined) extra[k] = item[k];
  const media = world.files.resolve(kind, item.media, p.files, 'media', extra);
  if (item.caption === undefined || item.caption === '') return { media };
  const parsed = item.caption_entities ? undefined : applyParseMode(item.caption, item.parse_mode);
  const caption = (parsed?.text ?? item.caption).trim();
  if (caption.length > MAX_CAPTION) throw badRequest('message caption is too long');
  const entities = withDetectedEntities(caption, resolveMentions(world, parsed?.entities ?? item.caption_entities ?? []));
  return { media, caption, ...(entities ? { caption_entities: entities } : {}) };
}

export const sendMethods: MethodTable = {
  sendMessage({ world, params: p }) {
    const target = resolveTarget(world, p);
    const text = requireText(world, p);
    const markup = replyMarkup(p);
    const preview = p.json<Record<string, unknown>>('link_preview_options', 'link preview options');
    checkFlood(world, target.chat);
    const content: MessageContent = { ...text, ...(preview && text.entities?.some((e) => e.type === 'url') ? { link_preview_options: preview } : {}) };
    return sendFromBot(world, target, content, markup);
  },
  sendPhoto: sendMedia('photo'),
  sendDocument: sendMedia('document'),
  sendVideo: sendMedia('video'),
  sendAudio: sendMedia('audio'),
  sendVoice: sendMedia('voice'),
  sendVideoNote: sendMedia('video_note'),
  sendAnimation: sendMedia('animation'),
  sendSticker: sendMedia('sticker'),
  sendLocation: sendPlain('location'),
  sendVenue: sendPlain('venue'),
  sendContact: sendPlain('contact'),

  sendMediaGroup({ world, params: p }) {
    const target = resolveTarget(world, p);
    const items = p.list<InputMedia>('media');
    if (!items || items.length < 2 || items.length > 10) throw badRequest('wrong number of media specified: must be 2-10');
    const types = new Set(items.map((i) => i.type));
    if ((types.has('audio') || types.has('document')) && types.size > 1)
      throw badRequest("MEDIA_GROUP_INVALID: documents and audio can't be mixed with other media");
    const contents = items.map((item) => inputMediaContent(world, item, p));
    const groupId = world.newMediaGroupId();
    const sent: TgMessage[] = [];
    for (const c of contents) {
      checkFlood(world, target.chat);
      sent.push(sendFromBot(world, target, { ...c, media_group_id: groupId }, undefined));
    }
    return sent;
  },

  sendChatAction({ world, params: p }) {
    const chat = world.chatForBot(p.chatId(), { forSending: true });
    const action = p.str('action');
    const known = [
      'typing',
      'upload_photo',
      'record_video',
      'upload_video',
      'record_voice',
      'upload_voice',
      'upload_document',
      'choose_sticker',
      'find_location',
      'record_video_note',
      'upload_video_note',
    ];
    if (!action || !known.includes(action)) throw badRequest('wrong parameter action in request');
    const threadId = p.int('message_thread_id');
    if (threadId !== undefined && chat.type === 'supergroup' && threadId !== 1) world.topicForSending(chat, threadId);
    chat.lastChatAction = { action, date: world.unixNow() };
    return true;
  },
};
