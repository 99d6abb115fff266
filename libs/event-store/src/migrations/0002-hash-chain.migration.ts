import type { Migration } from './migration';

/**
 * The audit hash chain (event-hash.ts, docs/audit.md).
 * - `hash`: SHA-256(previous hash in the stream ‖ RFC 8785 canonical JSON of the event),
 *   32 bytes, computed by the append statement. Nullable only for rows written before this
 *   migration: the migration computes nothing for them (canonical JSON needs the JCS
 *   library, which SQL does not have; and there were none in production).
 *   `event_hash_chain.unchained_through` records the last global position written before the
 *   chain began (NULL: the table was empty), so verification tells those rows, reported as
 *   unchained, from a row whose hash was erased later, reported as a break.
 * - `stream_id` compares bytewise (COLLATE "C"): the order of streams is then the same on
 *   every server and in PGlite, whatever the database's locale. The checkpoint digest of
 *   all chains' heads is taken in that order, and verification walks the primary key in it.
 *   (C comparisons are also cheaper than locale-aware ones on the append's key lookups.)
 * - A unique index on `global_position`: audit readers page the log from a position, which
 *   needs the position's transaction id (the log's order is (transaction id, position)).
 * - recorded_at loses its default's role: the adapter sets it, because it is hashed. The
 *   default stays for rows written by hand (which have no hash and fail verification).
 */
export const hashChainMigration: Migration = {
  version: 2,
  name: 'hash-chain',
  sql: `
ALTER TABLE events ALTER COLUMN stream_id TYPE text COLLATE "C";
ALTER TABLE events ADD COLUMN hash bytea;
ALTER TABLE events ADD CONSTRAINT events_hash_length CHECK (hash IS NULL OR octet_length(hash) = 32);
CREATE UNIQUE INDEX events_global_position_key ON events (global_position);
CREATE TABLE event_hash_chain (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  unchained_through bigint,
  chained_since timestamptz NOT NULL DEFAULT now()
);
INSERT INTO event_hash_chain (unchained_through) SELECT max(global_position) FROM events;
`,
};
