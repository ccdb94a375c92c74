/**
 * Media in Telegram's shapes. The sandbox stores no bytes: an upload becomes a
 * fake file with realistic metadata and ids, and file_ids sent back by the bot
 * resolve to the same objects, so copies and re-sends keep their media.
 */
import type { Animation, Audio, Contact, Dice, Poll, Document, Location, PhotoSize, Sticker, Venue, Video, VideoNote, Voice } from 'grammy/types';
import { badRequest, TelegramErrors } from './errors.js';
import { newFileIds, newPollSerial } from './ids.js';
import type { UploadedFile } from './multipart.js';

export const FILE_MEDIA_KINDS = ['photo', 'document', 'video', 'audio', 'voice', 'video_note', 'animation', 'sticker'] as const;
export const PLAIN_MEDIA_KINDS = ['location', 'venue', 'contact', 'poll', 'dice'] as const;
export type PlainMediaKind = (typeof PLAIN_MEDIA_KINDS)[number];
export const MEDIA_KINDS = [...FILE_MEDIA_KINDS, ...PLAIN_MEDIA_KINDS] as const;
export type FileMediaKind = (typeof FILE_MEDIA_KINDS)[number];
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** The media fields a Message may carry. `animation` also sets `document`, `venue` also sets `location`, as Telegram does. */
export interface MessageMedia {
  photo?: PhotoSize[];
  document?: Document;
  video?: Video;
  audio?: Audio;
  voice?: Voice;
  video_note?: VideoNote;
  animation?: Animation;
  sticker?: Sticker;
  location?: Location;
  venue?: Venue;
  contact?: Contact;
  poll?: Poll;
  dice?: Dice;
}

/** Which media kind a message carries (animation wins over its compatibility document, venue over location). */
export function mediaKindOf(m: MessageMedia): MediaKind | undefined {
  if (m.animation) return 'animation';
  if (m.venue) return 'venue';
  for (const k of MEDIA_KINDS) if (m[k] !== undefined) return k;
  return undefined;
}

export function pickMedia(m: MessageMedia): MessageMedia {
  const out: MessageMedia = {};
  for (const k of MEDIA_KINDS) if (m[k] !== undefined) (out as Record<string, unknown>)[k] = m[k];
  return out;
}

type Spec = Record<string, unknown>;
const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const defined = <T extends object>(o: T): T => {
  for (const k of Object.keys(o)) if ((o as Record<string, unknown>)[k] === undefined) delete (o as Record<string, unknown>)[k];
  return o;
};

const DEFAULT_MIME: Partial<Record<FileMediaKind, string>> = {
  document: 'application/octet-stream',
  video: 'video/mp4',
  audio: 'audio/mpeg',
  voice: 'audio/ogg',
  animation: 'video/mp4',
};

/** Builds a fresh file-backed media object of `kind`; `spec` overrides metadata (file_name, duration, width…). */
export function makeFileMedia(kind: FileMediaKind, spec: Spec = {}, size?: number): MessageMedia {
  const file_size = size ?? num(spec.file_size, 24_576);
  switch (kind) {
    case 'photo': {
      const w = num(spec.width, 1280);
      const h = num(spec.height, 960);
      // Telegram returns several scaled copies, smallest first.
      const scales = [90 / Math.max(w, h), 320 / Math.max(w, h), 800 / Math.max(w, h), 1];
      const seen = new Set<string>();
      const sizes: PhotoSize[] = [];
      for (const s of scales) {
        const width = Math.max(1, Math.round(w * Math.min(1, s)));
        const height = Math.max(1, Math.round(h * Math.min(1, s)));
        if (seen.has(`${width}x${height}`)) continue;
        seen.add(`${width}x${height}`);
        sizes.push({ ...newFileIds('photo'), file_size: Math.max(1, Math.round(file_size * Math.min(1, s * s))), width, height });
      }
      return { photo: sizes };
    }
    case 'document':
      return {
        document: defined({
          ...newFileIds('document'),
          file_name: str(spec.file_name) ?? 'document.dat',
          mime_type: str(spec.mime_type) ?? mimeFromName(str(spec.file_name)) ?? DEFAULT_MIME.document,
          file_size,
        }),
      };
    case 'video':
      return {
        video: defined({
          ...newFileIds('video'),
          width: num(spec.width, 1280),
          height: num(spec.height, 720),
          duration: num(spec.duration, 12),
          file_name: str(spec.file_name),
          mime_type: str(spec.mime_type) ?? DEFAULT_MIME.video,
          file_size,
        }),
      };
    case 'audio':
      return {
        audio: defined({
          ...newFileIds('audio'),
          duration: num(spec.duration, 180),
          performer: str(spec.performer),
          title: str(spec.title),
          file_name: str(spec.file_name),
          mime_type: str(spec.mime_type) ?? DEFAULT_MIME.audio,
          file_size,
        }),
      };
    case 'voice':
      return { voice: { ...newFileIds('voice'), duration: num(spec.duration, 5), mime_type: str(spec.mime_type) ?? 'audio/ogg', file_size } };
    case 'video_note':
      return { video_note: { ...newFileIds('video_note'), length: num(spec.length, 384), duration: num(spec.duration, 8), file_size } };
    case 'animation': {
      const ids = newFileIds('animation');
      const file_name = str(spec.file_name) ?? 'animation.mp4';
      const mime_type = str(spec.mime_type) ?? 'video/mp4';
      const animation: Animation = {
        ...ids,
        width: num(spec.width, 480),
        height: num(spec.height, 270),
        duration: num(spec.duration, 3),
        file_name,
        mime_type,
        file_size,
      };
      return { animation, document: { ...ids, file_name, mime_type, file_size } };
    }
    case 'sticker':
      return {
        sticker: defined({
          ...newFileIds('sticker'),
          type: 'regular' as const,
          width: num(spec.width, 512),
          height: num(spec.height, 512),
          is_animated: spec.is_animated === true,
          is_video: spec.is_video === true,
          emoji: str(spec.emoji) ?? '👍',
          set_name: str(spec.set_name),
          file_size: size ?? num(spec.file_size, 18_000),
        }),
      };
  }
}

function mimeFromName(name: string | undefined): string | undefined {
  const ext = name?.split('.').pop()?.toLowerCase();
  const table: Record<string, string> = {
    pdf: 'application/pdf',
    txt: 'text/plain',
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    zip: 'application/zip',
    json: 'application/json',
    csv: 'text/csv',
    mp4: 'video/mp4',
    log: 'text/plain',
    doc: 'application/msword',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  };
  return ext ? table[ext] : undefined;
}

/** Location/venue/contact built from the fields a caller gives (control API or Bot API). */
export function makePlainMedia(kind: PlainMediaKind, spec: Spec): MessageMedia {
  switch (kind) {
    case 'location': {
      const latitude = spec.latitude;
      const longitude = spec.longitude;
      if (typeof latitude !== 'number' || typeof longitude !== 'number') throw badRequest('wrong latitude or longitude specified');
      return {
        location: defined({ latitude, longitude, horizontal_accuracy: typeof spec.horizontal_accuracy === 'number' ? spec.horizontal_accuracy : undefined }),
      };
    }
    case 'venue': {
      const loc = (spec.location as Spec | undefined) ?? spec;
      const { location } = makePlainMedia('location', loc);
      const title = str(spec.title);
      const address = str(spec.address);
      if (!title || !address) throw badRequest('venue title and address must be non-empty');
      return {
        venue: defined({ location: location!, title, address, foursquare_id: str(spec.foursquare_id), google_place_id: str(spec.google_place_id) }),
        location,
      };
    }
    case 'contact': {
      const phone_number = str(spec.phone_number);
      const first_name = str(spec.first_name);
      if (!phone_number) throw badRequest('phone number is empty');
      if (!first_name) throw badRequest('first name is empty');
      return {
        contact: defined({
          phone_number,
          first_name,
          last_name: str(spec.last_name),
          user_id: typeof spec.user_id === 'number' ? spec.user_id : undefined,
          vcard: str(spec.vcard),
        }),
      };
    }
    case 'poll': {
      const question = str(spec.question);
      const options = Array.isArray(spec.options) ? spec.options.map(String) : [];
      if (!question) throw badRequest('poll question must be non-empty');
      if (options.length < 2 || options.length > 10) throw badRequest('poll must have 2-10 options');
      const type = spec.type === 'quiz' ? 'quiz' : 'regular';
      // A quiz's answer is known only when it was created in this chat; a forwarded quiz has none
      // (and then cannot be copied, as in Telegram).
      const correct = Array.isArray(spec.correct_option_ids)
        ? spec.correct_option_ids.map(Number)
        : typeof spec.correct_option_id === 'number'
          ? [spec.correct_option_id]
          : undefined;
      const id = newPollSerial();
      const poll: Poll = {
        id: String(5_000_000_000_000_000_000n + BigInt(id)),
        question,
        options: options.map((text, i) => ({ persistent_id: `${id}_${i}`, text, voter_count: 0 })),
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: spec.is_anonymous !== false,
        type,
        allows_multiple_answers: spec.allows_multiple_answers === true,
        allows_revoting: false,
        members_only: false,
      };
      if (type === 'quiz' && correct) poll.correct_option_ids = correct;
      return { poll };
    }
    case 'dice': {
      const emoji = str(spec.emoji) ?? '🎲';
      const max = emoji === '🎰' ? 64 : emoji === '🎯' || emoji === '🎲' || emoji === '🎳' ? 6 : 5;
      const value = typeof spec.value === 'number' ? spec.value : 1 + Math.floor(Math.random() * max);
      return { dice: { emoji, value } };
    }
  }
}

/** Every file the sandbox has seen, by file_id, so the bot can re-send by id. */
export class FileRegistry {
  private readonly byId = new Map<string, { kind: FileMediaKind; media: MessageMedia }>();

  remember(media: MessageMedia): void {
    const kind = mediaKindOf(media);
    if (!kind || !(FILE_MEDIA_KINDS as readonly string[]).includes(kind)) return;
    const k = kind as FileMediaKind;
    if (k === 'photo') for (const p of media.photo ?? []) this.byId.set(p.file_id, { kind: k, media });
    else this.byId.set((media[k] as { file_id: string }).file_id, { kind: k, media });
  }

  lookup(fileId: string): { kind: FileMediaKind; media: MessageMedia } | undefined {
    return this.byId.get(fileId);
  }

  clear(): void {
    this.byId.clear();
  }

  /**
   * Resolves a Bot API media parameter — a file_id, an HTTP URL, `attach://name`
   * or a multipart file field — into media of `kind`. Unknown ids fail like Telegram.
   */
  resolve(kind: FileMediaKind, value: unknown, files: Map<string, UploadedFile>, field: string, extra: Spec = {}): MessageMedia {
    let upload: UploadedFile | undefined;
    if (typeof value === 'string' && value.startsWith('attach://')) {
      upload = files.get(value.slice('attach://'.length));
      if (!upload) throw badRequest(`wrong file identifier/HTTP URL specified`);
    } else if (value === undefined) {
      upload = files.get(field);
      if (!upload) throw badRequest(`there is no ${field} in the request`);
    }
    if (upload) {
      const fileName =
        upload.filename && !/^(photo|document|video|audio|voice|video_note|animation|sticker)\.\w+$/.test(upload.filename) ? upload.filename : undefined;
      const media = makeFileMedia(
        kind,
        {
          ...extra,
          file_name: extra.file_name ?? fileName ?? (kind === 'document' ? upload.filename : undefined),
          mime_type: upload.contentType !== 'application/octet-stream' ? upload.contentType : undefined,
        },
        upload.size,
      );
      this.remember(media);
      return media;
    }
    if (typeof value !== 'string' || value === '') throw TelegramErrors.wrongFileId();
    if (/^https?:\/\//.test(value)) {
      const media = makeFileMedia(kind, { ...extra, file_name: extra.file_name ?? value.split('/').pop()?.split('?')[0] });
      this.remember(media);
      return media;
    }
    const known = this.lookup(value);
    if (!known) throw TelegramErrors.wrongFileId();
    if (known.kind !== kind && !(kind === 'document' && known.kind !== 'photo')) {
      // Telegram refuses e.g. a voice file_id given to sendPhoto.
      throw badRequest(`wrong file type specified: can't use file of type ${known.kind === 'video_note' ? 'VideoNote' : known.kind} as ${kind}`);
    }
    if (known.kind === kind) return known.media;
    const doc = known.media[known.kind] as { file_id: string; file_unique_id: string; file_size?: number; file_name?: string; mime_type?: string };
    return {
      document: defined({
        file_id: doc.file_id,
        file_unique_id: doc.file_unique_id,
        file_name: doc.file_name,
        mime_type: doc.mime_type,
        file_size: doc.file_size,
      }),
    };
  }
}
