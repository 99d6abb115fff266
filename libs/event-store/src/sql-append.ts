import type { AppendRequest } from './append-request';
import { EventIdConflict, ExpectedVersionConflict } from './event-store.errors';
import type { AppendResult } from './event-store.port';
import { canonicalEventText, chainHashHex, genesisHash } from './event-hash';
import { APPEND_MANY, APPEND_ONE, FIND_EVENT_IDS, INSERT_MANY, INSERT_ONE, STREAM_HEAD } from './event-store.sql';
import { checkpointOf } from './event-rows';
import type { SqlQueryable } from './sql-database.port';
import type { StreamHeads } from './stream-heads';
import { uniqueViolation } from './sql-errors';

interface AppendedRow {
  stream_version: number | string;
  global_position: number | string;
  transaction_id: string;
  /** only when the statement computed it */
  hash?: Uint8Array | null;
}

interface StoredIdRow extends AppendedRow {
  event_id: string;
  stream_id: string;
}

/**
 * With expected version 'any', a stream that moved between the read of its head and the
 * append is retried. Each retry means another append succeeded, so this cannot livelock;
 * the bound only caps starvation.
 */
const ANY_VERSION_ATTEMPTS = 50;

export interface AppendContext {
  /** runs after a failed statement, before the next one on the same queryable */
  readonly recover?: () => Promise<unknown>;
  /** known stream heads: used to hash here; see {@link StreamHeads} */
  readonly heads?: StreamHeads;
  /** the statement commits on its own (autocommit), so its head may be remembered */
  readonly commits?: boolean;
}

/**
 * Appends with one guarded INSERT (event-store.sql.ts). The fast path is that one round
 * trip. Only when it fails does it look further: are these events already stored (a retry),
 * or did the stream move (a conflict)? So idempotency costs nothing until a retry actually
 * happens.
 *
 * The hashed content names the stream version each event gets, so the version must be
 * known before the statement runs. With an expected version it is. With 'any' the stream's
 * head is read first and the append is guarded on it; when another writer moved the stream
 * in between, the guard refuses (or the primary key collides) and it goes again.
 *
 * When the hash of the expected version is known (a new stream, or a head in `heads`) the
 * events are hashed here and inserted plainly; otherwise the statement chains them to the
 * stored hash itself. Either way the stored hash is SHA-256(previous ‖ canonical JSON).
 *
 * `recordedAt` is stored and hashed as is (milliseconds, as a Date holds them, so what
 * PostgreSQL stores reads back equal). `recover` runs after a failed statement (inside a
 * caller's transaction it rolls back to a savepoint, as a failed statement aborts the
 * transaction).
 */
export const appendEvents = async (
  q: SqlQueryable,
  r: AppendRequest,
  recordedAt: Date,
  { recover = async () => undefined, heads, commits = false }: AppendContext = {},
): Promise<AppendResult> => {
  const single = r.eventIds.length === 1;
  const at = recordedAt.toISOString();
  for (let attempt = 1; ; attempt += 1) {
    const any = r.expectedVersion === null;
    let expected: number;
    let previous: Buffer | undefined;
    if (r.expectedVersion !== null) {
      expected = r.expectedVersion;
      previous = expected === 0 ? genesisHash(r.streamId) : heads?.hashAt(r.streamId, expected);
    } else {
      ({ version: expected, hash: previous } = await streamHead(q, r.streamId));
    }
    const canonical = r.eventIds.map((_, i) =>
      canonicalEventText(r.types[i], expected + i + 1, r.schemaVersions[i], r.data[i], r.metadata[i], at),
    );
    // with hashes (hex): INSERT_*, which takes them in place of the canonical texts
    let hashes: string[] | undefined;
    if (previous) {
      let link: Uint8Array = previous;
      hashes = canonical.map((text, i) => {
        const hex = chainHashHex(link, text);
        if (i < canonical.length - 1) link = Buffer.from(hex, 'hex');
        return hex;
      });
    }
    const fifth = hashes ?? canonical;
    const params = single
      ? [r.streamId, r.eventIds[0], r.types[0], r.schemaVersions[0], fifth[0], at, expected, r.data[0], r.metadata[0]]
      : [r.streamId, r.eventIds, r.types, r.schemaVersions, fifth, at, expected, r.data, r.metadata];
    const sql = hashes ? (single ? INSERT_ONE : INSERT_MANY) : single ? APPEND_ONE : APPEND_MANY;
    let rows: AppendedRow[];
    try {
      rows = (await q.query<AppendedRow>(sql.text, params, sql)).rows;
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (!constraint) throw error;
      await recover();
      // A unique index makes a concurrent inserter wait for the other transaction and then
      // fail once it commits. On the event id: the same events were stored meanwhile (a
      // concurrent retry, which must end in the original result) or clash with others. On
      // the primary key: the stream is ahead of the expected version, or another writer
      // took the version first.
      heads?.forget(r.streamId, expected);
      const original = await findOriginal(q, r);
      if (original) return original;
      if (constraint !== 'events_pkey') throw error;
      if (any && attempt < ANY_VERSION_ATTEMPTS) continue;
      throw new ExpectedVersionConflict(r.streamId, r.expected, await streamVersion(q, r.streamId));
    }
    if (rows.length > 0) {
      const result = appended(r.streamId, rows);
      if (commits && heads) {
        const last = hashes ? Buffer.from(hashes[hashes.length - 1], 'hex') : lastHash(rows);
        if (last) heads.remember(r.streamId, { version: result.nextExpectedVersion, hash: last });
      }
      return result;
    }
    // The guard refused: the stream is behind the expected version. Idempotency is decided
    // before the version: a retry of events that were stored (and moved the stream on)
    // returns the original result, not a conflict.
    const original = await findOriginal(q, r);
    if (original) return original;
    if (any && attempt < ANY_VERSION_ATTEMPTS) continue;
    throw new ExpectedVersionConflict(r.streamId, r.expected, await streamVersion(q, r.streamId));
  }
};

/**
 * The stream's version and the hash its next event chains from: the last event's, or the
 * genesis for an empty stream or a last event written before the chain existed (as the
 * SQL chaining does).
 */
const streamHead = async (q: SqlQueryable, streamId: string): Promise<{ version: number; hash: Buffer }> => {
  const [row] = (
    await q.query<{ stream_version: number | string; hash: Uint8Array | null }>(
      STREAM_HEAD.text,
      [streamId],
      STREAM_HEAD,
    )
  ).rows;
  if (!row) return { version: 0, hash: genesisHash(streamId) };
  return { version: Number(row.stream_version), hash: row.hash ? Buffer.from(row.hash) : genesisHash(streamId) };
};

const lastHash = (rows: AppendedRow[]): Buffer | undefined => {
  let last: AppendedRow | undefined;
  for (const row of rows) if (!last || Number(row.stream_version) > Number(last.stream_version)) last = row;
  return last?.hash ? Buffer.from(last.hash) : undefined;
};

export const streamVersion = async (q: SqlQueryable, streamId: string): Promise<number> =>
  (await streamHead(q, streamId)).version;

const appended = (streamId: string, rows: AppendedRow[], duplicate = false): AppendResult => {
  const ordered = [...rows].sort((a, b) => Number(a.stream_version) - Number(b.stream_version));
  const last = ordered[ordered.length - 1];
  return {
    streamId,
    nextExpectedVersion: Number(last.stream_version),
    globalPositions: ordered.map((row) => Number(row.global_position)),
    checkpoint: checkpointOf(last),
    duplicate,
  };
};

/**
 * The original result when every event id of the batch is stored in this stream; undefined
 * when none is stored; {@link EventIdConflict} when some are stored elsewhere or only some.
 */
const findOriginal = async (q: SqlQueryable, r: AppendRequest): Promise<AppendResult | undefined> => {
  if (!r.idsGiven) return undefined;
  const { rows } = await q.query<StoredIdRow>(FIND_EVENT_IDS.text, [r.eventIds], FIND_EVENT_IDS);
  if (rows.length === 0) return undefined;
  const elsewhere = rows.filter((row) => row.stream_id !== r.streamId);
  if (elsewhere.length > 0) {
    const where = elsewhere.map((row) => `${row.event_id} is in stream ${row.stream_id}`).join(', ');
    throw new EventIdConflict(
      r.streamId,
      elsewhere.map((row) => row.event_id),
      where,
    );
  }
  if (rows.length < r.eventIds.length) {
    const stored = rows.map((row) => row.event_id);
    throw new EventIdConflict(
      r.streamId,
      stored,
      `only ${rows.length} of the batch's ${r.eventIds.length} events are stored`,
    );
  }
  return appended(r.streamId, rows, true);
};
