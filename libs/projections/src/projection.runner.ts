import { backoffDelay } from '@app/clock';
import { compareCheckpoints, LOG_START, logReader, type LogCheckpoint } from '@app/event-store';
import { assertValidProjection, type Projection } from './projection';
import { CatchUpTimeout, isRetriable, ProjectionVersionAhead } from './projection.errors';
import type { ProjectionLag, ProjectionRunnerOptions, RunnerStats, RunnerStatus } from './projection-runner.types';
import {
  countParked,
  listParked,
  retryParkedEvents,
  type ParkedCounts,
  type ParkedEvent,
  type RetryParkedResult,
} from './parked-events';
import { rebuildProjection, rebuildProjections, type RebuildOptions, type RebuildResult } from './projection-rebuild';
import { writeBatch } from './internal/batch-writer';
import { readActiveCheckpoint, readCheckpoint } from './internal/checkpoints';
import { checkpointNameFor, readGeneration } from './internal/generations';
import { releaseLease } from './internal/lease';
import { runLiveLoop } from './internal/live-loop';
import { migrateProjections, prepareProjection } from './internal/prepare';
import { RunnerState, runnerSettings, type RunnerSettings } from './internal/runner-state';
import { sleep } from './internal/timing';

/** retriable failures a caller-driven call (catchUp, rebuild) absorbs before it throws */
const CALLER_ATTEMPTS = 5;

/**
 * Keeps one projection's read model current: reads the global log from the projection's
 * checkpoint, applies events in batches, and commits each batch's rows with the checkpoint
 * (docs/projections.md). One runner per projection and process; across processes, a lease
 * keeps one active and the others standing by.
 */
export class ProjectionRunner {
  readonly name: string;
  private readonly s: RunnerSettings;
  private readonly state: RunnerState;
  private readonly onRebuildProgress: ProjectionRunnerOptions['onRebuildProgress'];
  private running?: { readonly stop: AbortController; readonly loop: Promise<void> };
  private prepared?: Promise<void>;
  private migrated?: Promise<void>;

  constructor(
    readonly projection: Projection,
    options: ProjectionRunnerOptions,
  ) {
    assertValidProjection(projection);
    this.name = projection.name;
    this.s = runnerSettings(projection, options);
    this.state = new RunnerState(
      options.onError ??
        ((error) =>
          process.emitWarning(`projection ${this.name}: ${error.message}`, {
            code: 'PROJECTIONS',
            detail: error.stack,
          })),
    );
    this.onRebuildProgress = options.onRebuildProgress;
  }

  /** Creates the runner's tables and the projection's first generation if there is none. Idempotent. */
  prepare(): Promise<void> {
    this.prepared ??= prepareProjection(this.s.db, this.projection, this.s.clock).catch((error: unknown) => {
      this.prepared = undefined;
      throw error;
    });
    return this.prepared;
  }

  /** The runner's own tables only (no generation): what readers need to look at checkpoints. */
  private migrate(): Promise<void> {
    this.migrated ??= migrateProjections(this.s.db).catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    });
    return this.migrated;
  }

  /** Prepares, then follows the log in the background until {@link stop}. */
  async start(): Promise<void> {
    if (this.running) return;
    await this.prepare();
    if (this.running) return;
    const stop = new AbortController();
    const hooks = {
      prepare: () => {
        this.prepared = undefined;
        return this.prepare();
      },
      rebuild: (options: RebuildOptions) => this.rebuildOnce({ ...options, onProgress: this.onRebuildProgress }),
    };
    this.running = { stop, loop: runLiveLoop(this.s, this.state, hooks, stop.signal) };
  }

  /** Lets the batch in flight commit, ends the loop and gives the lease up. */
  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    running.stop.abort();
    await running.loop;
    if (this.running === running) this.running = undefined;
    this.state.status = 'stopped';
    await releaseLease(this.s.db, this.name, this.s.owner).catch((error: unknown) => this.state.report(error));
  }

  /**
   * Resolves once every event committed before the call is applied (or parked) by this
   * version of the projection. Started, it waits for the loop; stopped, it does the work
   * itself (standing aside while another process's runner holds the lease).
   * @throws CatchUpTimeout
   */
  async catchUp({ timeoutMs = 60_000 }: { timeoutMs?: number } = {}): Promise<void> {
    await this.prepare();
    const head = await this.s.store.head();
    if (!head) return;
    const deadline = Date.now() + timeoutMs;
    if (this.running) {
      if (await this.waitForCheckpoint(head, deadline, true)) return;
      throw new CatchUpTimeout(this.name, timeoutMs);
    }
    try {
      for (let failures = 0; ;) {
        if (Date.now() > deadline) throw new CatchUpTimeout(this.name, timeoutMs);
        try {
          if (await this.catchUpStep(head)) return;
          failures = 0;
        } catch (error) {
          if (!isRetriable(error) || ++failures > CALLER_ATTEMPTS) throw error;
          await sleep(backoffDelay(failures, this.s.retryPolicy));
        }
      }
    } finally {
      if (!this.running)
        await releaseLease(this.s.db, this.name, this.s.owner).catch((error: unknown) => this.state.report(error));
    }
  }

  /**
   * Resolves true once the checkpoint readers see has passed the event at `position` (a
   * global position, or a checkpoint such as an append's), false after `timeoutMs`. The log
   * is ordered by (transaction id, position), not by position alone, so the event's
   * transaction id is looked up first: a checkpoint with a larger position may still be
   * before it.
   */
  async waitForPosition(position: number | LogCheckpoint, timeoutMs: number): Promise<boolean> {
    // not built yet (no worker has run): nothing to wait for, and nothing a reader may build
    if (!(await this.storedCheckpoint())) return false;
    const deadline = Date.now() + timeoutMs;
    let target = typeof position === 'number' ? undefined : position;
    for (;;) {
      const seen = this.state.progress.current;
      target ??= await logReader(this.s.db).checkpointAt(position as number);
      if (target && (await this.waitForCheckpoint(target, Date.now(), false))) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.state.progress.wait(seen, Math.min(this.s.pollMs, left));
    }
  }

  /** How far the read model readers see is behind the log. */
  async lag(): Promise<ProjectionLag> {
    // the whole log while none is built: a probe or a gauge builds nothing
    const checkpoint = (await this.storedCheckpoint()) ?? LOG_START;
    const { events, oldest } = await logReader(this.s.db).countAfter(checkpoint);
    const seconds = oldest ? Math.max(0, (this.s.clock.now().getTime() - oldest.getTime()) / 1000) : 0;
    return { events, seconds, checkpoint };
  }

  /** The checkpoint of the generation readers see. */
  async checkpoint(): Promise<LogCheckpoint> {
    await this.prepare();
    return (await this.storedCheckpoint()) ?? LOG_START;
  }

  /**
   * The checkpoint of the generation readers see as stored, undefined while none is built.
   * Prepares nothing (the runner's own tables only), unlike {@link checkpoint}: for readers
   * (the API's caches, read-your-writes waits, lag probes) that must not
   * create a read model the worker has not built yet (READ_MODEL.NOT_READY).
   */
  async storedCheckpoint(): Promise<LogCheckpoint | undefined> {
    await this.migrate();
    const at = await readActiveCheckpoint(this.s.db, this.name);
    return at && { transactionId: at.transactionId, globalPosition: at.globalPosition };
  }

  /** How many events are parked, in how many streams (of the generation readers see). */
  async parked(): Promise<ParkedCounts> {
    await this.migrate();
    return countParked(this.s.db, this.name);
  }

  /** The parked events in log order, the failed one of each stream with its error. */
  async listParked(limit?: number): Promise<ParkedEvent[]> {
    await this.prepare();
    return listParked(this.s.db, this.name, limit);
  }

  /** Applies parked events again (all streams, or one); see {@link retryParkedEvents}. */
  async retryParked(streamId?: string): Promise<RetryParkedResult> {
    await this.prepare();
    const result = await retryParkedEvents(this.s.db, this.projection, streamId);
    this.state.progress.fire();
    return result;
  }

  /**
   * Rebuilds into fresh tables from the start of the log while the current ones keep
   * serving, then swaps them in one transaction and drops the old ones. Retriable failures
   * are retried (resuming the half-built generation).
   */
  async rebuild(options: RebuildOptions = {}): Promise<RebuildResult> {
    await this.prepare();
    for (let failures = 0, fresh = options.fresh ?? true; ; fresh = false) {
      try {
        return await this.rebuildOnce({ ...options, fresh });
      } catch (error) {
        if (!isRetriable(error) || ++failures > CALLER_ATTEMPTS || options.signal?.aborted) throw error;
        await sleep(backoffDelay(failures, this.s.retryPolicy), options.signal);
      }
    }
  }

  /**
   * Rebuilds several projections as {@link rebuild} each, reading the log once for their
   * passes stream by stream (`rebuildProjections`): what `casectl projections rebuild`
   * does for all of them. The runners must share one store. Retriable failures are retried,
   * resuming the half-built generations.
   */
  static async rebuildAll(
    runners: readonly ProjectionRunner[],
    options: RebuildOptions = {},
  ): Promise<RebuildResult[]> {
    for (const runner of runners) await runner.prepare();
    const deps = runners.map((runner) => runner.s);
    for (let failures = 0, fresh = options.fresh ?? true; ; fresh = false) {
      try {
        const results = await rebuildProjections(deps, { ...options, fresh });
        for (const runner of runners) runner.state.progress.fire();
        return results;
      } catch (error) {
        const retry = runners[0]?.s.retryPolicy;
        if (!isRetriable(error) || ++failures > CALLER_ATTEMPTS || options.signal?.aborted || !retry) throw error;
        await sleep(backoffDelay(failures, retry), options.signal);
      }
    }
  }

  status(): RunnerStatus {
    return this.state.status;
  }

  stats(): RunnerStats {
    return this.state.stats();
  }

  /** One batch of a caller-driven catch-up; true once the checkpoint has reached `head`. */
  private async catchUpStep(head: LogCheckpoint): Promise<boolean> {
    const { db, projection, store } = this.s;
    const active = await readGeneration(db, this.name, 'active');
    if (active && active.version > projection.version)
      throw new ProjectionVersionAhead(this.name, projection.version, active.version);
    if (!active || active.version < projection.version) {
      await this.rebuildOnce({ fresh: false });
      return false;
    }
    const after = await readCheckpoint(db, checkpointNameFor(active));
    if (!after) return false;
    if (compareCheckpoints(after, head) >= 0) return true;
    const batch = await store.readAll({ after, limit: this.s.batchSize });
    if (batch.events.length === 0) {
      // `head` committed, but readers do not see it yet: a transaction older than it is still
      // in flight somewhere on the server (the log never skips). Wait for it, within the deadline.
      await sleep(Math.min(this.s.standbyPollMs, 25));
      return false;
    }
    const lease = { owner: this.s.owner, durationMs: this.s.leaseMs };
    const input = { scope: 'active' as const, events: batch.events, after, through: batch.checkpoint, lease };
    const result = await writeBatch(db, projection, this.s.clock, input);
    if (result.outcome === 'applied') this.state.recordBatch(batch.events.length, result.parked);
    // another runner holds the lease (or a swap or retry the lock): let it work, look again
    else if (result.outcome === 'lease-lost' || result.outcome === 'busy')
      await this.state.progress.wait(this.state.progress.current, this.s.standbyPollMs);
    return false;
  }

  /**
   * Until the active generation has passed `target` (and, with `ownVersion`, is of this
   * code's version: a rebuild for a new version may be under way), or `deadline`.
   */
  private async waitForCheckpoint(target: LogCheckpoint, deadline: number, ownVersion: boolean): Promise<boolean> {
    for (;;) {
      const seen = this.state.progress.current;
      const at = await readActiveCheckpoint(this.s.db, this.name);
      const current = at && (!ownVersion || at.version === this.projection.version);
      if (current && compareCheckpoints(at, target) >= 0) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.state.progress.wait(seen, Math.min(this.s.pollMs, left));
    }
  }

  private async rebuildOnce(options: RebuildOptions): Promise<RebuildResult> {
    const result = await rebuildProjection(this.s, options);
    this.state.progress.fire();
    return result;
  }
}
