import type { SqlQueryable } from '@app/event-store';
import { instantOf } from '../sql-rows';
import type { IntakeRow } from './intake-row.evolve';
import { INTAKE_COLUMNS, INTAKES_TABLE, toIntakeRow, type IntakeTableRow } from './intakes.projection';

/** The intakes started in [from, to), by start then id: what the deflection report aggregates. */
export const intakesStartedIn = async (db: SqlQueryable, from: Date, to: Date): Promise<IntakeRow[]> =>
  (
    await db.query<IntakeTableRow>(
      `SELECT ${INTAKE_COLUMNS} FROM ${INTAKES_TABLE}
        WHERE started_at >= $1::timestamptz AND started_at < $2::timestamptz
        ORDER BY started_at, intake_id`,
      [from.toISOString(), to.toISOString()],
    )
  ).rows.map(toIntakeRow);

/** Where a walk over due intakes stands: the last one seen, in the walk's order. */
export interface IntakeCursor {
  readonly at: string;
  readonly intakeId: string;
}

export interface DueIntake {
  readonly intakeId: string;
  /** the moment that made it due: its last activity (idle), or the case request (unopened) */
  readonly at: string;
}

export interface DueIntakesQuery {
  /** due: the moment at or before this one */
  readonly before: Date;
  readonly after?: IntakeCursor;
  readonly limit: number;
}

const due = async (db: SqlQueryable, column: string, where: string, q: DueIntakesQuery): Promise<DueIntake[]> => {
  const after = q.after ?? { at: '-infinity', intakeId: '' };
  const { rows } = await db.query<{ intake_id: string; at: unknown }>(
    `SELECT intake_id, ${column} AS at FROM ${INTAKES_TABLE}
      WHERE ${where} AND ${column} <= $1::timestamptz AND (${column}, intake_id) > ($2::timestamptz, $3::text)
      ORDER BY ${column}, intake_id LIMIT $4`,
    [q.before.toISOString(), after.at, after.intakeId, q.limit],
  );
  return rows.map((r) => ({ intakeId: r.intake_id, at: instantOf(r.at) }));
};

/** Intakes still `suggesting` whose last activity is at or before `before`, oldest first (the abandonment sweep). */
export const idleIntakes = (db: SqlQueryable, q: DueIntakesQuery): Promise<DueIntake[]> =>
  due(db, 'last_activity_at', `status = 'suggesting'`, q);

/**
 * Intakes that asked for a case (R8) at or before `before` whose case's `Opened` is not in
 * the log (as far as the read model knows), oldest first (the completion sweep).
 */
export const unopenedCaseRequests = (db: SqlQueryable, q: DueIntakesQuery): Promise<DueIntake[]> =>
  due(db, 'ended_at', `status = 'case-requested' AND NOT case_opened`, q);

/** How many intakes each sweep has due at those moments (the worker's gauges). */
export const dueIntakeCounts = async (
  db: SqlQueryable,
  { idleBefore, requestedBefore }: { idleBefore: Date; requestedBefore: Date },
): Promise<{ idle: number; unopened: number }> => {
  const { rows } = await db.query<{ idle: unknown; unopened: unknown }>(
    `SELECT (SELECT count(*) FROM ${INTAKES_TABLE}
              WHERE status = 'suggesting' AND last_activity_at <= $1::timestamptz) AS idle,
            (SELECT count(*) FROM ${INTAKES_TABLE}
              WHERE status = 'case-requested' AND NOT case_opened AND ended_at <= $2::timestamptz) AS unopened`,
    [idleBefore.toISOString(), requestedBefore.toISOString()],
  );
  return { idle: Number(rows[0]?.idle ?? 0), unopened: Number(rows[0]?.unopened ?? 0) };
};
