import { createHash } from 'node:crypto';
import { HASH_ALGORITHM, readUnchainedThrough, type SqlDatabase } from '@app/event-store';
import { latestAuditCheckpoint, type AuditCheckpoint } from './audit-checkpoint';
import { reportBreak, walkChains, type ChainBreak, type WalkTotals } from './internal/chain-walk';
import { canWalkOnThreads, defaultWalkThreads, walkChainsOnThreads } from './internal/parallel-walk';

/**
 * Verification of the hash chains (docs/audit.md). It walks the events in primary-key
 * order (stream, then version) in keyset batches, so memory stays flat whatever the size
 * of the log, and the next batch is fetched while this one is hashed. Given the PostgreSQL
 * server's URL, a walk of every stream is split into ranges of streams walked by worker
 * threads, each on its own connection (internal/parallel-walk.ts). For each stream:
 * versions must run 1, 2, 3… without a gap, and each stored hash must equal
 * SHA-256(previous stored hash ‖ JCS(event as stored)). The first broken link of each
 * stream is reported; the stream's later events are counted, not checked (one altered
 * event would otherwise show as one break, a rewritten tail as many).
 *
 * A chain cannot show that its last events were removed. The latest checkpoint
 * (audit-checkpoint.ts) can: it recorded, for every event committed before it, a digest of
 * every stream's head; the walk recomputes that digest from what is stored now.
 */
export type { ChainBreak, ChainBreakKind } from './internal/chain-walk';

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
  /** worker threads that walked the chains (0: the calling thread did) */
  readonly threads: number;
}

export interface VerifyOptions {
  /** verify this stream only (no checkpoint check: its digest spans every stream) */
  readonly streamId?: string;
  /** rows per query; default 5000 */
  readonly batchSize?: number;
  /** default 100 */
  readonly maxBreaks?: number;
  /** called after each batch (after each range, on threads) */
  readonly onProgress?: (progress: { readonly events: number; readonly streams: number }) => void;
  readonly signal?: AbortSignal;
  /**
   * The PostgreSQL server's URL (the one `db` is connected to): a walk of every stream is
   * then split into ranges walked by `threads` worker threads, each on its own connection.
   * Without it (PGlite, one process), or verifying one stream, the calling thread walks.
   */
  readonly databaseUrl?: string;
  /**
   * threads with a `databaseUrl`; default one per core, at most four; 0 walks in the calling
   * thread. Running from the TypeScript sources (the tests), where no compiled worker script
   * exists, the calling thread walks.
   */
  readonly threads?: number;
  /** events per range on threads; default 50,000 */
  readonly rangeEvents?: number;
}

/** Walks the chains (all, or one stream's) and reports what it found; never throws for a break. */
export const verifyHashChains = async (db: SqlDatabase, options: VerifyOptions = {}): Promise<VerifyReport> => {
  const started = Date.now();
  const { streamId, batchSize = 5000, maxBreaks = 100, onProgress, signal, databaseUrl } = options;
  const unchainedThrough = await readUnchainedThrough(db);
  const checkpoint = streamId === undefined ? await latestAuditCheckpoint(db) : null;
  const heads = new HeadsDigest();
  const walk = {
    batchSize,
    maxBreaks,
    unchainedThrough,
    coveredBelow: checkpoint?.data.coversTransactionsBelow ?? null,
  };
  const progress = (totals: WalkTotals) => onProgress?.({ events: totals.events, streams: totals.streams });
  const threads =
    streamId === undefined && databaseUrl !== undefined && canWalkOnThreads()
      ? (options.threads ?? defaultWalkThreads())
      : 0;
  const totals =
    threads > 0 && databaseUrl !== undefined
      ? await walkChainsOnThreads({
          databaseUrl,
          threads,
          db,
          walk,
          rangeEvents: options.rangeEvents,
          signal,
          onRange: progress,
          onCoveredHeads: (chunk) => heads.update(chunk),
        })
      : await walkChains(db, {
          ...walk,
          streamId,
          signal,
          onBatch: progress,
          onCoveredHead: (head) => heads.update(head),
        });
  const verdict = checkpoint ? heads.verdict(checkpoint, totals) : null;
  if (verdict && !verdict.matches) reportBreak(totals, checkpointBreak(verdict), maxBreaks);
  return {
    ok: totals.breakCount === 0,
    streamId: streamId ?? null,
    streams: totals.streams,
    events: totals.events,
    unchained: totals.unchained,
    firstBreak: totals.breaks[0] ?? null,
    breaks: totals.breaks,
    moreBreaks: totals.breakCount > totals.breaks.length,
    checkpoint: verdict,
    durationMs: Date.now() - started,
    threads,
  };
};

/** The digest of every covered stream's head, in stream order, compared with the checkpoint's. */
class HeadsDigest {
  private readonly digest = createHash(HASH_ALGORITHM);

  update(heads: Uint8Array): void {
    this.digest.update(heads);
  }

  verdict({ data, globalPosition, recordedAt }: AuditCheckpoint, totals: WalkTotals): CheckpointVerdict {
    const found = {
      streams: totals.coveredStreams,
      events: totals.coveredEvents,
      headsDigest: this.digest.digest('hex'),
    };
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
