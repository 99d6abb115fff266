import { INTAKE_EVENT_TYPES } from '@app/case-domain';
import type { Projection } from '@app/projections';
import { EventRefused } from '../batch-projection';
import { documentProjection, oneRowPerDocument } from '../document-projection';
import { bigint, boolean, instantOrNull, integerOrNull, rowTable, text, textArray, textOrNull } from '../row-table';
import { evolveIntakeRow, intakeKeyOf, type IntakeRow } from './intake-row.evolve';

/** The projection's name (its checkpoint is `projector:intakes:v<N>`). */
export const INTAKES_PROJECTION = 'intakes';
/** The stable name readers query (a view over the active generation's table). */
export const INTAKES_TABLE = 'intakes';

/** `intakes`' columns, from which its DDL, its upsert and its row reader are derived. */
const INTAKE_ROWS = rowTable<IntakeRow>({
  columns: {
    intakeId: { type: text(), collate: 'C' },
    status: text(),
    tenant: textOrNull(),
    product: { type: textOrNull(), collate: 'C' },
    language: { type: textOrNull(), collate: 'C' },
    startedAt: instantOrNull(),
    endedAt: instantOrNull(),
    deflectingArticleId: { type: textOrNull(), collate: 'C' },
    deflectingArticleVersion: integerOrNull(),
    caseId: textOrNull(),
    caseOpened: boolean(),
    lastActivityAt: instantOrNull(),
    articlesShown: textArray(),
    version: bigint(),
  },
  key: ['intakeId'],
  // the guard, again in SQL: a row never moves back to an older version, nor un-opens its case
  guard: `(t.version < EXCLUDED.version OR (t.version = EXCLUDED.version AND EXCLUDED.case_opened AND NOT t.case_opened))
  AND (EXCLUDED.case_opened OR NOT t.case_opened)`,
  extra: (t) => `-- the deflection report: the intakes started in a period
CREATE INDEX ${t}_started_idx ON ${t} (started_at);
-- the worker's sweep (libs/workers, intake-sweep.ts): idle intakes, and requested cases not opened
CREATE INDEX ${t}_idle_idx ON ${t} (last_activity_at, intake_id) WHERE status = 'suggesting';
CREATE INDEX ${t}_unopened_idx ON ${t} (ended_at, intake_id) WHERE status = 'case-requested' AND NOT case_opened;
`,
});

/** Every column of `intakes`, for a `SELECT` list read by {@link toIntakeRow}. */
export const INTAKE_COLUMNS = INTAKE_ROWS.names;

/** An `intakes` row as the drivers give it back (pg: bigint as text; both: timestamptz as Date). */
export type IntakeTableRow = Record<string, unknown>;

export const toIntakeRow = (r: IntakeTableRow): IntakeRow => INTAKE_ROWS.read(r);

/** An event of an intake whose `IntakeStarted` this projection never applied: parked with the rest of the intake. */
export const INTAKE_ROW_MISSING = 'READ_MODELS.INTAKE_ROW_MISSING';

/**
 * `intakes`: one row per help assistant intake (R5–R8), for the deflection report and the
 * worker's sweep (abandonment, and cases requested but not opened), folded by
 * {@link evolveIntakeRow}. Handles the intake events and `Opened` (a case opened from an
 * intake names it); events of no intake are none of its business. No version check in the
 * loop: the row folds two streams (the intake's and its case's `Opened`), so the fold is its
 * own guard and answers the same row for an event it already holds.
 */
export const intakesProjection: Projection<typeof INTAKES_TABLE> = documentProjection({
  name: INTAKES_PROJECTION,
  version: 1,
  handles: [...INTAKE_EVENT_TYPES, 'Opened'],
  store: oneRowPerDocument(INTAKES_TABLE, INTAKE_ROWS, (r) => r.intakeId),
  keyOf: intakeKeyOf,
  evolve: (row, event) => evolveIntakeRow(row, event),
  refused: (intakeId, event) =>
    new EventRefused(
      INTAKE_ROW_MISSING,
      event,
      `No intake row for ${intakeId} to apply ${event.type} #${event.streamVersion} to`,
    ),
});
