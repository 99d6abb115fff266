import { statement, type LogCheckpoint, type SqlQueryable, type SqlTransaction } from '@app/event-store';
import {
  checkpointNameOf,
  physicalTableOf,
  rebuildCheckpointNameOf,
  type Projection,
  type ProjectionTables,
} from '../projection';
import { deleteCheckpoint, resetCheckpoint } from './checkpoints';

/**
 * The registry of generations (`projection_versions`). A generation is one set of physical
 * tables built by one version of a projection's code, from the start of the log:
 * `building` while a rebuild fills it, `active` while readers see it (through views named
 * after the stable table names), `retired` from the swap until its tables are dropped.
 */
export type GenerationState = 'building' | 'active' | 'retired';

export interface Generation {
  readonly projection: string;
  readonly generation: number;
  readonly version: number;
  readonly state: GenerationState;
  /** stable table name → physical table */
  readonly tables: ProjectionTables;
}

/** the checkpoint row of a generation */
export const checkpointNameFor = (g: Generation): string =>
  g.state === 'building' ? rebuildCheckpointNameOf(g.projection, g.version) : checkpointNameOf(g.projection, g.version);

interface GenerationRow {
  projection: string;
  generation: number | string;
  version: number | string;
  state: GenerationState;
  tables: ProjectionTables | string;
}

const toGeneration = (row: GenerationRow): Generation => ({
  projection: row.projection,
  generation: Number(row.generation),
  version: Number(row.version),
  state: row.state,
  tables: typeof row.tables === 'string' ? (JSON.parse(row.tables) as ProjectionTables) : row.tables,
});

const READ = statement(
  'SELECT projection, generation, version, state, tables FROM projection_versions WHERE projection = $1 AND state = $2 ORDER BY generation',
);

export const readGeneration = async (
  q: SqlQueryable,
  projection: string,
  state: 'active' | 'building',
): Promise<Generation | undefined> => {
  const { rows } = await q.query<GenerationRow>(READ.text, [projection, state], READ);
  return rows[0] ? toGeneration(rows[0]) : undefined;
};

export const retiredGenerations = async (q: SqlQueryable, projection: string): Promise<Generation[]> => {
  const { rows } = await q.query<GenerationRow>(READ.text, [projection, 'retired'], READ);
  return rows.map(toGeneration);
};

/**
 * Creates the physical tables of a new generation, its registry row and its checkpoint at
 * the start of the log. Numbers only grow, so a new generation never reuses a table name.
 */
export const createGeneration = async (
  tx: SqlTransaction,
  projection: Projection,
  state: 'active' | 'building',
  now: Date,
  /** leave the projection's `indexes` out, for {@link createIndexes} once the tables are filled */
  { deferIndexes = false }: { deferIndexes?: boolean } = {},
): Promise<Generation> => {
  const { rows } = await tx.query<{ next: number | string }>(
    'SELECT COALESCE(MAX(generation), 0) + 1 AS next FROM projection_versions WHERE projection = $1',
    [projection.name],
  );
  const generation = Number(rows[0].next);
  const tables: Record<string, string> = {};
  for (const [table, ddl] of Object.entries<(t: string) => string>(projection.tables)) {
    tables[table] = physicalTableOf(table, projection.version, generation);
    await tx.exec(ddl(tables[table]));
  }
  if (!deferIndexes) await createIndexes(tx, projection, tables);
  await tx.query(
    `INSERT INTO projection_versions (projection, generation, version, tables, state, created_at, activated_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)`,
    [
      projection.name,
      generation,
      projection.version,
      JSON.stringify(tables),
      state,
      now.toISOString(),
      state === 'active' ? now.toISOString() : null,
    ],
  );
  const created: Generation = { projection: projection.name, generation, version: projection.version, state, tables };
  await resetCheckpoint(tx, checkpointNameFor(created), now);
  return created;
};

export const setGenerationState = async (
  q: SqlQueryable,
  g: Generation,
  state: GenerationState,
  now: Date,
): Promise<void> => {
  await q.query(
    `UPDATE projection_versions SET state = $3, activated_at = CASE WHEN $3 = 'active' THEN $4::timestamptz ELSE activated_at END
     WHERE projection = $1 AND generation = $2`,
    [g.projection, g.generation, state, now.toISOString()],
  );
};

/** Drops a generation's tables, checkpoint, parked events and registry row. */
export const dropGeneration = async (tx: SqlTransaction, g: Generation): Promise<void> => {
  for (const table of Object.values(g.tables)) await tx.exec(`DROP TABLE IF EXISTS ${table}`);
  if (g.state !== 'retired') await deleteCheckpoint(tx, checkpointNameFor(g));
  await tx.query('DELETE FROM projection_parked WHERE projection = $1 AND generation = $2', [
    g.projection,
    g.generation,
  ]);
  await tx.query('DELETE FROM projection_versions WHERE projection = $1 AND generation = $2', [
    g.projection,
    g.generation,
  ]);
};

/** what CREATE OR REPLACE VIEW says when the new query drops, renames or retypes a column */
const INVALID_TABLE_DEFINITION = '42P16';

/**
 * Points each stable name's view at the generation's physical table, inside the swap's
 * transaction: readers see the old rows until it commits, the new ones after. CREATE OR
 * REPLACE keeps the view's identity (queued readers and grants carry over); when the
 * columns changed (a new version), the view is dropped and created instead.
 */
export const pointViews = async (tx: SqlTransaction, g: Generation, previous?: Generation): Promise<void> => {
  for (const [view, table] of Object.entries(g.tables)) {
    await tx.query('SAVEPOINT projections_view');
    try {
      await tx.exec(`CREATE OR REPLACE VIEW ${view} AS SELECT * FROM ${table}`);
      await tx.query('RELEASE SAVEPOINT projections_view');
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT projections_view');
      if ((error as { code?: unknown }).code !== INVALID_TABLE_DEFINITION) throw error;
      await tx.exec(`DROP VIEW IF EXISTS ${view}; CREATE VIEW ${view} AS SELECT * FROM ${table}`);
    }
  }
  for (const view of Object.keys(previous?.tables ?? {}))
    if (!(view in g.tables)) await tx.exec(`DROP VIEW IF EXISTS ${view}`);
};

/**
 * A rebuild's pass over the log stream by stream (projection-rebuild.ts): every event up to
 * `through` of the streams up to `afterStream` (bytewise) is applied; '' before the first.
 */
export interface StreamPass {
  readonly through: LogCheckpoint;
  readonly afterStream: string;
}

const READ_PASS =
  statement(`SELECT pass_through_transaction::text AS transaction_id, pass_through_position AS global_position,
  pass_after_stream FROM projection_versions WHERE projection = $1 AND generation = $2`);
const READ_PASS_FOR_UPDATE = statement(`${READ_PASS.text} FOR UPDATE`);

/** The generation's pass stream by stream, or undefined when it has none (over, or never begun). */
export const readStreamPass = async (
  q: SqlQueryable,
  g: Generation,
  { forUpdate = false } = {},
): Promise<StreamPass | undefined> => {
  const read = forUpdate ? READ_PASS_FOR_UPDATE : READ_PASS;
  const { rows } = await q.query<{
    transaction_id: string | null;
    global_position: number | string | null;
    pass_after_stream: string | null;
  }>(read.text, [g.projection, g.generation], read);
  const row = rows[0];
  if (!row || row.transaction_id === null || row.pass_after_stream === null) return undefined;
  return {
    through: { transactionId: row.transaction_id, globalPosition: Number(row.global_position) },
    afterStream: row.pass_after_stream,
  };
};

/** Sets the generation's pass (begun, or moved on), or ends it (undefined). */
export const writeStreamPass = async (q: SqlQueryable, g: Generation, pass: StreamPass | undefined): Promise<void> => {
  await q.query(
    `UPDATE projection_versions SET pass_through_transaction = $3::xid8, pass_through_position = $4, pass_after_stream = $5
     WHERE projection = $1 AND generation = $2`,
    [
      g.projection,
      g.generation,
      pass?.through.transactionId ?? null,
      pass?.through.globalPosition ?? null,
      pass?.afterStream ?? null,
    ],
  );
};

/** Runs the projection's `indexes` DDL on a generation's tables. */
export const createIndexes = async (
  tx: SqlTransaction,
  projection: Projection,
  tables: ProjectionTables,
): Promise<void> => {
  for (const [table, ddl] of Object.entries<((t: string) => string) | undefined>(projection.indexes ?? {})) {
    const sql = ddl && tables[table] ? ddl(tables[table]).trim() : '';
    if (sql) await tx.exec(sql);
  }
};
