import { EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS, migrate, PgliteDatabase } from '@app/event-store';
import { readCheckpoint } from './timer-table';
import { TIMERS_COMPONENT, TIMERS_MIGRATIONS } from './timers.migrations';

describe("timers migration 5: the indexer's checkpoint into the store's table", () => {
  let db: PgliteDatabase;

  beforeAll(async () => {
    db = await PgliteDatabase.open();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('keeps the checkpoint, then drops the old table', async () => {
    // a deployed store: the store's migrations, the timers' at version 4 with the indexer's row
    await migrate(db, { component: EVENT_STORE_COMPONENT, migrations: EVENT_STORE_MIGRATIONS });
    await migrate(db, { component: TIMERS_COMPONENT, migrations: TIMERS_MIGRATIONS.slice(0, 4) });
    await db.exec(
      `INSERT INTO timer_checkpoints VALUES ('timers:index:v1', '7654321', 4321, '2026-03-01T10:00:00.000Z')`,
    );

    expect(await migrate(db, { component: TIMERS_COMPONENT, migrations: TIMERS_MIGRATIONS })).toEqual([5]);

    expect(await readCheckpoint(db, 'timers:index:v1')).toEqual({ transactionId: '7654321', globalPosition: 4321 });
    const { rows } = await db.query(
      `SELECT updated_at FROM checkpoints WHERE component = 'timers' AND name = 'timers:index:v1'`,
    );
    expect(new Date(rows[0].updated_at as string).toISOString()).toBe('2026-03-01T10:00:00.000Z');
    const old = await db.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'timer_checkpoints'`,
    );
    expect(old.rows).toEqual([]);
  });
});
