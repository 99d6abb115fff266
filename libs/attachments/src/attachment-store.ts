import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AttachmentTooLarge, AttachmentTypeNotAllowed } from './attachment.errors';
import { DEFAULT_ATTACHMENT_TYPES, TextSniffer, detectContentType } from './content-type';

/** What a case's event keeps of a file: the same four fields as the domain's `Attachment`. */
export interface StoredAttachment {
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
  /** hex SHA-256 of the bytes, lower case: the file's name in the store */
  readonly sha256: string;
}

export interface AttachmentStoreOptions {
  /** ATTACHMENTS_DIR (default `<DATA_DIR>/attachments`) */
  readonly dir: string;
  /** ATTACHMENT_MAX_BYTES (default 25 MiB) */
  readonly maxBytes: number;
  /** ATTACHMENT_TYPES; default {@link DEFAULT_ATTACHMENT_TYPES} */
  readonly allowedTypes?: readonly string[];
}

/** An open stored file; the caller reads or destroys `stream`. */
export interface OpenedAttachment {
  readonly stream: Readable;
  readonly size: number;
  readonly contentType: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** what the store knows of a file beside its bytes, in `<sha256>.json` */
interface Description {
  readonly size: number;
  readonly contentType: string;
}

/**
 * A content-addressed store of attachment files on disk. A file is named by the SHA-256 of
 * its bytes, `<dir>/<first 2 hex digits>/<sha256>`, beside `<sha256>.json` (its size and
 * detected type); the same bytes are kept once, whatever their names. A file is written to
 * `<dir>/.tmp/` first, counted, hashed and typed on the way, and renamed into place only when
 * accepted: a reader never sees a partial file, and a refused or failed one leaves nothing.
 *
 * The store knows nothing of cases or access: who may put and read what is the API's
 * (`apps/api/src/attachments/`); a file is reachable only through a case event naming it.
 */
export class AttachmentStore {
  readonly maxBytes: number;
  readonly allowedTypes: readonly string[];
  private readonly dir: string;
  private readonly tmpDir: string;

  constructor(options: AttachmentStoreOptions) {
    this.dir = options.dir;
    this.tmpDir = join(options.dir, '.tmp');
    this.maxBytes = options.maxBytes;
    this.allowedTypes = (options.allowedTypes ?? DEFAULT_ATTACHMENT_TYPES).map((t) => t.toLowerCase());
  }

  /**
   * Removes what a crashed process left in `<dir>/.tmp/` (a write cut by a kill -9 or a power
   * loss never reaches its rename, so nothing names it): the files last modified more than
   * `olderThanMs` ago, so that a write in flight in another process is left alone. Answers
   * how many were removed. The apps call it at start (AttachmentsModule).
   */
  async sweepLeftovers(now: Date, olderThanMs = 60 * 60_000): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.tmpDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    let removed = 0;
    for (const name of names) {
      const path = join(this.tmpDir, name);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile() || now.getTime() - info.mtimeMs <= olderThanMs) continue;
      await removeIfThere(path);
      removed += 1;
    }
    return removed;
  }

  /**
   * Stores the bytes (a stream is read to its end, or until it passes `maxBytes`: then
   * {@link AttachmentTooLarge} at once, the stream destroyed) and answers what an event keeps
   * of them. The type comes from the bytes ({@link detectContentType}); one not in
   * `allowedTypes` is {@link AttachmentTypeNotAllowed}. `name` is only cleaned ({@link attachmentName}).
   */
  async put(content: Buffer | Readable, name: string): Promise<StoredAttachment> {
    if (Buffer.isBuffer(content) && content.length > this.maxBytes) throw new AttachmentTooLarge(this.maxBytes);
    await mkdir(this.tmpDir, { recursive: true });
    const tmp = join(this.tmpDir, `${randomUUID()}.part`);
    try {
      const { sha256, size, contentType } = await this.write(content, tmp);
      if (!this.allowedTypes.includes(contentType)) throw new AttachmentTypeNotAllowed(contentType, this.allowedTypes);
      if (await this.has(sha256)) {
        await removeIfThere(tmp); // de-duplicated: the same bytes are there already
      } else {
        await mkdir(this.shardOf(sha256), { recursive: true });
        await this.writeDescription(sha256, { size, contentType });
        await rename(tmp, this.pathOf(sha256)); // the commit point: complete, or not there
      }
      return { name: attachmentName(name), size, contentType, sha256 };
    } catch (e) {
      await removeIfThere(tmp);
      throw e;
    }
  }

  /** Whether the bytes of this hash are stored (any text that is not a lowercase hex SHA-256: no). */
  async has(sha256: string): Promise<boolean> {
    const key = keyOf(sha256);
    if (!key) return false;
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  /** The stored file's size and type, or undefined when it is not stored. */
  async describe(sha256: string): Promise<Omit<StoredAttachment, 'name'> | undefined> {
    const key = keyOf(sha256);
    if (!key || !(await this.has(key))) return undefined;
    const { size, contentType } = await this.readDescription(key);
    return { size, contentType, sha256: key };
  }

  /** A stream of the stored bytes with their size and type, or undefined when not stored. */
  async open(sha256: string): Promise<OpenedAttachment | undefined> {
    const key = keyOf(sha256);
    if (!key) return undefined;
    let handle;
    try {
      handle = await open(this.pathOf(key), 'r');
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    try {
      const { size } = await handle.stat();
      const { contentType } = await this.readDescription(key);
      return { stream: handle.createReadStream(), size, contentType };
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  private async write(content: Buffer | Readable, tmp: string) {
    const hash = createHash('sha256');
    const sniffer = new TextSniffer();
    const maxBytes = this.maxBytes;
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new AttachmentTooLarge(maxBytes));
        hash.update(chunk);
        sniffer.feed(chunk);
        done(null, chunk);
      },
    });
    const source = Buffer.isBuffer(content) ? Readable.from([content]) : content;
    // opened before any byte is read: a write stream opening the file itself could create it
    // after a refusal had already failed the pipeline and found nothing to remove
    const file = await open(tmp, 'wx', 0o640);
    // flush: the bytes are on disk before the rename makes them visible
    await pipeline(source, meter, createWriteStream(tmp, { fd: file, flush: true }));
    const { textLike, head } = sniffer.finish();
    const contentType = await detectContentType(tmp, { textLike, head, size });
    return { sha256: hash.digest('hex'), size, contentType };
  }

  private shardOf(key: string): string {
    return join(this.dir, key.slice(0, 2));
  }

  private pathOf(key: string): string {
    return join(this.shardOf(key), key);
  }

  private async writeDescription(key: string, description: Description): Promise<void> {
    const tmp = join(this.tmpDir, `${randomUUID()}.json`);
    try {
      await writeFile(tmp, JSON.stringify(description), { flag: 'wx', mode: 0o640, flush: true });
      await rename(tmp, `${this.pathOf(key)}.json`);
    } catch (e) {
      await removeIfThere(tmp);
      throw e;
    }
  }

  private async readDescription(key: string): Promise<Description> {
    return JSON.parse(await readFile(`${this.pathOf(key)}.json`, 'utf8')) as Description;
  }
}

const keyOf = (sha256: string): string | undefined => {
  const key = typeof sha256 === 'string' ? sha256.toLowerCase() : '';
  return SHA256.test(key) ? key : undefined;
};

const isNotFound = (e: unknown) => (e as NodeJS.ErrnoException)?.code === 'ENOENT';

const removeIfThere = async (path: string) => {
  try {
    await unlink(path);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
};

/** the longest name kept, in UTF-16 code units (the API's `attachments[].name` allows 255) */
export const ATTACHMENT_NAME_MAX = 255;

const PATH = /^.*[/\\]/s;
/** control characters and the bidirectional overrides that make a name read as another */
const INVISIBLE = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The name an attachment is kept under: what follows the last `/` or `\`, without control
 * or bidirectional-override characters, trimmed, at most {@link ATTACHMENT_NAME_MAX} code units
 * (whole characters); `attachment` when nothing is left. Only ever a label: never a path.
 */
export const attachmentName = (name: string): string => {
  const cleaned = String(name ?? '')
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(PATH, '')
    .replace(INVISIBLE, '')
    .trim();
  let kept = '';
  for (const char of cleaned) {
    if (kept.length + char.length > ATTACHMENT_NAME_MAX) break;
    kept += char;
  }
  kept = kept.trim();
  return kept === '' || kept === '.' || kept === '..' ? 'attachment' : kept;
};
