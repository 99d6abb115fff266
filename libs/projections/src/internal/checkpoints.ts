import { LOG_START, statement, type LogCheckpoint, type SqlQueryable } from '@app/event-store';

export interface StoredCheckpoint extends LogCheckpoint {
  readonly updatedAt: Date;
}

interface CheckpointRow {
  transaction_id: string;
  global_position: number | string;
  updated_at: Date | string;
}

const toCheckpoint = (row: CheckpointRow): StoredCheckpoint => ({
  transactionId: row.transaction_id,
  globalPosition: Number(row.global_position),
  updatedAt: new Date(row.updated_at),
});

const READ = statement(
  'SELECT transaction_id::text AS transaction_id, global_position, updated_at FROM projection_checkpoints WHERE name = $1',
);
const READ_FOR_UPDATE = statement(`${READ.text} FOR UPDATE`);
const WRITE = statement(
  'UPDATE projection_checkpoints SET transaction_id = $2::xid8, global_position = $3, updated_at = $4 WHERE name = $1',
);
const RESET = statement(`INSERT INTO projection_checkpoints (name, transaction_id, global_position, updated_at)
VALUES ($1, $2::xid8, $3, $4)
ON CONFLICT (name) DO UPDATE SET transaction_id = EXCLUDED.transaction_id,
  global_position = EXCLUDED.global_position, updated_at = EXCLUDED.updated_at`);

export const readCheckpoint = async (
  q: SqlQueryable,
  name: string,
  { forUpdate = false } = {},
): Promise<StoredCheckpoint | undefined> => {
  const sql = forUpdate ? READ_FOR_UPDATE : READ;
  const { rows } = await q.query<CheckpointRow>(sql.text, [name], sql);
  return rows[0] ? toCheckpoint(rows[0]) : undefined;
};

export const writeCheckpoint = async (q: SqlQueryable, name: string, at: LogCheckpoint, now: Date): Promise<void> => {
  await q.query(WRITE.text, [name, at.transactionId, at.globalPosition, now.toISOString()], WRITE);
};

/** creates the checkpoint at the start of the log, or moves it back there */
export const resetCheckpoint = async (q: SqlQueryable, name: string, now: Date): Promise<void> => {
  await q.query(RESET.text, [name, LOG_START.transactionId, LOG_START.globalPosition, now.toISOString()], RESET);
};

export const deleteCheckpoint = async (q: SqlQueryable, name: string): Promise<void> => {
  await q.query('DELETE FROM projection_checkpoints WHERE name = $1', [name]);
};

export const renameCheckpoint = async (q: SqlQueryable, from: string, to: string): Promise<void> => {
  await q.query('UPDATE projection_checkpoints SET name = $2 WHERE name = $1', [from, to]);
};

const ACTIVE = statement(`SELECT c.transaction_id::text AS transaction_id, c.global_position, c.updated_at, v.version
FROM projection_versions v
JOIN projection_checkpoints c ON c.name = 'projector:' || v.projection || ':v' || v.version
WHERE v.projection = $1 AND v.state = 'active'`);

/** the checkpoint of the projection's active generation (what readers see) and its version, if any */
export const readActiveCheckpoint = async (
  q: SqlQueryable,
  projection: string,
): Promise<(StoredCheckpoint & { readonly version: number }) | undefined> => {
  const { rows } = await q.query<CheckpointRow & { version: number | string }>(ACTIVE.text, [projection], ACTIVE);
  return rows[0] ? { ...toCheckpoint(rows[0]), version: Number(rows[0].version) } : undefined;
};
