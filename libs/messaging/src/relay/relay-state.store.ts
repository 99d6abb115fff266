import {
  LOG_START,
  logReader,
  SqlCheckpoints,
  type LogCheckpoint,
  type SqlDatabase,
  type SqlQueryable,
} from '@app/event-store';
import type { CaseStateSummary } from '../case-events/case-state';
import { MESSAGING_COMPONENT } from './relay.migrations';

const checkpoints = new SqlCheckpoints(MESSAGING_COMPONENT);

/**
 * The relay's own rows: its checkpoint (a row of the store's `checkpoints` table under the
 * component `messaging`, one per relay name) and the last summary it published per case
 * (`relay_case_states`).
 */
export class RelayStateStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly relay: string,
  ) {}

  async checkpoint(): Promise<LogCheckpoint> {
    const saved = await checkpoints.read(this.db, this.relay);
    return saved ? { transactionId: saved.transactionId, globalPosition: saved.globalPosition } : LOG_START;
  }

  async caseStates(caseIds: readonly string[]): Promise<Map<string, CaseStateSummary>> {
    if (caseIds.length === 0) return new Map();
    const { rows } = await this.db.query<{ case_id: string; state: CaseStateSummary | string }>(
      // a JSON array rather than a text[] parameter: the same SQL on pg and PGlite
      'SELECT case_id, state FROM relay_case_states WHERE relay = $1 AND case_id IN (SELECT jsonb_array_elements_text($2::jsonb))',
      [this.relay, JSON.stringify(caseIds)],
    );
    return new Map(rows.map((r) => [r.case_id, typeof r.state === 'string' ? JSON.parse(r.state) : r.state]));
  }

  /**
   * The saved checkpoint and how many events of the log lie after it (committed, not yet
   * acknowledged by the broker): the relay's lag, the same whichever process asks.
   */
  async lag(): Promise<{ checkpoint: LogCheckpoint; events: number }> {
    const checkpoint = await this.checkpoint();
    const { events } = await logReader(this.db).countAfter(checkpoint);
    return { checkpoint, events };
  }

  /**
   * Moves the checkpoint and saves the summaries, in one transaction. Called only after the
   * broker acknowledged every message up to `checkpoint`: a crash before this commit means
   * those messages go out again after the restart (at-least-once), never that one is skipped.
   * `fence` runs first in the transaction and throws to roll it back: the leader lease's
   * renewal, so that only the relay holding the lease moves the shared checkpoint.
   */
  async commit(
    checkpoint: LogCheckpoint,
    states: ReadonlyMap<string, CaseStateSummary>,
    fence?: (tx: SqlQueryable) => Promise<void>,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await fence?.(tx);
      if (states.size > 0) {
        const rows = [...states].map(([case_id, state]) => ({ case_id, state }));
        await tx.query(
          `INSERT INTO relay_case_states (relay, case_id, state)
           SELECT $1, r.case_id, r.state FROM jsonb_to_recordset($2::jsonb) AS r(case_id text, state jsonb)
           ON CONFLICT (relay, case_id) DO UPDATE SET state = EXCLUDED.state`,
          [this.relay, JSON.stringify(rows)],
        );
      }
      await checkpoints.save(tx, this.relay, checkpoint); // updated_at: the database's clock, as before
    });
  }
}
