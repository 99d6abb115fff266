import { createHash, hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { configure } from 'safe-stable-stringify';

/**
 * The audit hash chain (docs/audit.md, "The hash chain").
 *
 *   hash(event) = SHA-256( previous ‖ UTF-8( JCS(content) ) )
 *
 * - `content` is {@link HashedEventContent}: type, stream version, schema version, data,
 *   metadata, recorded at (ISO 8601, milliseconds, UTC). JCS is RFC 8785 (JSON Canonicalization
 *   Scheme), computed by `canonicalize`, the scheme's reference implementation.
 * - `previous` is the stored hash (32 bytes) of the event before it in its stream. The first
 *   event of a stream chains from {@link genesisHash}, SHA-256 of the stream id, so a chain is
 *   bound to its stream: renaming a stream, or moving events to another one, breaks it.
 *
 * The store computes the hash inside the append statement (the previous hash is the stream
 * head's, read in the same statement), from the canonical text built here; verification
 * recomputes it from what was stored, with these same functions.
 */
export interface HashedEventContent {
  readonly type: string;
  readonly streamVersion: number;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
  /** a Date, or its `toISOString()` */
  readonly recordedAt: Date | string;
}

export const HASH_ALGORITHM = 'sha256';
export const HASH_BYTES = 32;

/** RFC 8785 canonical JSON of the hashed fields of an event. */
export const canonicalEventContent = ({
  type,
  streamVersion,
  schemaVersion,
  data,
  metadata,
  recordedAt,
}: HashedEventContent): string => {
  const content = {
    type,
    streamVersion,
    schemaVersion,
    data,
    metadata,
    recordedAt: typeof recordedAt === 'string' ? recordedAt : recordedAt.toISOString(),
  };
  // never undefined for an object; the fallback only satisfies the library's type
  return canonicalize(content) ?? '';
};

/** RFC 8785 canonical JSON of one plain JSON value (by the library, as for a whole event). */
export const canonicalJson = (value: unknown): string => canonicalize(value) ?? '';

/**
 * {@link canonicalEventContent}'s text assembled from members already in canonical form,
 * without walking data and metadata again: the append path's way (event-store.sql.ts).
 * JCS of an object is its members sorted by key (here: data, metadata, recordedAt,
 * schemaVersion, streamVersion, type), each value in its own JCS form; a string's JCS form
 * is JSON.stringify's, a safe integer's its decimal digits. So given the JCS text of data and
 * metadata, this is exactly the library's output (a property test holds the two equal).
 */
export const canonicalEventText = (
  type: string,
  streamVersion: number,
  schemaVersion: number,
  canonicalData: string,
  canonicalMetadata: string,
  recordedAt: string,
): string =>
  `{"data":${canonicalData},"metadata":${canonicalMetadata},"recordedAt":${JSON.stringify(recordedAt)},` +
  `"schemaVersion":${schemaVersion},"streamVersion":${streamVersion},"type":${JSON.stringify(type)}}`;

/** What the first event of a stream chains from: SHA-256 of the UTF-8 stream id. */
export const genesisHash = (streamId: string): Buffer => createHash(HASH_ALGORITHM).update(streamId, 'utf8').digest();

/** Where {@link chainHash} lays out `previous ‖ UTF-8(canonical)`; grown for a longer event. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * SHA-256(previous ‖ UTF-8(canonical)). One `crypto.hash` call over a reused buffer: no Hash
 * object and no concatenation to collect (a verification hashes millions of events).
 */
export const chainHash = (previous: Uint8Array, canonical: string): Buffer =>
  hash(HASH_ALGORITHM, chainInput(previous, canonical), 'buffer');

/** `previous ‖ UTF-8(canonical)` in the scratch buffer, valid until the next call. */
const chainInput = (previous: Uint8Array, canonical: string): Buffer => {
  const needed = previous.length + Buffer.byteLength(canonical, 'utf8');
  if (needed > scratch.length) scratch = Buffer.allocUnsafe(Math.max(needed, 2 * scratch.length));
  scratch.set(previous, 0);
  const written = scratch.write(canonical, previous.length, 'utf8');
  return scratch.subarray(0, previous.length + written);
};

/** {@link chainHash} as hex (what the append statement takes). */
export const chainHashHex = (previous: Uint8Array, canonical: string): string =>
  hash(HASH_ALGORITHM, chainInput(previous, canonical), 'hex');

/** The hash of an event given the hash it chains from (or `genesisHash(streamId)`). */
export const eventHash = (previous: Uint8Array, content: HashedEventContent): Buffer =>
  chainHash(previous, canonicalEventContent(content));

/** An event's hashed fields as the store keeps them: data and metadata as their stored JSON text. */
export interface StoredEventContent {
  readonly type: string;
  readonly streamVersion: number;
  readonly schemaVersion: number;
  readonly dataJson: string;
  readonly metadataJson: string;
  /** ISO 8601, milliseconds, UTC */
  readonly recordedAt: string;
}

/**
 * JCS of a value `JSON.parse` returned (plain objects, arrays, strings, finite numbers,
 * booleans, null), by safe-stable-stringify: keys sorted by UTF-16 code units, strings as
 * JSON.stringify writes them, numbers as String does. For such values that is RFC 8785's
 * form, byte for byte the reference library's (a property test holds the two equal), at
 * half its cost: the verifier canonicalises every stored event. `strict`: anything else
 * throws rather than being written some other way.
 */
const stableStringify = configure({ deterministic: true, strict: true });
const canonicalParsedJson = (value: unknown): string => stableStringify(value) ?? '';

/**
 * {@link eventHash} of an event read back as stored (the verifier's way): data and metadata
 * are parsed from their stored text and put in JCS form, the rest assembled by
 * {@link canonicalEventText}. The same hash as `eventHash` of the parsed event.
 */
export const storedEventHash = (previous: Uint8Array, content: StoredEventContent): Buffer =>
  chainHash(
    previous,
    canonicalEventText(
      content.type,
      content.streamVersion,
      content.schemaVersion,
      canonicalParsedJson(JSON.parse(content.dataJson)),
      canonicalParsedJson(JSON.parse(content.metadataJson)),
      content.recordedAt,
    ),
  );
