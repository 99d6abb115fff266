import { INTAKE_EVENT_TYPES, type IntakeStatus } from '@app/case-domain';
import type { RecordedEvent, SqlQueryable } from '@app/event-store';
import type { Projection, ProjectionTables } from '@app/projections';
import { EventRefused } from '../batch-projection';
import { numberOf, optionalInstantOf, optionalNumberOf, perTable, statementName } from '../sql-rows';
import { evolveIntakeRow, intakeKeyOf, type IntakeRow } from './intake-row.evolve';

/** The projection's name (its checkpoint is `projector:intakes:v<N>`). */
export const INTAKES_PROJECTION = 'intakes';
/** The stable name readers query (a view over the active generation's table). */
export const INTAKES_TABLE = 'intakes';
type Tables = ProjectionTables<typeof INTAKES_TABLE>;

const createTable = (t: string) => `
CREATE TABLE ${t} (
  intake_id text COLLATE "C" NOT NULL,
  status text NOT NULL,
  tenant text,
  product text COLLATE "C",
  language text COLLATE "C",
  started_at timestamptz,
  ended_at timestamptz,
  deflecting_article_id text COLLATE "C",
  deflecting_article_version integer,
  case_id text,
  case_opened boolean NOT NULL,
  last_activity_at timestamptz,
  articles_shown text[] NOT NULL,
  version bigint NOT NULL,
  CONSTRAINT ${t}_pkey PRIMARY KEY (intake_id)
);
-- the deflection report: the intakes started in a period
CREATE INDEX ${t}_started_idx ON ${t} (started_at);
-- the worker's sweep (libs/workers, intake-sweep.ts): idle intakes, and requested cases not opened
CREATE INDEX ${t}_idle_idx ON ${t} (last_activity_at, intake_id) WHERE status = 'suggesting';
CREATE INDEX ${t}_unopened_idx ON ${t} (ended_at, intake_id) WHERE status = 'case-requested' AND NOT case_opened;
`;

/** Every column of `intakes`, in the order of {@link toIntakeRow}'s reads. */
export const INTAKE_COLUMNS =
  'intake_id, status, tenant, product, language, started_at, ended_at, deflecting_article_id, ' +
  'deflecting_article_version, case_id, case_opened, last_activity_at, articles_shown, version';

/** An `intakes` row as the drivers give it back (pg: bigint as text; both: timestamptz as Date). */
export type IntakeTableRow = Record<string, unknown>;

export const toIntakeRow = (r: IntakeTableRow): IntakeRow => ({
  intakeId: r.intake_id as string,
  status: r.status as IntakeStatus | 'not-started',
  tenant: (r.tenant as string | null) ?? null,
  product: (r.product as string | null) ?? null,
  language: (r.language as string | null) ?? null,
  startedAt: optionalInstantOf(r.started_at),
  endedAt: optionalInstantOf(r.ended_at),
  deflectingArticleId: (r.deflecting_article_id as string | null) ?? null,
  deflectingArticleVersion: optionalNumberOf(r.deflecting_article_version),
  caseId: (r.case_id as string | null) ?? null,
  caseOpened: r.case_opened === true,
  lastActivityAt: optionalInstantOf(r.last_activity_at),
  articlesShown: (r.articles_shown as string[] | null) ?? [],
  version: numberOf(r.version),
});

const named = (text: string) => ({ text, name: statementName(text) });

const statements = perTable((t: string) => ({
  // not named: planned for each batch's ids, it uses the primary key (case-queue.projection.ts)
  select: `SELECT ${INTAKE_COLUMNS} FROM ${t} WHERE intake_id = ANY($1::text[])`,
  // one array parameter per column, as recordsetUpsert does; the shown articles travel as
  // JSON (an array of arrays would be flattened by unnest). The guard, again in SQL: a row
  // never moves back to an older version, nor un-opens its case.
  upsert: named(`INSERT INTO ${t} AS t (${INTAKE_COLUMNS})
SELECT u.intake_id, u.status, u.tenant, u.product, u.language, u.started_at, u.ended_at, u.deflecting_article_id,
       u.deflecting_article_version, u.case_id, u.case_opened, u.last_activity_at,
       ARRAY(SELECT jsonb_array_elements_text(u.articles_shown)), u.version
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
              $8::text[], $9::integer[], $10::text[], $11::boolean[], $12::timestamptz[], $13::jsonb[], $14::bigint[])
    AS u(intake_id, status, tenant, product, language, started_at, ended_at, deflecting_article_id,
         deflecting_article_version, case_id, case_opened, last_activity_at, articles_shown, version)
ON CONFLICT (intake_id) DO UPDATE SET
  status = EXCLUDED.status, tenant = EXCLUDED.tenant, product = EXCLUDED.product, language = EXCLUDED.language,
  started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at,
  deflecting_article_id = EXCLUDED.deflecting_article_id,
  deflecting_article_version = EXCLUDED.deflecting_article_version, case_id = EXCLUDED.case_id,
  case_opened = EXCLUDED.case_opened, last_activity_at = EXCLUDED.last_activity_at,
  articles_shown = EXCLUDED.articles_shown, version = EXCLUDED.version
WHERE (t.version < EXCLUDED.version OR (t.version = EXCLUDED.version AND EXCLUDED.case_opened AND NOT t.case_opened))
  AND (EXCLUDED.case_opened OR NOT t.case_opened)`),
}));

const parameters = (rows: readonly IntakeRow[]): unknown[] => [
  rows.map((r) => r.intakeId),
  rows.map((r) => r.status),
  rows.map((r) => r.tenant),
  rows.map((r) => r.product),
  rows.map((r) => r.language),
  rows.map((r) => r.startedAt),
  rows.map((r) => r.endedAt),
  rows.map((r) => r.deflectingArticleId),
  rows.map((r) => r.deflectingArticleVersion),
  rows.map((r) => r.caseId),
  rows.map((r) => r.caseOpened),
  rows.map((r) => r.lastActivityAt),
  rows.map((r) => JSON.stringify(r.articlesShown)),
  rows.map((r) => r.version),
];

/** An event of an intake whose `IntakeStarted` this projection never applied: parked with the rest of the intake. */
export const INTAKE_ROW_MISSING = 'READ_MODELS.INTAKE_ROW_MISSING';

/**
 * Folds a batch: one read of the rows it touches, the fold in memory ({@link evolveIntakeRow}),
 * one multi-row upsert. Events of no intake are none of its business.
 */
const applyBatch = async (tx: SqlQueryable, events: readonly RecordedEvent[], tables: Tables): Promise<void> => {
  const mine = events.filter((e) => intakeKeyOf(e) !== null);
  if (mine.length === 0) return;
  const { select, upsert } = statements(tables[INTAKES_TABLE]);
  const ids = [...new Set(mine.map((e) => intakeKeyOf(e) as string))];
  const { rows } = await tx.query<IntakeTableRow>(select, [ids]);
  const docs = new Map(rows.map((r) => [r.intake_id as string, toIntakeRow(r)]));
  const changed = new Set<string>();
  for (const event of mine) {
    const intakeId = intakeKeyOf(event) as string;
    const doc = docs.get(intakeId) ?? null;
    const next = evolveIntakeRow(doc, event);
    if (next === null)
      throw new EventRefused(
        INTAKE_ROW_MISSING,
        event,
        `No intake row for ${intakeId} to apply ${event.type} #${event.streamVersion} to`,
      );
    if (next === doc) continue;
    docs.set(intakeId, next);
    changed.add(intakeId);
  }
  if (changed.size === 0) return;
  await tx.query(upsert.text, parameters([...changed].map((id) => docs.get(id) as IntakeRow)), { name: upsert.name });
};

/**
 * `intakes`: one row per help assistant intake (R5–R8), for the deflection report and the
 * worker's sweep (abandonment, and cases requested but not opened). Handles the intake
 * events and `Opened` (a case opened from an intake names it).
 */
export const intakesProjection: Projection<typeof INTAKES_TABLE> = {
  name: INTAKES_PROJECTION,
  version: 1,
  tables: { [INTAKES_TABLE]: createTable },
  handles: [...INTAKE_EVENT_TYPES, 'Opened'],
  applyBatch,
};
