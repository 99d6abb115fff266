import { readFile } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

/**
 * The types accepted when ATTACHMENT_TYPES is not set: what a support case is sent (logs
 * and text, HAR and other JSON, XML, screenshots, PDF, archives of logs, a forwarded e-mail).
 * Left out on purpose: HTML and SVG (they run script when opened; uploaded, they are text,
 * so `text/plain`), office documents (macros), executables and everything file-type names
 * that is not listed here. Every entry is a type {@link detectContentType} can answer.
 */
export const DEFAULT_ATTACHMENT_TYPES: readonly string[] = [
  'text/plain',
  'application/json',
  'application/xml',
  'message/rfc822',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'application/zip',
  'application/gzip',
];

/** what is kept of the first bytes to tell JSON and e-mail from plain text */
export const HEAD_BYTES = 64 * 1024;

/** A JSON document is parsed whole to be called JSON; above this, valid UTF-8 is `text/plain`. */
export const JSON_PARSE_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Watches bytes go by, in chunks: is the whole valid UTF-8 without a NUL byte (text-like),
 * and what were the first {@link HEAD_BYTES}. Nothing but the head is kept.
 */
export class TextSniffer {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;
  private valid = true;

  feed(chunk: Buffer): void {
    if (this.headLength < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headLength);
      this.headChunks.push(part);
      this.headLength += part.length;
    }
    if (!this.valid) return;
    if (chunk.includes(0)) {
      this.valid = false;
      return;
    }
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.valid = false;
    }
  }

  /** Ends the input: a multi-byte sequence cut at the end is not UTF-8. */
  finish(): { readonly textLike: boolean; readonly head: Buffer } {
    if (this.valid) {
      try {
        this.decoder.decode();
      } catch {
        this.valid = false;
      }
    }
    return { textLike: this.valid, head: Buffer.concat(this.headChunks) };
  }
}

/**
 * Types file-type finds by a signature that is itself text: believed of text-like bytes too.
 * Any other signature found in valid UTF-8 without NUL is a coincidence ("BMW …" starts like
 * a BMP, "MZ …" like an executable), and the bytes are classified as text.
 */
const TEXTUAL_SIGNATURES: ReadonlySet<string> = new Set([
  'application/pdf',
  'application/xml',
  'application/rtf',
  'application/postscript',
  'text/calendar',
  'text/vcard',
  'text/vtt',
]);

/** the part of file-type's API used here */
type FileTypeModule = { fileTypeFromFile(path: string): Promise<{ mime: string } | undefined> };

/**
 * file-type is ESM only; Node loads it from our CommonJS (require(esm)), once. Its types are
 * published for the node16 resolution only, hence a specifier TypeScript does not resolve.
 */
const FILE_TYPE_PACKAGE = 'file-type';
let fileTypeModule: Promise<FileTypeModule> | undefined;
const fileType = (): Promise<FileTypeModule> =>
  (fileTypeModule ??= import(FILE_TYPE_PACKAGE) as Promise<FileTypeModule>);

/**
 * The media type of a stored file, from its bytes only (never from a name):
 * 1. what the `file-type` package recognises by its signature (PNG, JPEG, PDF, zip, …),
 *    unless the bytes are text-like and the signature a binary one (above);
 * 2. text-like bytes (valid UTF-8, no NUL): `application/json` when the whole parses as JSON
 *    (a HAR is JSON; up to {@link JSON_PARSE_MAX_BYTES}), `message/rfc822` when it begins
 *    with a header section naming `From` and one of `Date`, `Subject`, `Message-ID`, `To`
 *    (an .eml file), else `text/plain`;
 * 3. anything else: `application/octet-stream`.
 */
export const detectContentType = async (
  path: string,
  sniffed: { readonly textLike: boolean; readonly head: Buffer; readonly size: number },
): Promise<string> => {
  const found = sniffed.size === 0 ? undefined : await (await fileType()).fileTypeFromFile(path);
  if (found && (!sniffed.textLike || TEXTUAL_SIGNATURES.has(found.mime))) return found.mime;
  if (!sniffed.textLike) return 'application/octet-stream';
  if (await isJson(path, sniffed)) return 'application/json';
  if (isEmail(sniffed.head)) return 'message/rfc822';
  return 'text/plain';
};

const BOM = '\ufeff';

const isJson = async (path: string, sniffed: { readonly head: Buffer; readonly size: number }): Promise<boolean> => {
  const start = new StringDecoder('utf8').write(sniffed.head.subarray(0, 64)).replace(BOM, '').trimStart();
  if (!start.startsWith('{') && !start.startsWith('[')) return false;
  if (sniffed.size > JSON_PARSE_MAX_BYTES) return false;
  try {
    JSON.parse((await readFile(path, 'utf8')).replace(/^\ufeff/, ''));
    return true;
  } catch {
    return false;
  }
};

const HEADER_FIELD = /^([!-9;-~]+):/;
const MAIL_FIELDS = ['date', 'subject', 'message-id', 'to'];

/** An RFC 5322 header section, ended by an empty line within the head, that names From. */
const isEmail = (head: Buffer): boolean => {
  const text = head.toString('latin1');
  const end = /\r?\n\r?\n/.exec(text);
  if (!end) return false;
  const lines = text.slice(0, end.index).split(/\r?\n/);
  const names = new Set<string>();
  for (const [i, line] of lines.entries()) {
    const field = HEADER_FIELD.exec(line);
    if (field) names.add(field[1].toLowerCase());
    else if (i === 0 || !/^[ \t]/.test(line)) return false;
  }
  return names.has('from') && MAIL_FIELDS.some((name) => names.has(name));
};
