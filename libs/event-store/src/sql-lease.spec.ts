import { EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS } from './migrations/event-store.migrations';
import { migrate } from './migrations/migrate';
import { PgliteDatabase } from './pglite/pglite-database';
import { PRESENCE_LOCK_CLASS, SqlLease } from './sql-lease';

describe('SqlLease (one lease SQL, one leases table keyed by component and name)', () => {
  let db: PgliteDatabase;
  const lease = new SqlLease({ component: 'test', prepared: true });
  const other = new SqlLease({ component: 'other' });

  beforeAll(async () => {
    db = await PgliteDatabase.open();
    await migrate(db, { component: EVENT_STORE_COMPONENT, migrations: EVENT_STORE_MIGRATIONS });
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.exec('DELETE FROM leases');
  });

  it('is taken when free, renewed by its owner, refused to another while unexpired', async () => {
    expect(await lease.acquire(db, 'a', 'one', 60_000)).toBe(true);
    expect(await lease.acquire(db, 'a', 'one', 60_000)).toBe(true);
    expect(await lease.acquire(db, 'a', 'two', 60_000)).toBe(false);
    expect(await lease.acquire(db, 'b', 'two', 60_000)).toBe(true); // another key, another lease
    expect((await lease.holder(db, 'a'))?.owner).toBe('one');
    expect((await lease.holder(db, 'a'))?.expiresAt).toBeInstanceOf(Date);
  });

  it("is another component's own: the same name there is another lease", async () => {
    expect(await lease.acquire(db, 'a', 'one', 60_000)).toBe(true);
    expect(await other.holder(db, 'a')).toBeUndefined();
    expect(await other.acquire(db, 'a', 'two', 60_000)).toBe(true);
    expect((await lease.holder(db, 'a'))?.owner).toBe('one');
    expect((await other.holder(db, 'a'))?.owner).toBe('two');
  });

  it('is taken over once expired, and has no holder then', async () => {
    await db.query(`INSERT INTO leases VALUES ('test', 'a', 'one', now() - interval '1 second')`);
    expect(await lease.holder(db, 'a')).toBeUndefined();
    expect(await lease.acquire(db, 'a', 'two', 60_000)).toBe(true);
    expect((await lease.holder(db, 'a'))?.owner).toBe('two');
  });

  describe("taken over before it expires when its holder's presence lock is gone", () => {
    // PGlite is one session: the lock taken here stands for the holder's process
    const hold = (key: number) => db.query('SELECT pg_advisory_lock($1::int, $2::int)', [PRESENCE_LOCK_CLASS, key]);
    const drop = (key: number) => db.query('SELECT pg_advisory_unlock($1::int, $2::int)', [PRESENCE_LOCK_CLASS, key]);
    afterEach(() => db.query('SELECT pg_advisory_unlock_all()'));

    it('at the second poll that finds it gone; never while it is held', async () => {
      const holder = new SqlLease({ component: 'test', absentForMs: 0 });
      const standby = new SqlLease({ component: 'test', absentForMs: 0 });
      await hold(777);
      expect(await holder.acquire(db, 'a', 'one', 60_000, 777)).toBe(true);
      expect(await standby.acquire(db, 'a', 'two', 60_000)).toBe(false);
      expect(await standby.acquire(db, 'a', 'two', 60_000)).toBe(false);
      await drop(777);
      expect(await standby.acquire(db, 'a', 'two', 60_000)).toBe(false); // found gone: once is not enough
      expect((await lease.holder(db, 'a'))?.owner).toBe('one'); // a minute left on it
      expect(await standby.acquire(db, 'a', 'two', 60_000)).toBe(true);
      expect((await lease.holder(db, 'a'))?.owner).toBe('two');
      expect(await holder.acquire(db, 'a', 'one', 60_000, 777)).toBe(false);
    });

    it('not when the lock came back between two polls (a holder that reconnected)', async () => {
      const standby = new SqlLease({ component: 'test', absentForMs: 0 });
      expect(await lease.acquire(db, 'a', 'one', 60_000, 778)).toBe(true);
      expect(await standby.acquire(db, 'a', 'two', 60_000)).toBe(false); // gone
      await hold(778);
      expect(await standby.acquire(db, 'a', 'two', 60_000)).toBe(false); // back
      await drop(778);
      expect(await standby.acquire(db, 'a', 'two', 60_000)).toBe(false); // gone again: counted anew
      expect(await standby.acquire(db, 'a', 'two', 60_000)).toBe(true);
    });

    it('not before absentForMs has passed between the two polls', async () => {
      const standby = new SqlLease({ component: 'test', absentForMs: 60_000 });
      expect(await lease.acquire(db, 'a', 'one', 60_000, 779)).toBe(true);
      for (let poll = 0; poll < 3; poll += 1) expect(await standby.acquire(db, 'a', 'two', 60_000)).toBe(false);
      expect((await lease.holder(db, 'a'))?.owner).toBe('one');
    });

    it('not when the holder gave no presence: only its expiry frees it', async () => {
      const standby = new SqlLease({ component: 'test', absentForMs: 0 });
      expect(await lease.acquire(db, 'a', 'one', 60_000)).toBe(true);
      for (let poll = 0; poll < 3; poll += 1) expect(await standby.acquire(db, 'a', 'two', 60_000)).toBe(false);
      expect((await lease.holder(db, 'a'))?.owner).toBe('one');
    });
  });

  it('is given up only by its owner', async () => {
    await lease.acquire(db, 'a', 'one', 60_000);
    await lease.release(db, 'a', 'two');
    expect((await lease.holder(db, 'a'))?.owner).toBe('one');
    await lease.release(db, 'a', 'one');
    expect(await lease.holder(db, 'a')).toBeUndefined();
  });
});
