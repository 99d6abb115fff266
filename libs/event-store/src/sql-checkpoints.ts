import type { LogCheckpoint } from './event-store.port';
import type { SqlQueryable } from './sql-database.port';
import { statement } from './statement';

export interface StoredCheckpoint extends LogCheckpoint {
  readonly updatedAt: Date;
}

interface CheckpointRow {
  transaction_id: string;
  global_position: number | string;
  updated_at: Date | string;
}

const toCheckpoint = (row: CheckpointRow): StoredCheckpoint => ({
  transactionId: String(row.transaction_id),
  globalPosition: Number(row.global_position),
  updatedAt: new Date(row.updated_at),
});

// One text per statement, the component a parameter: each is prepared once per connection
// (statement.ts) whichever library asks.
const READ = statement(
  `SELECT transaction_id::text AS transaction_id, global_position, updated_at FROM checkpoints
WHERE component = $1 AND name = $2`,
);
const READ_FOR_UPDATE = statement(`${READ.text} FOR UPDATE`);
const UPDATE = statement(`UPDATE checkpoints SET transaction_id = $3::text::xid8, global_position = $4,
  updated_at = coalesce($5::timestamptz, now())
WHERE component = $1 AND name = $2`);
const UPSERT = `INSERT INTO checkpoints AS c (component, name, transaction_id, global_position, updated_at)
VALUES ($1, $2, $3::text::xid8, $4, coalesce($5::timestamptz, now()))
ON CONFLICT (component, name) DO UPDATE SET transaction_id = EXCLUDED.transaction_id,
  global_position = EXCLUDED.global_position, updated_at = EXCLUDED.updated_at`;
const SAVE = statement(UPSERT);
const SAVE_FORWARD = statement(
  `${UPSERT}\nWHERE (c.transaction_id, c.global_position) < (EXCLUDED.transaction_id, EXCLUDED.global_position)`,
);
const DELETE = statement('DELETE FROM checkpoints WHERE component = $1 AND name = $2');
const RENAME = statement('UPDATE checkpoints SET name = $3 WHERE component = $1 AND name = $2');

/**
 * A follower's checkpoints in the store's `checkpoints` table (migration 0003): how far in the
 * global log each of a component's followers has got, one row per `name`. The projection
 * runner, the timer indexer and the Kafka relay each keep theirs here, under their own
 * component; each writes its row with the queryable of the transaction that holds what it
 * derived, so that both commit together.
 *
 * `now` is the time recorded in `updated_at`: the caller's clock, or the database's when absent.
 */
export class SqlCheckpoints {
  constructor(readonly component: string) {}

  /** the saved checkpoint, if any; `forUpdate` locks the row until the transaction ends */
  async read(q: SqlQueryable, name: string, { forUpdate = false } = {}): Promise<StoredCheckpoint | undefined> {
    const sql = forUpdate ? READ_FOR_UPDATE : READ;
    const { rows } = await q.query<CheckpointRow>(sql.text, [this.component, name], sql);
    return rows[0] ? toCheckpoint(rows[0]) : undefined;
  }

  /** moves an existing checkpoint (no row: nothing happens) */
  async update(q: SqlQueryable, name: string, at: LogCheckpoint, now?: Date): Promise<void> {
    await q.query(UPDATE.text, this.params(name, at, now), UPDATE);
  }

  /**
   * Creates or moves the checkpoint; with `forwardOnly`, never back (two writers saving out
   * of order leave the later one).
   */
  async save(q: SqlQueryable, name: string, at: LogCheckpoint, now?: Date, { forwardOnly = false } = {}) {
    const sql = forwardOnly ? SAVE_FORWARD : SAVE;
    await q.query(sql.text, this.params(name, at, now), sql);
  }

  async delete(q: SqlQueryable, name: string): Promise<void> {
    await q.query(DELETE.text, [this.component, name], DELETE);
  }

  async rename(q: SqlQueryable, from: string, to: string): Promise<void> {
    await q.query(RENAME.text, [this.component, from, to], RENAME);
  }

  /** the names of the component's checkpoints, in order (for operators and tests) */
  async names(q: SqlQueryable): Promise<string[]> {
    const { rows } = await q.query<{ name: string }>(
      'SELECT name FROM checkpoints WHERE component = $1 ORDER BY name',
      [this.component],
    );
    return rows.map((r) => r.name);
  }

  private params(name: string, at: LogCheckpoint, now: Date | undefined) {
    return [this.component, name, at.transactionId, at.globalPosition, now?.toISOString() ?? null];
  }
}
