import { CASE_EVENT_TYPES } from '@app/case-domain';
import { verifyHashChains } from '@app/audit';
import { openDatabase, type SqlDatabase } from '@app/event-store';
import { createTestDatabase, describeWithService, type TestDatabase } from '@app/testing';
import { seededCase, seedLarge } from './seed-large';

const CASES = 10_000;

describeWithService('DATABASE_URL', 'PostgreSQL', 'seed:large on PostgreSQL', (serverUrl) => {
  let database: TestDatabase;
  let db: SqlDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(serverUrl);
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  const count = async (sql: string): Promise<number> => Number((await db.query<{ n: string }>(sql)).rows[0].n);

  it('seeds 10,000 cases through the append path, resumes where a run stopped, and adds nothing when run again', async () => {
    // a run stopped part way: the first 3,000 cases
    const first = await seedLarge({ databaseUrl: database.url, cases: 3_000 });
    expect(first).toMatchObject({ written: 3_000, skipped: 0 });
    const full = await seedLarge({ databaseUrl: database.url, cases: CASES });
    expect(full).toMatchObject({ written: CASES - 3_000, skipped: 3_000 });

    db = await openDatabase({ databaseUrl: database.url, poolSize: 2 });
    let expected = 0;
    let open = 0;
    let unresolved = 0;
    for (let index = 0; index < CASES; index += 1) {
      const c = seededCase(16, index);
      expected += c.events.length;
      if (c.open) open += 1;
      // the open ones, and the few that reached the longest history before their resolution
      if (!c.events.some((e) => e.type === 'Resolved' || e.type === 'Closed')) unresolved += 1;
    }
    const events = await count('SELECT count(*) AS n FROM events');
    expect(events).toBe(expected);
    expect(first.events + full.events).toBe(expected);
    expect(await count('SELECT count(DISTINCT stream_id) AS n FROM events')).toBe(CASES);
    // about ten events per case
    expect(events / CASES).toBeGreaterThan(8);
    expect(events / CASES).toBeLessThan(14);

    // every case event type
    const types = (await db.query<{ event_type: string }>('SELECT DISTINCT event_type FROM events')).rows.map(
      (row) => row.event_type,
    );
    expect(types.sort()).toEqual([...CASE_EVENT_TYPES].sort());

    // several tenants, vendors, languages; openings over two years
    const spread = (
      await db.query<{ tenants: string; languages: string; vendors: string; days: string }>(
        `SELECT count(DISTINCT data->>'tenant') FILTER (WHERE event_type = 'Opened') AS tenants,
                count(DISTINCT data->>'language') FILTER (WHERE event_type = 'Opened') AS languages,
                count(DISTINCT data->>'vendorId') FILTER (WHERE event_type = 'Routed') AS vendors,
                extract(epoch FROM max((data->>'at')::timestamptz) FILTER (WHERE event_type = 'Opened')
                  - min((data->>'at')::timestamptz) FILTER (WHERE event_type = 'Opened')) / 86400 AS days
           FROM events`,
      )
    ).rows[0];
    expect(Number(spread.tenants)).toBeGreaterThanOrEqual(3);
    expect(Number(spread.languages)).toBeGreaterThanOrEqual(4);
    expect(Number(spread.vendors)).toBeGreaterThanOrEqual(3);
    expect(Number(spread.days)).toBeGreaterThan(600);

    // a tenth still open: never resolved; the rest resolved (almost all closed)
    const unresolvedInStore = await count(
      `SELECT count(*) AS n FROM (SELECT stream_id FROM events GROUP BY stream_id
         HAVING count(*) FILTER (WHERE event_type IN ('Resolved', 'Closed')) = 0) s`,
    );
    expect(unresolvedInStore).toBe(unresolved);
    expect(open / CASES).toBeGreaterThan(0.07);
    expect(open / CASES).toBeLessThan(0.13);
    expect(unresolved / CASES).toBeLessThan(0.13);

    // the store's own chain: every event hashed, every stream verifies
    const report = await verifyHashChains(db);
    expect(report).toMatchObject({ ok: true, streams: CASES, events: expected, unchained: 0, firstBreak: null });

    // run again: nothing to add
    const again = await seedLarge({ databaseUrl: database.url, cases: CASES });
    expect(again).toMatchObject({ written: 0, skipped: CASES, events: 0 });
    expect(await count('SELECT count(*) AS n FROM events')).toBe(expected);
  });
});
