/**
 * A small multipart/form-data parser for Bot API calls.
 *
 * grammY uploads InputFile as multipart with bare, unquoted header values
 * (`content-disposition:form-data;name="x";filename=photo.jpg`), which strict
 * parsers reject; Telegram accepts it, so the sandbox parses leniently.
 */
export interface UploadedFile {
  fieldName: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: Map<string, UploadedFile>;
}

export function boundaryOf(contentType: string): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartBody {
  const fields: Record<string, string> = {};
  const files = new Map<string, UploadedFile>();
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    // "--" after the delimiter closes the body.
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break;
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    // The part ends before the CRLF that precedes the next delimiter.
    const end = body[next - 2] === 0x0d && body[next - 1] === 0x0a ? next - 2 : next;
    readPart(body.subarray(start, end), fields, files);
    pos = next;
  }
  return { fields, files };
}

function readPart(part: Buffer, fields: Record<string, string>, files: Map<string, UploadedFile>) {
  const headerEnd = part.indexOf('\r\n\r\n');
  if (headerEnd === -1) return;
  const headers = part.subarray(0, headerEnd).toString('utf8');
  const content = part.subarray(headerEnd + 4);
  const name = headerParam(headers, 'name');
  if (name === undefined) return;
  const filename = headerParam(headers, 'filename');
  if (filename === undefined) {
    fields[name] = content.toString('utf8');
    return;
  }
  const contentType = /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
  files.set(name, { fieldName: name, filename, contentType, size: content.length });
}

function headerParam(headers: string, param: string): string | undefined {
  const m = new RegExp(`[;\\s]${param}=(?:"([^"]*)"|([^;\\r\\n]*))`, 'i').exec(headers);
  return m ? (m[1] ?? m[2]?.trim()) : undefined;
}
