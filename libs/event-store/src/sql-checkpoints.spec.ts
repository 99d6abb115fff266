import { LOG_START } from './event-store.port';
import { EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS } from './migrations/event-store.migrations';
import { migrate } from './migrations/migrate';
import { PgliteDatabase } from './pglite/pglite-database';
import { SqlCheckpoints } from './sql-checkpoints';

describe('SqlCheckpoints (one checkpoints table keyed by component and name)', () => {
  let db: PgliteDatabase;
  const mine = new SqlCheckpoints('test');
  const theirs = new SqlCheckpoints('other');
  const at = (transactionId: string, globalPosition: number) => ({ transactionId, globalPosition });
  const t0 = new Date('2026-01-01T00:00:00.000Z');

  beforeAll(async () => {
    db = await PgliteDatabase.open();
    await migrate(db, { component: EVENT_STORE_COMPONENT, migrations: EVENT_STORE_MIGRATIONS });
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.exec('DELETE FROM checkpoints');
  });

  it('saves, reads back with the time given, and keeps components apart', async () => {
    expect(await mine.read(db, 'a')).toBeUndefined();
    await mine.save(db, 'a', at('12', 7), t0);
    expect(await mine.read(db, 'a')).toEqual({ transactionId: '12', globalPosition: 7, updatedAt: t0 });
    expect(await theirs.read(db, 'a')).toBeUndefined();
    await theirs.save(db, 'a', LOG_START);
    expect((await theirs.read(db, 'a'))?.globalPosition).toBe(0);
    expect((await theirs.read(db, 'a'))?.updatedAt).toBeInstanceOf(Date); // the database's clock
    expect(await mine.names(db)).toEqual(['a']);
  });

  it('moves back when saved plainly, never with forwardOnly', async () => {
    await mine.save(db, 'a', at('12', 7), t0);
    await mine.save(db, 'a', at('11', 9), t0, { forwardOnly: true }); // an earlier transaction: behind
    expect((await mine.read(db, 'a'))?.globalPosition).toBe(7);
    await mine.save(db, 'a', at('12', 8), t0, { forwardOnly: true });
    expect((await mine.read(db, 'a'))?.globalPosition).toBe(8);
    await mine.save(db, 'a', LOG_START, t0);
    expect((await mine.read(db, 'a'))?.globalPosition).toBe(0);
  });

  it('updates only an existing row; renames and deletes', async () => {
    await mine.update(db, 'a', at('12', 7), t0);
    expect(await mine.read(db, 'a')).toBeUndefined();
    await mine.save(db, 'a', LOG_START, t0);
    await mine.update(db, 'a', at('12', 7), t0);
    expect((await mine.read(db, 'a'))?.globalPosition).toBe(7);
    await mine.rename(db, 'a', 'b');
    expect(await mine.names(db)).toEqual(['b']);
    await db.transaction(async (tx) => expect((await mine.read(tx, 'b', { forUpdate: true }))?.globalPosition).toBe(7));
    await mine.delete(db, 'b');
    expect(await mine.names(db)).toEqual([]);
  });
});
