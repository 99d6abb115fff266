import { createHash } from 'node:crypto';
import {
  eventHash,
  genesisHash,
  HASH_ALGORITHM,
  readChainLinks,
  readUnchainedThrough,
  type ChainLink,
  type SqlDatabase,
} from '@app/event-store';
import { latestAuditCheckpoint, type AuditCheckpoint } from './audit-checkpoint';

/**
 * Verification of the hash chains (docs/audit.md). It walks the events in primary-key
 * order (stream, then version) in keyset batches, so memory stays flat whatever the size
 * of the log, and the next batch is fetched while this one is hashed. For each stream:
 * versions must run 1, 2, 3… without a gap, and each stored hash must equal
 * SHA-256(previous stored hash ‖ JCS(event as stored)). The first broken link of each
 * stream is reported; the stream's later events are counted, not checked (one altered
 * event would otherwise show as one break, a rewritten tail as many).
 *
 * A chain cannot show that its last events were removed. The latest checkpoint
 * (audit-checkpoint.ts) can: it recorded, for every event committed before it, a digest of
 * every stream's head; the walk recomputes that digest from what is stored now.
 */
export type ChainBreakKind = 'altered' | 'gap' | 'unhashed' | 'checkpoint';

export interface ChainBreak {
  readonly kind: ChainBreakKind;
  /** null for a checkpoint mismatch: a digest cannot say which stream lost its tail */
  readonly streamId: string | null;
  /** the version at fault: the altered event, or the first missing version */
  readonly version: number | null;
  readonly eventId?: string;
  readonly globalPosition?: number;
  /** hex; for a gap, null */
  readonly expectedHash: string | null;
  readonly foundHash: string | null;
  readonly detail: string;
}

export interface CheckpointVerdict {
  /** the checkpoint event's own place in the log */
  readonly globalPosition: number;
  readonly recordedAt: string;
  /** the last position it covers */
  readonly throughGlobalPosition: number | null;
  readonly matches: boolean;
  readonly recorded: { readonly streams: number; readonly events: number; readonly headsDigest: string };
  readonly found: { readonly streams: number; readonly events: number; readonly headsDigest: string };
}

export interface VerifyReport {
  readonly ok: boolean;
  /** the one stream verified, or null for all of them */
  readonly streamId: string | null;
  readonly streams: number;
  readonly events: number;
  /** events written before the chain existed (migration 0002), accepted without a hash */
  readonly unchained: number;
  readonly firstBreak: ChainBreak | null;
  /** the first break of each broken stream, then the checkpoint's; at most `maxBreaks` */
  readonly breaks: readonly ChainBreak[];
  /** more breaks were found than reported */
  readonly moreBreaks: boolean;
  /** null when no checkpoint exists yet, or when one stream was verified */
  readonly checkpoint: CheckpointVerdict | null;
  readonly durationMs: number;
}

export interface VerifyOptions {
  /** verify this stream only (no checkpoint check: its digest spans every stream) */
  readonly streamId?: string;
  /** rows per query; default 5000 */
  readonly batchSize?: number;
  /** default 100 */
  readonly maxBreaks?: number;
  /** called after each batch */
  readonly onProgress?: (progress: { readonly events: number; readonly streams: number }) => void;
  readonly signal?: AbortSignal;
}

const hex = (bytes: Uint8Array | null): string | null => (bytes ? Buffer.from(bytes).toString('hex') : null);

/** Walks the chains (all, or one stream's) and reports what it found; never throws for a break. */
export const verifyHashChains = async (db: SqlDatabase, options: VerifyOptions = {}): Promise<VerifyReport> => {
  const started = Date.now();
  const { streamId, batchSize = 5000, maxBreaks = 100, onProgress, signal } = options;
  const unchainedThrough = await readUnchainedThrough(db);
  const checkpoint = streamId === undefined ? await latestAuditCheckpoint(db) : null;
  const walk = new ChainWalk(unchainedThrough, checkpoint, maxBreaks);

  const fetch = (after: [string, number]) =>
    readChainLinks(db, {
      streamId,
      after: { streamId: after[0], streamVersion: after[1] },
      limit: batchSize,
      coveredBelow: checkpoint?.data.coversTransactionsBelow ?? null,
    });
  let pending = fetch(['', 0]);
  for (;;) {
    const rows = await pending;
    if (rows.length === 0) break;
    const last = rows[rows.length - 1];
    // the next batch is on its way (another pooled connection) while this one is hashed
    pending =
      rows.length === batchSize && !signal?.aborted ? fetch([last.streamId, last.streamVersion]) : Promise.resolve([]);
    pending.catch(() => undefined); // surfaced by the await above, not as an unhandled rejection
    for (const row of rows) walk.visit(row);
    onProgress?.({ events: walk.events, streams: walk.streams });
  }
  signal?.throwIfAborted();
  walk.finishStream();
  const verdict = checkpoint ? walk.checkpointVerdict(checkpoint) : null;
  if (verdict && !verdict.matches) walk.report(checkpointBreak(verdict));
  return {
    ok: walk.breakCount === 0,
    streamId: streamId ?? null,
    streams: walk.streams,
    events: walk.events,
    unchained: walk.unchained,
    firstBreak: walk.breaks[0] ?? null,
    breaks: walk.breaks,
    moreBreaks: walk.breakCount > walk.breaks.length,
    checkpoint: verdict,
    durationMs: Date.now() - started,
  };
};

/** The walk's state: one stream at a time, in primary-key order. */
class ChainWalk {
  streams = 0;
  events = 0;
  unchained = 0;
  breakCount = 0;
  readonly breaks: ChainBreak[] = [];

  private streamId: string | null = null;
  private previous: Uint8Array = Buffer.alloc(0);
  private nextVersion = 1;
  private broken = false;
  private hashedYet = false;
  // the checkpoint's view: the head of this stream among the events it covers
  private coveredHead: Uint8Array | null = null;
  private coveredEvents = 0;
  private readonly digest = createHash(HASH_ALGORITHM);
  private digestStreams = 0;
  private digestEvents = 0;

  constructor(
    private readonly unchainedThrough: number | null,
    private readonly checkpoint: AuditCheckpoint | null,
    private readonly maxBreaks: number,
  ) {}

  visit(row: ChainLink): void {
    if (row.streamId !== this.streamId) this.startStream(row.streamId);
    this.events += 1;
    const version = row.streamVersion;
    const stored = row.hash;
    if (row.covered) {
      this.coveredHead = stored ?? genesisHash(row.streamId);
      this.coveredEvents += 1;
    }
    if (this.broken) return;
    if (version !== this.nextVersion) {
      const missing =
        version - 1 === this.nextVersion
          ? `version ${this.nextVersion} is`
          : `versions ${this.nextVersion} to ${version - 1} are`;
      return this.breakStream({
        kind: 'gap',
        streamId: row.streamId,
        version: this.nextVersion,
        expectedHash: null,
        foundHash: null,
        detail: `${missing} missing: ${this.nextVersion === 1 ? 'the stream starts' : `version ${this.nextVersion - 1} is followed`} at version ${version}`,
      });
    }
    this.nextVersion += 1;
    if (stored === null) {
      const position = row.globalPosition;
      if (!this.hashedYet && this.unchainedThrough !== null && position <= this.unchainedThrough) {
        // written before the chain existed: the next event chains from the genesis hash
        this.unchained += 1;
        this.previous = genesisHash(row.streamId);
        return;
      }
      return this.breakStream(this.fault(row, 'unhashed', null, 'the event has no hash'));
    }
    const expected = eventHash(this.previous, {
      type: row.type,
      streamVersion: version,
      schemaVersion: row.schemaVersion,
      data: row.data,
      metadata: row.metadata,
      recordedAt: row.recordedAt,
    });
    if (!expected.equals(stored)) {
      const link = version === 1 ? 'the first event of the stream' : `the link from version ${version - 1}`;
      return this.breakStream(
        this.fault(row, 'altered', expected, `the stored hash does not match the event's content and ${link}`),
      );
    }
    this.previous = stored;
    this.hashedYet = true;
  }

  finishStream(): void {
    if (this.streamId === null) return;
    if (this.coveredHead) {
      this.digest.update(this.coveredHead);
      this.digestStreams += 1;
      this.digestEvents += this.coveredEvents;
    }
  }

  checkpointVerdict({ data, globalPosition, recordedAt }: AuditCheckpoint): CheckpointVerdict {
    const found = { streams: this.digestStreams, events: this.digestEvents, headsDigest: this.digest.digest('hex') };
    const recorded = { streams: data.streams, events: data.events, headsDigest: data.headsDigest };
    return {
      globalPosition,
      recordedAt,
      throughGlobalPosition: data.throughGlobalPosition,
      matches:
        found.headsDigest === recorded.headsDigest &&
        found.streams === recorded.streams &&
        found.events === recorded.events,
      recorded,
      found,
    };
  }

  report(fault: ChainBreak): void {
    this.breakCount += 1;
    if (this.breaks.length < this.maxBreaks) this.breaks.push(fault);
  }

  private startStream(streamId: string): void {
    this.finishStream();
    this.streamId = streamId;
    this.streams += 1;
    this.previous = genesisHash(streamId);
    this.nextVersion = 1;
    this.broken = false;
    this.hashedYet = false;
    this.coveredHead = null;
    this.coveredEvents = 0;
  }

  private breakStream(fault: ChainBreak): void {
    this.broken = true;
    this.report(fault);
  }

  private fault(row: ChainLink, kind: ChainBreakKind, expected: Uint8Array | null, why: string): ChainBreak {
    const version = row.streamVersion;
    return {
      kind,
      streamId: row.streamId,
      version,
      eventId: row.eventId,
      globalPosition: row.globalPosition,
      expectedHash: hex(expected),
      foundHash: hex(row.hash),
      detail: `${row.streamId} version ${version} (${row.type}, position ${row.globalPosition}): ${why}`,
    };
  }
}

const checkpointBreak = ({ globalPosition, recorded, found }: CheckpointVerdict): ChainBreak => {
  const lost =
    found.events < recorded.events
      ? `${recorded.events - found.events} of the ${recorded.events} events it covers are gone`
      : found.events > recorded.events
        ? `${found.events - recorded.events} events it covers were added since`
        : 'the heads of the chains it covers changed';
  return {
    kind: 'checkpoint',
    streamId: null,
    version: null,
    globalPosition,
    expectedHash: recorded.headsDigest,
    foundHash: found.headsDigest,
    detail:
      `the checkpoint at position ${globalPosition} does not match the log: ${lost} ` +
      `(${recorded.streams} streams recorded, ${found.streams} found): a stream's last events were removed or replaced`,
  };
};
