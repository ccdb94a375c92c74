/**
 * Attachments from the Mini App: a small multipart/form-data reader (the app sends one file and a caption;
 * no dependency for that), and the rules — what may be sent as a photo or a document, and how large.
 * Telegram's own limits set ours: a photo up to 10 MB (sendPhoto), a document up to 20 MB here (bots may
 * send 50 MB; a support request's screenshot or PDF needs far less).
 */
import { AppError } from './context.js';

export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
export const DOCUMENT_MAX_BYTES = 20 * 1024 * 1024;
/** The whole request body: the largest file and its form around it. */
export const UPLOAD_BODY_LIMIT = DOCUMENT_MAX_BYTES + 64 * 1024;

const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
const DOCUMENT_TYPES = new Set(['application/pdf', 'text/plain', 'image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/zip']);

export interface UploadedFile {
  name: string;
  type: string;
  data: Buffer;
}

export interface Upload {
  fields: Record<string, string>;
  file: UploadedFile | undefined;
}

export function parseUpload(body: Buffer, contentType: string | undefined): Upload {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = m ? (m[1] ?? m[2]) : undefined;
  if (!boundary) throw new AppError(400, 'a multipart/form-data body with a boundary is expected');
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter has no CRLF before it: read the body as if it had one.
  const data = Buffer.concat([Buffer.from('\r\n'), body]);
  const fields: Record<string, string> = {};
  let file: UploadedFile | undefined;
  let pos = data.indexOf(delimiter);
  if (pos === -1) throw new AppError(400, 'the multipart body has no parts');
  for (;;) {
    const start = pos + delimiter.length;
    if (data.subarray(start, start + 2).toString() === '--') break; // the closing delimiter
    const headerEnd = data.indexOf('\r\n\r\n', start);
    const next = data.indexOf(delimiter, start);
    if (headerEnd === -1 || next === -1 || headerEnd > next) throw new AppError(400, 'the multipart body is malformed');
    const headers = data.subarray(start + 2, headerEnd).toString('utf8');
    const content = data.subarray(headerEnd + 4, next);
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw new AppError(400, 'a multipart part has no name');
    if (filename !== undefined) {
      if (file) throw new AppError(400, 'one file per message');
      const type = (/content-type:\s*([^\s;]+)/i.exec(headers)?.[1] ?? 'application/octet-stream').toLowerCase();
      file = { name: filename.replace(/[\\/]/g, '_').slice(0, 128) || 'file', type, data: Buffer.from(content) };
    } else fields[name] = content.toString('utf8');
    pos = next;
  }
  return { fields, file };
}

/** How the file goes to the topic, or a 400/413 with the reason. */
export function attachmentKind(file: UploadedFile, as: string | undefined): 'photo' | 'document' {
  const kind = as === 'document' || !PHOTO_TYPES.has(file.type) ? 'document' : 'photo';
  if (file.data.length === 0) throw new AppError(400, 'the file is empty');
  if (kind === 'photo' && file.data.length > PHOTO_MAX_BYTES) throw new AppError(413, 'a photo may be at most 10 MB');
  if (kind === 'document' && !DOCUMENT_TYPES.has(file.type))
    throw new AppError(400, `files of type ${file.type.slice(0, 64)} cannot be sent; photos (JPEG, PNG, WebP), PDF, text or ZIP can`);
  if (file.data.length > DOCUMENT_MAX_BYTES) throw new AppError(413, 'a file may be at most 20 MB');
  return kind;
}
