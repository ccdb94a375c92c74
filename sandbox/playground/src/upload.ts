/**
 * A file picked in the browser, as the control API takes media: the sandbox
 * stores no bytes (see sandbox/media.ts), only what Telegram would report —
 * a photo's dimensions, a document's name, type and size — so that is all the
 * page sends. The picture itself stays in the page as a local preview.
 */
import type { CustomerMessageInput } from '../../client.js';
import { fileSize } from './dom.js';

export interface PreparedUpload {
  kind: 'photo' | 'document';
  fileName: string;
  mimeType: string;
  size: number;
  width?: number;
  height?: number;
  /** An object URL of the picture, for photos. */
  previewUrl?: string;
  label: string;
}

/** Telegram takes files up to 2 GB from a user. */
export const MAX_FILE_BYTES = 2 * 1024 ** 3;
/** Larger pictures go as files, as Telegram's clients send them. */
export const MAX_PHOTO_BYTES = 10 * 1024 ** 2;
/** Telegram keeps a compressed photo's longest side at most this many pixels. */
const PHOTO_MAX_SIDE = 1280;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

async function dimensions(file: File): Promise<{ width: number; height: number } | undefined> {
  try {
    const bitmap = await createImageBitmap(file);
    const d = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return d;
  } catch {
    return undefined; // not decodable: send it as a file
  }
}

export async function prepareUpload(file: File): Promise<PreparedUpload> {
  if (file.size > MAX_FILE_BYTES) throw new Error(`${file.name} is ${fileSize(file.size)}; Telegram takes files up to 2 GB`);
  const base = { fileName: file.name || 'file', mimeType: file.type || 'application/octet-stream', size: file.size };
  const d = PHOTO_TYPES.has(file.type) && file.size <= MAX_PHOTO_BYTES ? await dimensions(file) : undefined;
  if (!d) return { kind: 'document', ...base, label: `📄 ${base.fileName} · ${fileSize(file.size)}` };
  const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(d.width, d.height));
  const width = Math.max(1, Math.round(d.width * scale));
  const height = Math.max(1, Math.round(d.height * scale));
  return { kind: 'photo', ...base, width, height, previewUrl: URL.createObjectURL(file), label: `Photo · ${width}×${height} · ${fileSize(file.size)}` };
}

/** The media part of a control API message body. */
export function uploadBody(u: PreparedUpload): Pick<CustomerMessageInput, 'photo' | 'document'> {
  return u.kind === 'photo'
    ? { photo: { width: u.width, height: u.height, file_size: u.size } }
    : { document: { file_name: u.fileName, mime_type: u.mimeType, file_size: u.size } };
}
