import { createHash, hash } from 'node:crypto';
import canonicalize from 'canonicalize';

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

/** SHA-256(previous ‖ UTF-8(canonical)). */
export const chainHash = (previous: Uint8Array, canonical: string): Buffer =>
  createHash(HASH_ALGORITHM).update(previous).update(canonical, 'utf8').digest();

/**
 * {@link chainHash} as hex (what the append statement takes), in one call: the append path
 * hashes every event, and the one-shot `crypto.hash` costs half of a Hash object's three calls.
 */
export const chainHashHex = (previous: Uint8Array, canonical: string): string =>
  hash(HASH_ALGORITHM, Buffer.concat([previous, Buffer.from(canonical, 'utf8')]), 'hex');

/** The hash of an event given the hash it chains from (or `genesisHash(streamId)`). */
export const eventHash = (previous: Uint8Array, content: HashedEventContent): Buffer =>
  chainHash(previous, canonicalEventContent(content));
