import { EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS, migrate, PgliteDatabase } from '@app/event-store';
import { relayLeaseHolder } from './relay-leadership';
import { RelayStateStore } from './relay-state.store';
import { MESSAGING_COMPONENT, MESSAGING_MIGRATIONS } from './relay.migrations';

describe("messaging migration 3: the relay's checkpoint and lease into the store's tables", () => {
  let db: PgliteDatabase;

  beforeAll(async () => {
    db = await PgliteDatabase.open();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('keeps the checkpoint (text → xid8), the lease and the case states, then drops the old tables', async () => {
    // a deployed store: the store's migrations, the relay's at version 2 with its rows
    await migrate(db, { component: EVENT_STORE_COMPONENT, migrations: EVENT_STORE_MIGRATIONS });
    await migrate(db, { component: MESSAGING_COMPONENT, migrations: MESSAGING_MIGRATIONS.slice(0, 2) });
    await db.exec(`
INSERT INTO relay_checkpoints (name, transaction_id, global_position, updated_at)
  VALUES ('relay:kafka:v1', '9876543', 5555, '2026-03-01T10:00:00.000Z');
INSERT INTO relay_case_states VALUES ('relay:kafka:v1', 'c-1', '{"status":"Open"}');
INSERT INTO relay_leases VALUES ('relay:kafka:v1', 'host:2:def', now() + interval '1 hour');`);

    expect(await migrate(db, { component: MESSAGING_COMPONENT, migrations: MESSAGING_MIGRATIONS })).toEqual([3]);

    const state = new RelayStateStore(db, 'relay:kafka:v1');
    expect(await state.checkpoint()).toEqual({ transactionId: '9876543', globalPosition: 5555 });
    expect((await state.caseStates(['c-1'])).get('c-1')).toEqual({ status: 'Open' });
    expect((await relayLeaseHolder(db, 'relay:kafka:v1'))?.owner).toBe('host:2:def');
    const { rows } = await db.query(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_name IN ('relay_checkpoints', 'relay_leases')`,
    );
    expect(rows).toEqual([]);
  });
});
