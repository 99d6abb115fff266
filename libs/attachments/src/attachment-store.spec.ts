import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { AttachmentStore, attachmentName } from './attachment-store';
import { AttachmentTooLarge, AttachmentTypeNotAllowed } from './attachment.errors';

const sha256Of = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** a 1×1 PNG */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from(
  '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n',
  'latin1',
);
const EMPTY_ZIP = Buffer.concat([Buffer.from('PK\x05\x06'), Buffer.alloc(18)]);
const LOG = Buffer.from('2026-03-02T10:00:00Z ERROR sso: token expired for ada@acme.example\n');
const HAR = Buffer.from(JSON.stringify({ log: { version: '1.2', creator: { name: 'browser' }, entries: [] } }));
const EML = Buffer.from(
  'From: Ada <ada@acme.example>\r\nTo: support@vendor.example\r\nSubject: Login\r\n fails again\r\n' +
    'Date: Mon, 2 Mar 2026 10:00:00 +0000\r\n\r\nHello,\r\nit fails.\r\n',
);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]);

describe('AttachmentStore', () => {
  let dir: string;
  let store: AttachmentStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'attachments-'));
    store = new AttachmentStore({ dir, maxBytes: 1_000 });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** every file under the store's directory (the temporary ones included) */
  const filesIn = async (): Promise<string[]> =>
    (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
      .sort();

  it('stores a file under its SHA-256, in a shard directory, and answers what an event keeps of it', async () => {
    const stored = await store.put(LOG, 'sso.log');
    const sha256 = sha256Of(LOG);
    expect(stored).toEqual({ name: 'sso.log', size: LOG.length, contentType: 'text/plain', sha256 });
    expect(await filesIn()).toEqual([`${sha256.slice(0, 2)}/${sha256}`, `${sha256.slice(0, 2)}/${sha256}.json`]);
    expect(await readFile(join(dir, sha256.slice(0, 2), sha256))).toEqual(LOG);
    expect(await store.has(sha256)).toBe(true);
    expect(await store.has(sha256.toUpperCase())).toBe(true);
    expect(await store.describe(sha256)).toEqual({ size: LOG.length, contentType: 'text/plain', sha256 });

    const opened = await store.open(sha256);
    expect(opened).toMatchObject({ size: LOG.length, contentType: 'text/plain' });
    expect(await text(opened!.stream)).toBe(LOG.toString());
  });

  it('reads a stream to its end', async () => {
    const chunks = [LOG.subarray(0, 10), LOG.subarray(10, 11), LOG.subarray(11)];
    expect(await store.put(Readable.from(chunks), 'sso.log')).toMatchObject({
      sha256: sha256Of(LOG),
      size: LOG.length,
    });
  });

  it('keeps the same bytes once, whatever their names', async () => {
    const first = await store.put(LOG, 'first.log');
    const second = await store.put(Readable.from([LOG]), 'second.txt');
    expect(second).toEqual({ ...first, name: 'second.txt' });
    expect(await filesIn()).toHaveLength(2); // the file and its description, once
  });

  describe('the type, from the bytes and never from the name', () => {
    it.each([
      ['a PNG', PNG, 'screenshot.txt', 'image/png'],
      ['a PDF', PDF, 'report.log', 'application/pdf'],
      ['a zip archive', EMPTY_ZIP, 'logs.pdf', 'application/zip'],
      ['gzip', gzipSync('2026-03-02 INFO started\n'), 'app.log', 'application/gzip'],
      ['a log', LOG, 'trace.png', 'text/plain'],
      ['a HAR', HAR, 'session.har', 'application/json'],
      ['a JSON array after a BOM', Buffer.from('\ufeff  [1, 2, {"a": null}]'), 'x', 'application/json'],
      ['an e-mail', EML, 'message.eml', 'message/rfc822'],
      ['text that begins like a BMP', Buffer.from('BMW fleet sync failed\n'), 'fleet.log', 'text/plain'],
      ['text that begins like an executable', Buffer.from('MZ-7 controller: reset\n'), 'mz7.log', 'text/plain'],
      ['text that looks like JSON but is not', Buffer.from('{"cut": "short'), 'x.json', 'text/plain'],
      [
        'HTML (as text, never as a page)',
        Buffer.from('<html><script>alert(1)</script></html>'),
        'x.html',
        'text/plain',
      ],
      [
        'UTF-8 text cut anywhere in chunks',
        Buffer.from('Zoë, ünïcödé, 日本語, 😀\n'.repeat(20)),
        'u.txt',
        'text/plain',
      ],
      ['an empty file', Buffer.alloc(0), 'empty.txt', 'text/plain'],
    ])('%s is what its bytes say', async (_what, bytes, name, contentType) => {
      const chunked = Readable.from(
        Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7)),
      );
      expect(await store.put(chunked, name)).toMatchObject({ name, contentType, size: bytes.length });
    });

    it.each([
      ['an executable', EXE, 'application/x-msdownload'],
      ['text with a NUL byte', Buffer.from('line one\u0000line two\n'), 'application/octet-stream'],
      [
        'bytes that are not UTF-8 and have no known signature',
        Buffer.from([0x41, 0xff, 0xfe, 0x42]),
        'application/octet-stream',
      ],
      ['a multi-byte sequence cut at the end', Buffer.from('caf\xc3', 'latin1'), 'application/octet-stream'],
    ])('%s is refused (415) and nothing is kept', async (_what, bytes, contentType) => {
      const refused = await store.put(bytes, 'readme.txt').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AttachmentTypeNotAllowed);
      expect(refused).toMatchObject({ status: 415, code: 'ATTACHMENT.TYPE_NOT_ALLOWED', contentType });
      expect(await filesIn()).toEqual([]);
      expect(await store.has(sha256Of(bytes))).toBe(false);
    });

    it('allows only the configured types', async () => {
      const imagesOnly = new AttachmentStore({ dir, maxBytes: 1_000, allowedTypes: ['IMAGE/PNG'] });
      expect(await imagesOnly.put(PNG, 'x.png')).toMatchObject({ contentType: 'image/png' });
      await expect(imagesOnly.put(LOG, 'x.log')).rejects.toMatchObject({ contentType: 'text/plain' });
    });
  });

  describe('the size limit', () => {
    it('takes a file of exactly the limit', async () => {
      const bytes = Buffer.alloc(1_000, 'a');
      expect(await store.put(Readable.from([bytes.subarray(0, 600), bytes.subarray(600)]), 'a.txt')).toMatchObject({
        size: 1_000,
      });
    });

    it('refuses a buffer over the limit (413) and keeps nothing', async () => {
      await expect(store.put(Buffer.alloc(1_001, 'a'), 'a.txt')).rejects.toBeInstanceOf(AttachmentTooLarge);
      expect(await filesIn()).toEqual([]);
    });

    it('refuses a stream as soon as it passes the limit, without reading the rest, and keeps nothing', async () => {
      let pulled = 0;
      const endless = new Readable({
        read() {
          pulled += 1;
          this.push(Buffer.alloc(100, 'a'));
        },
      });
      const refused = await store.put(endless, 'big.log').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AttachmentTooLarge);
      expect(refused).toMatchObject({ status: 413, code: 'ATTACHMENT.TOO_LARGE', maxBytes: 1_000 });
      expect(pulled).toBeLessThan(1_000); // what the streams' buffers hold (16 KiB each), not an endless stream
      expect(endless.destroyed).toBe(true);
      expect(await filesIn()).toEqual([]);
    });
  });

  describe('atomicity', () => {
    it('shows nothing until the whole file is in, and keeps nothing of a stream that fails', async () => {
      const source = new Readable({ read() {} });
      const putting = store.put(source, 'half.log');
      source.push(LOG.subarray(0, 20));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await filesIn()).toEqual([expect.stringMatching(/^\.tmp\/.+\.part$/)]); // only the temporary file
      source.destroy(new Error('connection reset'));
      await expect(putting).rejects.toThrow('connection reset');
      expect(await filesIn()).toEqual([]);
    });

    it('removes at start what a crashed write left in .tmp, once it is older than an hour, and nothing else', async () => {
      const stored = await store.put(LOG, 'kept.log');
      await mkdir(join(dir, '.tmp'), { recursive: true });
      const crashed = join(dir, '.tmp', 'crashed.part');
      const inFlight = join(dir, '.tmp', 'in-flight.part');
      await writeFile(crashed, 'half a file');
      await writeFile(inFlight, 'another process writing');
      const now = new Date();
      await utimes(crashed, new Date(now.getTime() - 61 * 60_000), new Date(now.getTime() - 61 * 60_000));
      expect(await store.sweepLeftovers(now)).toBe(1);
      expect(await filesIn()).toEqual(
        [
          `${stored.sha256.slice(0, 2)}/${stored.sha256}`,
          `${stored.sha256.slice(0, 2)}/${stored.sha256}.json`,
          '.tmp/in-flight.part',
        ].sort(),
      );
      expect(await new AttachmentStore({ dir: join(dir, 'never-used'), maxBytes: 1 }).sweepLeftovers(now)).toBe(0);
    });

    it('completes a file while another copy of it is being written', async () => {
      const slow = new Readable({ read() {} });
      const putting = store.put(slow, 'slow.log');
      slow.push(LOG);
      const fast = await store.put(LOG, 'fast.log');
      slow.push(null);
      expect(await putting).toEqual({ ...fast, name: 'slow.log' });
      expect(await filesIn()).toHaveLength(2);
    });
  });

  describe('not found', () => {
    it.each([
      ['a hash not stored', 'ab'.repeat(32)],
      ['a path', '../../etc/passwd'],
      ['a short hash', 'abc'],
      ['an empty text', ''],
    ])('%s: has false, describe and open undefined', async (_what, sha256) => {
      await store.put(LOG, 'sso.log');
      expect(await store.has(sha256)).toBe(false);
      expect(await store.describe(sha256)).toBeUndefined();
      expect(await store.open(sha256)).toBeUndefined();
    });

    it('before anything was stored (no directory yet)', async () => {
      const fresh = new AttachmentStore({ dir: join(dir, 'not-yet'), maxBytes: 10 });
      expect(await fresh.open(sha256Of(LOG))).toBeUndefined();
      expect(existsSync(join(dir, 'not-yet'))).toBe(false);
    });
  });
});

describe('attachmentName', () => {
  it.each([
    ['sso.log', 'sso.log'],
    ['  spaced name.txt  ', 'spaced name.txt'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\ada\\trace.har', 'trace.har'],
    ['line\r\nbreak\u0000.log', 'linebreak.log'],
    ['invoice\u202Egpj.exe', 'invoicegpj.exe'],
    ['', 'attachment'],
    ['..', 'attachment'],
    ['dir/', 'attachment'],
    ['lone \ud800 surrogate', 'lone \ufffd surrogate'],
  ])('%j is kept as %j', (name, kept) => {
    expect(attachmentName(name)).toBe(kept);
  });

  it('keeps at most 255 code units, never half a character', () => {
    expect(attachmentName('a'.repeat(300))).toBe('a'.repeat(255));
    const emoji = attachmentName('a' + '😀'.repeat(200));
    expect(emoji).toBe('a' + '😀'.repeat(127));
  });
});
