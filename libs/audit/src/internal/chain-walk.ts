import { genesisHash, readChainLinks, storedEventHash, type ChainLink, type SqlQueryable } from '@app/event-store';

/**
 * The walk of the hash chains (chain-verifier.ts), over one stream, the whole log or one
 * range of streams: in the calling thread, or in a worker thread of a verification split
 * into ranges (chain-walk.worker.ts).
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

/** What a walk found; a range's result is merged into the whole's in range order. */
export interface WalkTotals {
  streams: number;
  events: number;
  unchained: number;
  breakCount: number;
  /** the first break of each broken stream, at most `maxBreaks` */
  readonly breaks: ChainBreak[];
  /** the streams with events the checkpoint covers, and those events */
  coveredStreams: number;
  coveredEvents: number;
}

export interface WalkOptions {
  /** one stream only */
  readonly streamId?: string;
  /** every stream after this id (exclusive); default from the first */
  readonly afterStreamId?: string | null;
  /** up to this stream id (inclusive); default to the last */
  readonly throughStreamId?: string | null;
  readonly batchSize: number;
  readonly maxBreaks: number;
  /** the last position written before the chain existed (migration 0002), or null */
  readonly unchainedThrough: number | null;
  /** the checkpoint's transaction bound (xid8, decimal), or null without a checkpoint */
  readonly coveredBelow: string | null;
  readonly signal?: AbortSignal;
  /** after each batch: the walk's totals so far */
  readonly onBatch?: (totals: WalkTotals) => void;
  /** each covered stream's head, in stream order: what the checkpoint's digest hashes */
  readonly onCoveredHead: (head: Uint8Array) => void;
}

export const emptyTotals = (): WalkTotals => ({
  streams: 0,
  events: 0,
  unchained: 0,
  breakCount: 0,
  breaks: [],
  coveredStreams: 0,
  coveredEvents: 0,
});

/** Adds a later range's totals to `into` (breaks kept up to `maxBreaks`). */
export const mergeTotals = (into: WalkTotals, range: WalkTotals, maxBreaks: number): void => {
  into.streams += range.streams;
  into.events += range.events;
  into.unchained += range.unchained;
  into.breakCount += range.breakCount;
  into.coveredStreams += range.coveredStreams;
  into.coveredEvents += range.coveredEvents;
  for (const fault of range.breaks) if (into.breaks.length < maxBreaks) into.breaks.push(fault);
};

/** Records a break in `totals` (kept when fewer than `maxBreaks` are). */
export const reportBreak = (totals: WalkTotals, fault: ChainBreak, maxBreaks: number): void => {
  totals.breakCount += 1;
  if (totals.breaks.length < maxBreaks) totals.breaks.push(fault);
};

/**
 * Walks the chains in primary-key order in keyset batches (memory stays flat), fetching
 * the next batch while it hashes this one. Never throws for a break.
 */
export const walkChains = async (db: SqlQueryable, options: WalkOptions): Promise<WalkTotals> => {
  const { streamId, batchSize, signal } = options;
  const walk = new ChainWalk(options);
  const fetch = (after: { streamId: string; streamVersion: number }) =>
    readChainLinks(db, {
      streamId,
      after,
      throughStreamId: options.throughStreamId ?? null,
      limit: batchSize,
      coveredBelow: options.coveredBelow,
    });
  // after a range's lower bound: past every version of that stream
  const afterStreamId = options.afterStreamId ?? null;
  let pending = fetch(
    afterStreamId === null
      ? { streamId: streamId ?? '', streamVersion: 0 }
      : { streamId: afterStreamId, streamVersion: Number.MAX_SAFE_INTEGER },
  );
  for (;;) {
    const rows = await pending;
    if (rows.length === 0) break;
    const last = rows[rows.length - 1];
    // the next batch is on its way (another pooled connection) while this one is hashed
    pending =
      rows.length === batchSize && !signal?.aborted
        ? fetch({ streamId: last.streamId, streamVersion: last.streamVersion })
        : Promise.resolve([]);
    pending.catch(() => undefined); // surfaced by the await above, not as an unhandled rejection
    for (const row of rows) walk.visit(row);
    options.onBatch?.(walk.totals);
  }
  signal?.throwIfAborted();
  walk.finishStream();
  return walk.totals;
};

const hex = (bytes: Uint8Array | null): string | null => (bytes ? Buffer.from(bytes).toString('hex') : null);

/** The walk's state: one stream at a time, in primary-key order. */
class ChainWalk {
  readonly totals = emptyTotals();
  private streamId: string | null = null;
  private previous: Uint8Array = Buffer.alloc(0);
  private nextVersion = 1;
  private broken = false;
  private hashedYet = false;
  // the checkpoint's view: the head of this stream among the events it covers
  private coveredHead: Uint8Array | null = null;
  private coveredEvents = 0;

  constructor(private readonly options: WalkOptions) {}

  visit(row: ChainLink): void {
    if (row.streamId !== this.streamId) this.startStream(row.streamId);
    this.totals.events += 1;
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
      const { unchainedThrough } = this.options;
      if (!this.hashedYet && unchainedThrough !== null && position <= unchainedThrough) {
        // written before the chain existed: the next event chains from the genesis hash
        this.totals.unchained += 1;
        this.previous = genesisHash(row.streamId);
        return;
      }
      return this.breakStream(this.fault(row, 'unhashed', null, 'the event has no hash'));
    }
    const expected = storedEventHash(this.previous, {
      type: row.type,
      streamVersion: version,
      schemaVersion: row.schemaVersion,
      dataJson: row.dataJson,
      metadataJson: row.metadataJson,
      recordedAt: new Date(row.recordedAtMs).toISOString(),
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
      this.options.onCoveredHead(this.coveredHead);
      this.totals.coveredStreams += 1;
      this.totals.coveredEvents += this.coveredEvents;
    }
  }

  private startStream(streamId: string): void {
    this.finishStream();
    this.streamId = streamId;
    this.totals.streams += 1;
    this.previous = genesisHash(streamId);
    this.nextVersion = 1;
    this.broken = false;
    this.hashedYet = false;
    this.coveredHead = null;
    this.coveredEvents = 0;
  }

  private breakStream(fault: ChainBreak): void {
    this.broken = true;
    reportBreak(this.totals, fault, this.options.maxBreaks);
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
