import {
  compareCheckpoints,
  LOG_START,
  logReader,
  type EventStore,
  type LogCheckpoint,
  type RecordedEvent,
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
  createIndexes,
  dropGeneration,
  pointViews,
  readGeneration,
  readStreamPass,
  setGenerationState,
  writeStreamPass,
  type Generation,
  type StreamPass,
} from './internal/generations';
import { lock, tryLock } from './internal/locks';
import { dropRetired } from './internal/prepare';
import { SharedPassReads } from './internal/shared-reads';
import { sleep } from './internal/timing';

export interface RebuildProgress {
  /** the projection rebuilt (several progress together in {@link rebuildProjections}) */
  readonly projection: string;
  readonly generation: number;
  /** events read from the log into the new tables so far */
  readonly events: number;
  /** the generation's checkpoint: the start of the log during a pass stream by stream */
  readonly checkpoint: LogCheckpoint;
  /** during a pass stream by stream, the last stream applied */
  readonly afterStream?: string;
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
  let building = await startBuilding(deps, options.fresh ?? true);
  let events = 0;
  for (let pass = projection.applyNewStreams && (await readStreamPass(db, building)); pass;) {
    const member: PassMember = { deps, generation: building, events };
    const [left] = await passTogether([member], pass, batchSize, options);
    events = member.events;
    if (!left) break; // the pass is over
    // another process builds this projection too (or a new generation): go on from where it is
    if (left.outcome === 'busy') await sleep(deps.pollMs, options.signal);
    const current = await readGeneration(db, projection.name, 'building');
    if (!current) return finished(deps, events, false);
    building = current;
    pass = await readStreamPass(db, building);
  }
  const name = checkpointNameFor(building);
  const reader = store.reader();
  let after: LogCheckpoint = (await readCheckpoint(db, name)) ?? LOG_START;
  for (;;) {
    options.signal?.throwIfAborted();
    // the next window of the log, only the events of the handled types sent over
    const batch = await reader.readAllOfTypes({ after, types: projection.handles, window: batchSize });
    if (compareCheckpoints(batch.checkpoint, after) <= 0) break;
    const input = { scope: 'building' as const, events: batch.events, after, through: batch.checkpoint };
    const { outcome } = await writeBatch(db, projection, clock, input);
    if (outcome === 'applied') {
      after = batch.checkpoint;
      events += batch.events.length;
      await options.onProgress?.({
        projection: projection.name,
        generation: building.generation,
        events,
        checkpoint: after,
      });
      // the log's end as it was a moment ago. Stop here rather than chase writers that
      // never pause; the swap applies what the live runner got to meanwhile.
      if (batch.end) break;
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
 * Rebuilds several projections of one store, as {@link rebuildProjection} each, but with
 * one read of the log for the passes stream by stream: each batch of whole streams is read
 * once and written to every new generation, each in its own transaction, at the same time
 * (one connection each). Then each projection goes on alone: the rest of the log in log
 * order, the swap. A projection whose batch is not applied (another process builds it
 * too) leaves the shared pass and goes on from its own place afterwards. Resolves to the
 * projections' results, in order.
 */
export const rebuildProjections = async (
  all: readonly RebuildDeps[],
  options: RebuildOptions = {},
): Promise<RebuildResult[]> => {
  if (all.length === 0) return [];
  const fresh = options.fresh ?? true;
  const through = await all[0].store.reader().committedHead();
  const members: PassMember[] = [];
  for (const deps of all) {
    const generation = await startBuilding(deps, fresh, through);
    const pass = deps.projection.applyNewStreams && (await readStreamPass(deps.db, generation));
    // together only from the same place: a pass resumed elsewhere goes on alone
    if (pass && through && pass.afterStream === '' && compareCheckpoints(pass.through, through) === 0)
      members.push({ deps, generation, events: 0 });
  }
  // the projections that leave the pass (another process builds them too) go on alone below
  if (through && members.length > 0)
    await passTogether(
      members,
      { through, afterStream: '' },
      options.batchSize ?? members[0].deps.rebuildBatchSize,
      options,
    );
  const results: RebuildResult[] = [];
  for (const deps of all) {
    const result = await rebuildProjection(deps, { ...options, fresh: false });
    const member = members.find((m) => m.deps === deps);
    results.push({ ...result, events: result.events + (member?.events ?? 0) });
  }
  return results;
};

type PassOutcome = 'applied' | 'moved' | 'busy' | 'gone' | 'version-mismatch';

/** A generation in a pass stream by stream, and the events it has been given so far. */
interface PassMember {
  readonly deps: RebuildDeps;
  readonly generation: Generation;
  events: number;
  /** why it left the pass before its end */
  outcome?: Exclude<PassOutcome, 'applied' | 'version-mismatch'>;
}

/**
 * The pass stream by stream of generations of projections with `applyNewStreams`, all at
 * the same place `from`: the log up to where it stood when they were made (`through`), whole
 * streams at a time in the primary key's order, each batch read once (SharedPassReads, the
 * next one read while one is written) and written by each generation at its own pace, in
 * its own transaction with the pass's new place (the last stream applied) on its row. The
 * last batch moves each generation's checkpoint to `through`, from where the rest of the
 * log follows in log order. The first failure stops the others between batches. Resolves
 * to the members that left before the end: their batch was not applied (another process
 * builds them too), they go on from their own place.
 */
const passTogether = async (
  members: readonly PassMember[],
  from: StreamPass,
  batchSize: number,
  options: RebuildOptions,
): Promise<PassMember[]> => {
  const { through } = from;
  const types = [...new Set(members.flatMap((m) => m.deps.projection.handles))];
  const reads = new SharedPassReads(
    members[0].deps.store.reader(),
    { through, types, events: batchSize, afterStream: from.afterStream },
    members.length,
  );
  const failed = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, failed.signal]) : failed.signal;
  const settled = await Promise.allSettled(
    members.map(async (member, r) => {
      const { deps } = member;
      try {
        for (let i = 0; ; i++) {
          signal.throwIfAborted();
          const batch = await reads.get(r, i);
          if (!batch) return;
          const pass = { through, afterStream: batch.afterStream };
          const following = batch.next === undefined ? undefined : { through, afterStream: batch.next };
          const outcome = await writePassBatch(deps, member.generation, pass, following, batch.events);
          if (outcome === 'version-mismatch')
            throw new ProjectionNeedsRebuild(deps.projection.name, deps.projection.version, undefined);
          if (outcome !== 'applied') {
            member.outcome = outcome;
            return;
          }
          reads.passed(r, i);
          member.events += batch.events.filter((e) => deps.projection.handles.includes(e.type)).length;
          await options.onProgress?.({
            projection: deps.projection.name,
            generation: member.generation.generation,
            events: member.events,
            checkpoint: LOG_START,
            afterStream: batch.next ?? '',
          });
        }
      } catch (error) {
        failed.abort(error);
        throw error;
      } finally {
        reads.leave(r);
      }
    }),
  );
  const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw options.signal?.aborted ? options.signal.reason : failure.reason;
  return members.filter((member) => member.outcome !== undefined);
};

/** One batch of the pass and the pass's new place, in one transaction (as writeBatch for the log order). */
const writePassBatch = (
  { db, projection, clock }: RebuildDeps,
  building: Generation,
  pass: StreamPass,
  following: StreamPass | undefined,
  events: readonly RecordedEvent[],
): Promise<PassOutcome> =>
  transactionParkingPoison(db, async (tx, poison): Promise<PassOutcome> => {
    // no wait for the WAL flush at commit: a crash may lose the last batches, but each takes
    // its place in the pass with it, so the pass goes on from the last one kept
    await tx.query('SET LOCAL synchronous_commit = off');
    if (!(await tryLock(tx, projection.name, 'building'))) return 'busy';
    const generation = await readGeneration(tx, projection.name, 'building');
    if (!generation) return 'gone';
    if (generation.version !== projection.version) return 'version-mismatch';
    if (generation.generation !== building.generation) return 'moved';
    const stored = await readStreamPass(tx, generation, { forUpdate: true });
    if (!stored || stored.afterStream !== pass.afterStream || compareCheckpoints(stored.through, pass.through) !== 0)
      return 'moved';
    const now = clock.now();
    await applyEvents(tx, { projection, generation, poison, now, newStreams: true }, events);
    await writeStreamPass(tx, generation, following);
    if (!following) {
      // the pass is over: its indexes, built from the rows (the rest of the log updates them)
      await createIndexes(tx, projection, generation.tables);
      await writeCheckpoint(tx, checkpointNameFor(generation), pass.through, now);
    }
    return 'applied';
  });

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
const startBuilding = (
  { db, projection, clock }: RebuildDeps,
  fresh: boolean,
  /** where a new generation's pass stream by stream ends; default the log's end now */
  passThrough?: LogCheckpoint,
): Promise<Generation> =>
  db.transaction(async (tx) => {
    await lock(tx, projection.name, 'building');
    const active = await readGeneration(tx, projection.name, 'active');
    if (active && active.version > projection.version)
      throw new ProjectionVersionAhead(projection.name, projection.version, active.version);
    const existing = await readGeneration(tx, projection.name, 'building');
    if (existing && existing.version === projection.version && !fresh) return existing;
    if (existing) await dropGeneration(tx, existing);
    // stream by stream up to the log's end as of now (all of it committed), then in log order;
    // the secondary indexes are made at the end of that pass, from the rows
    const through = projection.applyNewStreams && (passThrough ?? (await logReader(tx).committedHead()));
    const created = await createGeneration(tx, projection, 'building', clock.now(), { deferIndexes: !!through });
    if (through) await writeStreamPass(tx, created, { through, afterStream: '' });
    return created;
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
