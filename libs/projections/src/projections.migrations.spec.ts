import { EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS, migrate, PgliteDatabase } from '@app/event-store';
import { readCheckpoint } from './internal/checkpoints';
import { leaseHolder } from './internal/lease';
import { PROJECTIONS_COMPONENT, PROJECTIONS_MIGRATIONS } from './projections.migrations';

describe("projections migration 2: checkpoints and leases into the store's tables", () => {
  let db: PgliteDatabase;

  beforeAll(async () => {
    db = await PgliteDatabase.open();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('keeps every checkpoint and lease, then drops the old tables', async () => {
    // a deployed store: the store's migrations, the runner's at version 1 with rows in them
    await migrate(db, { component: EVENT_STORE_COMPONENT, migrations: EVENT_STORE_MIGRATIONS });
    await migrate(db, { component: PROJECTIONS_COMPONENT, migrations: PROJECTIONS_MIGRATIONS.slice(0, 1) });
    await db.exec(`
INSERT INTO projection_checkpoints VALUES
  ('projector:case-summaries:v3', '1234567', 98765, '2026-03-01T10:00:00.000Z'),
  ('projector:case-queue:v2', '1234500', 98700, '2026-03-01T09:59:00.000Z');
INSERT INTO projection_leases VALUES ('case-summaries', 'host:1:abc', now() + interval '1 hour');`);

    expect(await migrate(db, { component: PROJECTIONS_COMPONENT, migrations: PROJECTIONS_MIGRATIONS })).toEqual([2, 3]);

    expect(await readCheckpoint(db, 'projector:case-summaries:v3')).toEqual({
      transactionId: '1234567',
      globalPosition: 98765,
      updatedAt: new Date('2026-03-01T10:00:00.000Z'),
    });
    expect(await readCheckpoint(db, 'projector:case-queue:v2')).toEqual({
      transactionId: '1234500',
      globalPosition: 98700,
      updatedAt: new Date('2026-03-01T09:59:00.000Z'),
    });
    expect((await leaseHolder(db, 'case-summaries'))?.owner).toBe('host:1:abc');
    const { rows } = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_name IN ('projection_checkpoints', 'projection_leases')`,
    );
    expect(rows).toEqual([]);
  });
});
