import {
  LOG_START,
  SqlCheckpoints,
  statement,
  type LogCheckpoint,
  type SqlQueryable,
  type StoredCheckpoint,
} from '@app/event-store';
import { PROJECTIONS_COMPONENT } from '../projections.migrations';

export type { StoredCheckpoint };

/**
 * The runner's checkpoints: rows of the store's `checkpoints` table under the component
 * `projections`, named `projector:<name>:v<N>` (docs/projections.md). Each is moved in the
 * transaction of the batch's rows (batch-writer.ts), through the transaction's queryable.
 */
const checkpoints = new SqlCheckpoints(PROJECTIONS_COMPONENT);

export const readCheckpoint = async (
  q: SqlQueryable,
  name: string,
  { forUpdate = false } = {},
): Promise<StoredCheckpoint | undefined> => checkpoints.read(q, name, { forUpdate });

export const writeCheckpoint = (q: SqlQueryable, name: string, at: LogCheckpoint, now: Date): Promise<void> =>
  checkpoints.update(q, name, at, now);

/** creates the checkpoint at the start of the log, or moves it back there */
export const resetCheckpoint = (q: SqlQueryable, name: string, now: Date): Promise<void> =>
  checkpoints.save(q, name, LOG_START, now);

export const deleteCheckpoint = (q: SqlQueryable, name: string): Promise<void> => checkpoints.delete(q, name);

export const renameCheckpoint = (q: SqlQueryable, from: string, to: string): Promise<void> =>
  checkpoints.rename(q, from, to);

/** the names of every projection checkpoint (tests, operators) */
export const checkpointNames = (q: SqlQueryable): Promise<string[]> => checkpoints.names(q);

// the one read of the store's table joined with the runner's own: the active generation's row
const ACTIVE = statement(`SELECT c.transaction_id::text AS transaction_id, c.global_position, c.updated_at, v.version
FROM projection_versions v
JOIN checkpoints c ON c.component = $2 AND c.name = 'projector:' || v.projection || ':v' || v.version
WHERE v.projection = $1 AND v.state = 'active'`);

/** the checkpoint of the projection's active generation (what readers see) and its version, if any */
export const readActiveCheckpoint = async (
  q: SqlQueryable,
  projection: string,
): Promise<(StoredCheckpoint & { readonly version: number }) | undefined> => {
  const { rows } = await q.query<{
    transaction_id: string;
    global_position: number | string;
    updated_at: Date | string;
    version: number | string;
  }>(ACTIVE.text, [projection, PROJECTIONS_COMPONENT], ACTIVE);
  const row = rows[0];
  return row
    ? {
        transactionId: row.transaction_id,
        globalPosition: Number(row.global_position),
        updatedAt: new Date(row.updated_at),
        version: Number(row.version),
      }
    : undefined;
};
