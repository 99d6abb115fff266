import { SqlCheckpoints, type LogCheckpoint, type SqlQueryable } from '@app/event-store';
import type { PlannedTimer, TimerKind, TimerPayload } from '../plan/timer-plan';
import { TIMERS_COMPONENT } from './timers.migrations';

/** A due timer a scheduler has claimed (leased). */
export interface ClaimedTimer {
  readonly id: string;
  readonly kind: TimerKind;
  readonly streamId: string;
  readonly dueAt: Date;
  readonly payload: TimerPayload;
  readonly attempts: number;
}

export interface TimerRow extends ClaimedTimer {
  readonly state: 'pending' | 'done' | 'cancelled' | 'failed';
  readonly lastError: string | null;
  readonly doneAt: Date | null;
}

interface Row {
  timer_id: string;
  kind: TimerKind;
  stream_id: string;
  due_at: Date | string;
  payload: TimerPayload | string;
  attempts: number;
  state?: TimerRow['state'];
  last_error?: string | null;
  done_at?: Date | string | null;
}

const toTimer = (r: Row): TimerRow => ({
  id: r.timer_id,
  kind: r.kind,
  streamId: r.stream_id,
  dueAt: new Date(r.due_at),
  payload: typeof r.payload === 'string' ? (JSON.parse(r.payload) as TimerPayload) : r.payload,
  attempts: Number(r.attempts),
  state: r.state ?? 'pending',
  lastError: r.last_error ?? null,
  doneAt: r.done_at ? new Date(r.done_at) : null,
});

/** The timers a case needs, planned from its state at `version`. */
export interface CasePlan {
  readonly streamId: string;
  readonly version: number;
  readonly timers: readonly PlannedTimer[];
}

/**
 * Replaces the plans of several cases, in three statements whatever their number: for each
 * case the listed timers are created or moved (a timer already done is never armed again)
 * and its other pending timers are cancelled. Guarded by the case version each plan was made
 * from: a plan older than the stored one changes nothing, so two indexers (two worker
 * processes) cannot undo each other. Resolves to the streams whose plan was applied.
 */
export const applyPlans = async (tx: SqlQueryable, plans: readonly CasePlan[], now: Date): Promise<Set<string>> => {
  if (plans.length === 0) return new Set();
  const { rows } = await tx.query<{ stream_id: string }>(
    `INSERT INTO timer_plans (stream_id, stream_version, planned_at)
     SELECT p.stream_id, p.stream_version, $3 FROM unnest($1::text[], $2::bigint[]) AS p(stream_id, stream_version)
     ON CONFLICT (stream_id) DO UPDATE SET stream_version = EXCLUDED.stream_version, planned_at = EXCLUDED.planned_at
     WHERE timer_plans.stream_version < EXCLUDED.stream_version
     RETURNING stream_id`,
    [plans.map((p) => p.streamId), plans.map((p) => p.version), now],
    { name: 'timers_advance_plans' },
  );
  const applied = new Set(rows.map((r) => r.stream_id));
  const timers = plans.filter((p) => applied.has(p.streamId)).flatMap((p) => p.timers.map((t) => ({ ...t, p })));
  if (timers.length > 0)
    await tx.query(
      `INSERT INTO timers (timer_id, kind, stream_id, due_at, payload, state, planned_version, updated_at)
       SELECT t.timer_id, t.kind, t.stream_id, t.due_at, t.payload::jsonb, 'pending', t.planned_version, $7
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::bigint[])
         AS t(timer_id, kind, stream_id, due_at, payload, planned_version)
       ON CONFLICT (timer_id) DO UPDATE SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload, state = 'pending',
         planned_version = EXCLUDED.planned_version, updated_at = EXCLUDED.updated_at, done_at = NULL
       WHERE timers.state IN ('pending', 'cancelled')`,
      [
        timers.map((t) => t.id),
        timers.map((t) => t.kind),
        timers.map((t) => t.p.streamId),
        timers.map((t) => t.dueAt),
        timers.map((t) => JSON.stringify(t.payload)),
        timers.map((t) => t.p.version),
        now,
      ],
      { name: 'timers_upsert_planned' },
    );
  // timer ids name their case (timerId), so one list of kept ids serves every case
  await tx.query(
    `UPDATE timers SET state = 'cancelled', updated_at = $3, claimed_by = NULL, claimed_until = NULL
     WHERE stream_id = ANY($1::text[]) AND state = 'pending' AND NOT (timer_id = ANY($2::text[]))`,
    [[...applied], timers.map((t) => t.id), now],
    { name: 'timers_cancel_unplanned' },
  );
  return applied;
};

/**
 * Takes up to `limit` due timers for `owner` until `until`. `FOR UPDATE SKIP LOCKED` lets
 * two schedulers claim at the same moment without taking the same row; the lease lets
 * another scheduler take a timer over when its owner died before finishing it.
 */
export const claimDue = async (
  db: SqlQueryable,
  owner: string,
  now: Date,
  until: Date,
  limit: number,
): Promise<ClaimedTimer[]> => {
  const { rows } = await db.query<Row>(
    `UPDATE timers SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1
     WHERE timer_id IN (
       SELECT timer_id FROM timers
       WHERE state = 'pending' AND due_at <= $3 AND (claimed_until IS NULL OR claimed_until <= $3)
       ORDER BY due_at, timer_id LIMIT $4
       FOR UPDATE SKIP LOCKED)
     RETURNING timer_id, kind, stream_id, due_at, payload, attempts`,
    [owner, until, now, limit],
  );
  return rows.map(toTimer).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id.localeCompare(b.id));
};

/**
 * Ends a claimed timer: `done` (it did what it was for, or found it done), `cancelled` (it
 * no longer applies), `failed` (gave up). Only if still claimed by `owner` at the due time
 * it claimed: when the indexer moved it meanwhile, the claim is released instead, and the
 * timer fires at its new time. Resolves to whether the timer was ended.
 */
export const finishTimer = async (
  db: SqlQueryable,
  timer: ClaimedTimer,
  owner: string,
  state: 'done' | 'cancelled' | 'failed',
  now: Date,
  note: string | null = null,
): Promise<boolean> => {
  const { rows } = await db.query(
    `UPDATE timers SET state = $4, done_at = $5, updated_at = $5, last_error = $6, claimed_by = NULL, claimed_until = NULL
     WHERE timer_id = $1 AND claimed_by = $2 AND due_at = $3 AND state = 'pending' RETURNING timer_id`,
    [timer.id, owner, timer.dueAt, state, now, note],
  );
  if (rows.length === 0) await releaseTimer(db, timer, owner);
  return rows.length > 0;
};

/** Moves a claimed timer to `dueAt` (fired too early) and releases it, unless the indexer moved it first. */
export const rescheduleTimer = async (db: SqlQueryable, timer: ClaimedTimer, owner: string, dueAt: Date, now: Date) => {
  const { rows } = await db.query(
    `UPDATE timers SET due_at = $4, updated_at = $5, claimed_by = NULL, claimed_until = NULL
     WHERE timer_id = $1 AND claimed_by = $2 AND due_at = $3 AND state = 'pending' RETURNING timer_id`,
    [timer.id, owner, timer.dueAt, dueAt, now],
  );
  if (rows.length === 0) await releaseTimer(db, timer, owner);
};

/** Keeps the claim until `retryAt` (a back-off after a retriable failure) and notes the error. */
export const retryTimerLater = async (
  db: SqlQueryable,
  timer: ClaimedTimer,
  owner: string,
  retryAt: Date,
  error: string,
) =>
  db.query(`UPDATE timers SET claimed_until = $3, last_error = $4 WHERE timer_id = $1 AND claimed_by = $2`, [
    timer.id,
    owner,
    retryAt,
    error,
  ]);

export const releaseTimer = async (db: SqlQueryable, timer: ClaimedTimer, owner: string) =>
  db.query(`UPDATE timers SET claimed_by = NULL, claimed_until = NULL WHERE timer_id = $1 AND claimed_by = $2`, [
    timer.id,
    owner,
  ]);

/** Every timer of a case (for tests, and the operator's eye). */
export const timersOf = async (db: SqlQueryable, streamId: string): Promise<TimerRow[]> => {
  const { rows } = await db.query<Row>(
    `SELECT timer_id, kind, stream_id, due_at, payload, attempts, state, last_error, done_at
     FROM timers WHERE stream_id = $1 ORDER BY due_at, timer_id`,
    [streamId],
  );
  return rows.map(toTimer);
};

export interface PendingTimerCounts {
  readonly pending: number;
  /** pending with `due_at <= now` */
  readonly due: number;
  /** `now` minus the earliest due time among those, 0 when none is due */
  readonly overdueSeconds: number;
}

/** Pending timers per kind, those due at `now`, and how late the earliest due one is (for /metrics). */
export const pendingTimerCounts = async (db: SqlQueryable, now: Date): Promise<Map<TimerKind, PendingTimerCounts>> => {
  const { rows } = await db.query<{
    kind: TimerKind;
    pending: string | number;
    due: string | number;
    oldest_due: Date | string | null;
  }>(
    `SELECT kind, count(*) AS pending, count(*) FILTER (WHERE due_at <= $1) AS due,
       min(due_at) FILTER (WHERE due_at <= $1) AS oldest_due
     FROM timers WHERE state = 'pending' GROUP BY kind`,
    [now],
  );
  return new Map(
    rows.map((r) => [
      r.kind,
      {
        pending: Number(r.pending),
        due: Number(r.due),
        overdueSeconds: r.oldest_due ? Math.max(0, (now.getTime() - new Date(r.oldest_due).getTime()) / 1000) : 0,
      },
    ]),
  );
};

/** The earliest pending due time, if any. */
export const nextDueAt = async (db: SqlQueryable): Promise<Date | undefined> => {
  const { rows } = await db.query<{ due: Date | string | null }>(
    `SELECT min(due_at) AS due FROM timers WHERE state = 'pending'`,
  );
  return rows[0]?.due ? new Date(rows[0].due) : undefined;
};

/**
 * The indexer's checkpoint: a row of the store's `checkpoints` table under the component
 * `timers`, saved in the indexer's transaction with the timers, plans and outbox rows.
 */
const checkpoints = new SqlCheckpoints(TIMERS_COMPONENT);

export const readCheckpoint = async (db: SqlQueryable, name: string): Promise<LogCheckpoint | undefined> => {
  const saved = await checkpoints.read(db, name);
  return saved && { transactionId: saved.transactionId, globalPosition: saved.globalPosition };
};

/** Moves the checkpoint forward only (two indexers may save out of order). */
export const saveCheckpoint = (tx: SqlQueryable, name: string, checkpoint: LogCheckpoint, now: Date) =>
  checkpoints.save(tx, name, checkpoint, now, { forwardOnly: true });
