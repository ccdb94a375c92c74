/**
 * Attachments: what the app lets a customer send and how large — the server's rules (bot/miniapp/api/upload.ts)
 * checked before anything is uploaded — and the labelled file input that shows why a file cannot go.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Key } from './i18n.js';
import { useApp } from './ui.js';

export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
export const DOCUMENT_MAX_BYTES = 20 * 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const DOCUMENT_TYPES = [...PHOTO_TYPES, 'image/heic', 'application/pdf', 'text/plain', 'application/zip'];
/** When the browser gives no type (or its own name for it), the extension tells. */
const BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  heic: 'image/heic',
  pdf: 'application/pdf',
  txt: 'text/plain',
  zip: 'application/zip',
};
/** The server keeps this much of a caption. */
export const CAPTION_MAX = 1000;

/** A file the checks let through: sent as a photo, or as a document (other types, or a picture over 10 MB). */
export interface Chosen {
  file: File;
  type: string;
  as: 'photo' | 'document';
}

export type FileCheck = { ok: true; type: string; as: 'photo' | 'document' } | { ok: false; key: Key; vars: Record<string, string | number> };

const megabytes = (bytes: number) => Math.ceil((bytes / 1024 / 1024) * 10) / 10;

/** Whether `file` may be sent, and how; `picturesOnly`: a screenshot (a photo, at most 10 MB). */
export function checkFile(file: { name: string; size: number; type: string }, picturesOnly = false): FileCheck {
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
  const type = DOCUMENT_TYPES.includes(file.type) ? file.type : (BY_EXTENSION[ext] ?? file.type);
  const name = file.name;
  if (picturesOnly ? !PHOTO_TYPES.includes(type) : !DOCUMENT_TYPES.includes(type))
    return { ok: false, key: picturesOnly ? 'attach_not_picture' : 'attach_wrong_type', vars: { name } };
  if (file.size === 0) return { ok: false, key: 'attach_empty', vars: { name } };
  const photo = PHOTO_TYPES.includes(type) && file.size <= PHOTO_MAX_BYTES;
  const max = picturesOnly ? PHOTO_MAX_BYTES : photo ? PHOTO_MAX_BYTES : DOCUMENT_MAX_BYTES;
  if (file.size > max) return { ok: false, key: 'attach_too_large', vars: { name, size: megabytes(file.size), max: megabytes(max) } };
  return { ok: true, type, as: photo ? 'photo' : 'document' };
}

/** The file with the type the server checks (the browser may have given none). */
export const asUpload = (c: Chosen): File => (c.file.type === c.type ? c.file : new File([c.file], c.file.name, { type: c.type }));

/** A labelled file input: a file that may not go is refused at once with the reason, and nothing is kept. */
export function FilePicker({
  id,
  label,
  hint,
  picturesOnly = false,
  chosen,
  onChange,
}: {
  id: string;
  label: string;
  hint: string;
  picturesOnly?: boolean;
  chosen: Chosen | undefined;
  onChange: (c: Chosen | undefined) => void;
}) {
  const { i18n } = useApp();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string>();
  // Sent or removed: the input is empty again.
  useEffect(() => {
    if (!chosen && input.current) input.current.value = '';
  }, [chosen]);
  const pick = (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return onChange(undefined);
    const check = checkFile(file, picturesOnly);
    if (check.ok) {
      setError(undefined);
      onChange({ file, type: check.type, as: check.as });
    } else {
      setError(i18n.t(check.key, check.vars));
      onChange(undefined);
      if (input.current) input.current.value = '';
    }
  };
  return (
    <div class="attach">
      <label for={id}>{label}</label>
      <input
        ref={input}
        type="file"
        id={id}
        accept={(picturesOnly ? PHOTO_TYPES : [...DOCUMENT_TYPES, '.heic', '.zip']).join(',')}
        onChange={pick}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
      />
      <p id={`${id}-hint`} class="hint">
        {hint}
      </p>
      {error && (
        <p id={`${id}-error`} class="field-error" role="alert">
          {error}
        </p>
      )}
      {chosen && (
        <p class="attach-chosen">
          <span aria-hidden="true">📎 </span>
          <span dir="auto">{chosen.file.name}</span>{' '}
          <button type="button" class="button secondary" onClick={() => onChange(undefined)}>
            {i18n.t('attach_remove')}
          </button>
        </p>
      )}
    </div>
  );
}
