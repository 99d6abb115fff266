import { compareCheckpoints, type LogCheckpoint, type RecordedEvent, type SqlDatabase } from '@app/event-store';
import type { Clock } from '@app/clock';
import { inSpan, linksToCauses } from '@app/observability';
import type { Projection } from '../projection';
import { applyEvents, transactionParkingPoison } from './apply-events';
import { readCheckpoint, writeCheckpoint } from './checkpoints';
import { checkpointNameFor, readGeneration } from './generations';
import { acquireLease } from './lease';
import { tryLock, type LockScope } from './locks';

export interface BatchInput {
  /** which generation to write: the one readers see, or the one a rebuild fills */
  readonly scope: LockScope;
  readonly events: readonly RecordedEvent[];
  /** the checkpoint the events were read after: the stored one must still be this */
  readonly after: LogCheckpoint;
  /** where the checkpoint moves: the place of the batch's last event */
  readonly through: LogCheckpoint;
  /** renew this runner's lease in the same transaction */
  readonly lease?: { readonly owner: string; readonly durationMs: number };
}

/**
 * - applied: rows and checkpoint committed together
 * - moved: the stored checkpoint is not where the events were read from (another runner,
 *   a swap): nothing written, read again from the stored checkpoint
 * - busy: another transaction holds the scope's lock (a runner mid-batch, a swap, a retry)
 * - lease-lost: another runner holds the lease
 * - gone: no generation in that scope (a rebuild already swapped)
 * - version-mismatch: the generation was built by another version of the code
 */
export type BatchOutcome = 'applied' | 'moved' | 'busy' | 'lease-lost' | 'gone' | 'version-mismatch';

export interface BatchResult {
  readonly outcome: BatchOutcome;
  readonly parked: number;
  readonly generationVersion?: number;
}

/**
 * Writes one batch: the read-model rows and the checkpoint in ONE transaction (exactly-once
 * effects, docs/projections.md). The checkpoint is compared and set under a row lock: a batch
 * read from a checkpoint that has moved since (a second runner, a crash between read and
 * commit, a swap) writes nothing, so no event is ever applied twice by the runner, and an
 * event is never skipped, because the checkpoint only moves with the effects of the events
 * before it.
 */
export const writeBatch = (db: SqlDatabase, projection: Projection, clock: Clock, input: BatchInput) =>
  // one span per batch (docs/tracing.md), linked to the commands whose events it applies (the live loop runs
  // outside any trace, so each batch starts its own)
  inSpan(
    `projection batch ${projection.name}`,
    {
      attributes: {
        'projection.name': projection.name,
        'projection.scope': input.scope,
        'batch.events': input.events.length,
        'log.after_position': input.after.globalPosition,
        'log.through_position': input.through.globalPosition,
      },
    },
    async (span) => {
      if (span.isRecording()) span.addLinks(linksToCauses(input.events));
      const result = await applyBatch(db, projection, clock, input);
      if (span.isRecording())
        span.setAttributes({ 'projection.outcome': result.outcome, 'projection.parked': result.parked });
      return result;
    },
  );

const applyBatch = async (db: SqlDatabase, projection: Projection, clock: Clock, input: BatchInput) => {
  const presence = input.lease ? await db.presence?.() : undefined; // asked outside: PGlite has one connection
  return transactionParkingPoison(db, async (tx, poison): Promise<BatchResult> => {
    if (!(await tryLock(tx, projection.name, input.scope))) return { outcome: 'busy', parked: 0 };
    const { lease } = input;
    if (lease && !(await acquireLease(tx, projection.name, lease.owner, lease.durationMs, presence)))
      return { outcome: 'lease-lost', parked: 0 };
    const generation = await readGeneration(tx, projection.name, input.scope);
    if (!generation) return { outcome: 'gone', parked: 0 };
    if (generation.version !== projection.version)
      return { outcome: 'version-mismatch', parked: 0, generationVersion: generation.version };
    const name = checkpointNameFor(generation);
    const stored = await readCheckpoint(tx, name, { forUpdate: true });
    if (!stored || compareCheckpoints(stored, input.after) !== 0) return { outcome: 'moved', parked: 0 };
    const now = clock.now();
    const parked = await applyEvents(tx, { projection, generation, poison, now }, input.events);
    await writeCheckpoint(tx, name, input.through, now);
    return { outcome: 'applied', parked };
  });
};
