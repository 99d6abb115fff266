import {
  compareCheckpoints,
  LOG_START,
  logReader,
  type EventStore,
  type LogCheckpoint,
  type SqlDatabase,
} from '@app/event-store';
import type { Clock } from '@app/clock';
import { checkpointNameOf, type Projection } from './projection';
import { ProjectionNeedsRebuild, ProjectionVersionAhead } from './projection.errors';
import { applyEvents, transactionParkingPoison } from './internal/apply-events';
import { writeBatch } from './internal/batch-writer';
import { deleteCheckpoint, readCheckpoint, renameCheckpoint, writeCheckpoint } from './internal/checkpoints';
import {
  checkpointNameFor,
  createGeneration,
  dropGeneration,
  pointViews,
  readGeneration,
  setGenerationState,
  type Generation,
} from './internal/generations';
import { lock } from './internal/locks';
import { dropRetired } from './internal/prepare';
import { sleep } from './internal/timing';

export interface RebuildProgress {
  readonly generation: number;
  /** events read from the log into the new tables so far */
  readonly events: number;
  readonly checkpoint: LogCheckpoint;
}

export interface RebuildOptions {
  /** events per transaction; default: the runner's rebuild batch size (5000) */
  readonly batchSize?: number;
  /**
   * Start over even when a rebuild of this version was left half done (by a crash or a
   * stop); default true. The runner's own rebuild after a version change resumes instead.
   */
  readonly fresh?: boolean;
  /** stops the build between batches (the half-built generation stays, to be resumed) */
  readonly signal?: AbortSignal;
  /** called after each batch written to the new tables; the rebuild waits for it */
  readonly onProgress?: (progress: RebuildProgress) => void | Promise<void>;
}

export interface RebuildResult {
  /** the generation now active */
  readonly generation: number;
  readonly version: number;
  /** events this call read into the new tables */
  readonly events: number;
  /** false when another process swapped the same rebuild in first */
  readonly swapped: boolean;
}

export interface RebuildDeps {
  readonly db: SqlDatabase;
  readonly store: EventStore;
  readonly projection: Projection;
  readonly clock: Clock;
  readonly rebuildBatchSize: number;
  readonly pollMs: number;
}

/**
 * Rebuilds a projection into fresh tables from the start of the log while the old tables
 * keep serving (and the live runner keeps them current), then swaps in one transaction and
 * drops the old tables (docs/projections.md, "Rebuild").
 */
export const rebuildProjection = async (deps: RebuildDeps, options: RebuildOptions = {}): Promise<RebuildResult> => {
  const { db, store, projection, clock } = deps;
  const batchSize = options.batchSize ?? deps.rebuildBatchSize;
  const building = await startBuilding(deps, options.fresh ?? true);
  const name = checkpointNameFor(building);
  let after: LogCheckpoint = (await readCheckpoint(db, name)) ?? LOG_START;
  let events = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const batch = await store.readAll({ after, limit: batchSize });
    if (batch.events.length === 0) break;
    const input = { scope: 'building' as const, events: batch.events, after, through: batch.checkpoint };
    const { outcome } = await writeBatch(db, projection, clock, input);
    if (outcome === 'applied') {
      after = batch.checkpoint;
      events += batch.events.length;
      await options.onProgress?.({ generation: building.generation, events, checkpoint: after });
      // a short batch: the log's end as it was a moment ago. Stop here rather than chase
      // writers that never pause; the swap applies what the live runner got to meanwhile.
      if (batch.events.length < batchSize) break;
      continue;
    }
    if (outcome === 'gone') return finished(deps, events, false);
    if (outcome === 'version-mismatch')
      throw new ProjectionNeedsRebuild(projection.name, projection.version, undefined);
    // busy or moved: another process builds the same generation; go on from where it is
    if (outcome === 'busy') await sleep(deps.pollMs, options.signal);
    after = (await readCheckpoint(db, name)) ?? LOG_START;
  }
  await settle(db, building);
  const swapped = await swap(deps, batchSize);
  await dropRetired(db, projection.name);
  return finished(deps, events, swapped);
};

/**
 * A table just filled has no planner statistics and no visibility map until autovacuum gets
 * to it: plans guess, and index-only scans read the heap (a vendor's queue counts took 135 ms
 * instead of 4 ms at a million cases). So the new tables are vacuumed and analysed before
 * the swap shows them to readers. Best effort: a failure (the generation dropped by another
 * process meanwhile, say) leaves the tables as autovacuum would find them.
 */
const settle = async (db: SqlDatabase, building: Generation): Promise<void> => {
  for (const table of Object.values(building.tables))
    await db.query(`VACUUM (ANALYZE) ${table}`).catch(() => undefined);
};

const finished = async ({ db, projection }: RebuildDeps, events: number, swapped: boolean): Promise<RebuildResult> => {
  const active = await readGeneration(db, projection.name, 'active');
  return { generation: active?.generation ?? 0, version: active?.version ?? 0, events, swapped };
};

/** The generation to fill: the half-built one of this version (when resuming), else a new one. */
const startBuilding = ({ db, projection, clock }: RebuildDeps, fresh: boolean): Promise<Generation> =>
  db.transaction(async (tx) => {
    await lock(tx, projection.name, 'building');
    const active = await readGeneration(tx, projection.name, 'active');
    if (active && active.version > projection.version)
      throw new ProjectionVersionAhead(projection.name, projection.version, active.version);
    const existing = await readGeneration(tx, projection.name, 'building');
    if (existing && existing.version === projection.version && !fresh) return existing;
    if (existing) await dropGeneration(tx, existing);
    return createGeneration(tx, projection, 'building', clock.now());
  });

/**
 * The swap, in one transaction holding both locks (a live batch cannot run meanwhile).
 * First the new tables catch up to the old ones' checkpoint, reading the events in between
 * inside the transaction: readers must never go back in time, or a caller that waited for
 * a position (waitForPosition) could stop seeing its own write. Then the registry, the
 * checkpoints and the views change together: readers see the old rows until the commit,
 * the new ones after it. Resolves to false when there was nothing to swap (another
 * process swapped first).
 */
const swap = ({ db, projection, clock }: RebuildDeps, batchSize: number): Promise<boolean> =>
  transactionParkingPoison(db, async (tx, poison) => {
    await lock(tx, projection.name, 'building');
    await lock(tx, projection.name, 'active');
    const building = await readGeneration(tx, projection.name, 'building');
    if (!building) return false;
    const buildingName = checkpointNameFor(building);
    let at: LogCheckpoint = (await readCheckpoint(tx, buildingName, { forUpdate: true })) ?? LOG_START;
    const active = await readGeneration(tx, projection.name, 'active');
    const now = clock.now();
    if (active) {
      const activeAt = await readCheckpoint(tx, checkpointNameFor(active), { forUpdate: true });
      while (activeAt && compareCheckpoints(at, activeAt) < 0) {
        const events = await logReader(tx).readRange({ after: at, upTo: activeAt, limit: batchSize });
        if (events.length === 0) break;
        await applyEvents(tx, { projection, generation: building, poison, now }, events);
        at = events[events.length - 1];
      }
      await setGenerationState(tx, active, 'retired', now);
      await deleteCheckpoint(tx, checkpointNameFor(active));
      // the old generation's parked events go with its tables: the new one parks its own
      await tx.query('DELETE FROM projection_parked WHERE projection = $1 AND generation = $2', [
        projection.name,
        active.generation,
      ]);
    }
    const activeName = checkpointNameOf(projection.name, building.version);
    await deleteCheckpoint(tx, activeName);
    await writeCheckpoint(
      tx,
      buildingName,
      { transactionId: at.transactionId, globalPosition: at.globalPosition },
      now,
    );
    await renameCheckpoint(tx, buildingName, activeName);
    await setGenerationState(tx, building, 'active', now);
    await pointViews(tx, { ...building, state: 'active' }, active);
    return true;
  });
