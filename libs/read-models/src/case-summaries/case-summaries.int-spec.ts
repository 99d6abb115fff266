import { randomUUID } from 'node:crypto';
import { toCaseStreamId } from '@app/case-domain';
import { createEventStore, type EventStoreHandle, type SqlQueryable } from '@app/event-store';
import { createTestDatabase, describeWithService, waitFor, type TestDatabase } from '@app/testing';
import { physicalTableOf, ProjectionRunner } from '@app/projections';
import {
  caseStory,
  checkpointNames,
  physicalTables,
  summaryRows,
} from '../../../projections/src/testing/projection-test-kit';
import { CASE_SUMMARIES_TABLE, caseSummariesProjection } from './case-summaries.projection';
import { listCaseSummaries, type CaseSummaryListOptions, type CaseSummaryQuery } from './case-summaries.query';
import { caseIdPages, caseSummariesV1, routedEvent } from './case-summaries.test-kit';

const later = (minute: number) => new Date(Date.parse('2026-02-02T12:00:00Z') + minute * 60_000).toISOString();

describeWithService('DATABASE_URL', 'PostgreSQL', 'case_summaries.vendor_id on PostgreSQL (R4)', (serverUrl) => {
  let database: TestDatabase;
  let handle: EventStoreHandle;
  const runners: ProjectionRunner[] = [];
  const runner = (
    projection = caseSummariesProjection,
    options: { batchSize?: number; rebuildBatchSize?: number; onRebuildProgress?: () => Promise<void> } = {},
  ) => {
    const made = new ProjectionRunner(projection, { store: handle.store, db: handle.db, ...options });
    runners.push(made);
    return made;
  };
  /** every page's case ids */
  const pagesOf = (query: CaseSummaryQuery, options: CaseSummaryListOptions = {}) =>
    caseIdPages(handle.db, query, options);
  /**
   * 40 cases opened a minute apart (caseStory's times, so all at once: ties broken by id);
   * each routed to vendor-b except every eighth, to vendor-a; then case 3 re-routed to
   * vendor-a and case 8 (vendor-a) re-routed to vendor-b, and case 5 to nobody.
   * Resolves to the final vendor of each case, newest first as the list orders them.
   */
  const appendHistory = async () => {
    const vendors = new Map<string, string | null>();
    const ids: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      const caseId = randomUUID();
      const vendor = i % 8 === 0 ? 'vendor-a' : 'vendor-b';
      await handle.store.appendToStream(
        toCaseStreamId(caseId),
        [...caseStory(caseId), routedEvent(caseId, vendor)],
        'no-stream',
      );
      ids.push(caseId);
      vendors.set(caseId, vendor);
    }
    const reroute = async (i: number, vendor: string | null) => {
      const caseId = ids[i];
      await handle.store.appendToStream(
        toCaseStreamId(caseId),
        [routedEvent(caseId, vendor, { at: later(i), previousVendorId: vendors.get(caseId) })],
        2,
      );
      vendors.set(caseId, vendor);
    };
    await reroute(3, 'vendor-a');
    await reroute(8, 'vendor-b');
    await reroute(5, null);
    const ordered = [...ids].sort(); // same opening time: case id order
    return { vendors, of: (vendor: string) => ordered.filter((id) => vendors.get(id) === vendor) };
  };

  beforeEach(async () => {
    database = await createTestDatabase(serverUrl);
    handle = await createEventStore({ databaseUrl: database.url, poolSize: 4 });
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await handle.store.close();
    await database.drop();
  });

  it('follows routing and re-routing, and an agent’s pages are full and exact', async () => {
    const history = await appendHistory();
    // started: catchUp then waits for the log's head itself. (A stopped runner's catchUp
    // takes an empty read for the end, and the log's readers see nothing past a transaction
    // in flight anywhere on the server, e.g. another suite's.)
    const live = runner(caseSummariesProjection, { batchSize: 7 });
    await live.start();
    await live.catchUp();
    const rows = await summaryRows(handle.db);
    expect(rows).toHaveLength(40);
    for (const row of rows) expect(row.vendorId).toBe(history.vendors.get(row.caseId));
    const a = history.of('vendor-a');
    expect(a).toHaveLength(5); // 0, 16, 24, 32 and the re-routed 3
    const pages = await pagesOf({ vendorId: 'vendor-a', languages: ['en'], limit: 2 });
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(a);
    expect((await pagesOf({ vendorId: 'vendor-b', limit: 50 })).flat()).toEqual(history.of('vendor-b'));
  });

  it('serves an agent’s pages from the vendor index, in the list’s order, without sorting', async () => {
    await runner().prepare();
    const table = physicalTableOf(CASE_SUMMARIES_TABLE, caseSummariesProjection.version, 1);
    // 21,000 cases of seven vendors, interleaved; one in ten in fr-CA, the rest in en
    await handle.db.exec(`
      INSERT INTO ${table} (case_id, tenant, status, priority, language, channel, subject, product, requester_id,
        vendor_id, opened_at, updated_at, cycle, escalation_count, credit_issued, version, last_global_position)
      SELECT lpad(g::text, 8, '0'), 'org', 'open', 'P2', CASE WHEN g % 10 = 0 THEN 'fr-CA' ELSE 'en' END, 'email',
        's', 'p', 'r', 'vendor-' || (g % 7), timestamptz '2026-01-01' + g * interval '1 minute', now(), 1, 0, false, 1, g
      FROM generate_series(1, 21000) g;
      ANALYZE ${table};`);
    const plans: string[] = [];
    // the list's own SQL, explained instead of run
    const explaining: SqlQueryable = {
      query: async <R>(sql: string, params?: readonly unknown[], options?: { name?: string }) => {
        if (!sql.startsWith(`SELECT * FROM ${CASE_SUMMARIES_TABLE}`)) return handle.db.query<R>(sql, params, options);
        const { rows } = await handle.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
        plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
        return { rows: [] as R[] };
      },
    };
    const query = { vendorId: 'vendor-3', languages: ['fr', 'en'] };
    const first = await listCaseSummaries(handle.db, { ...query, limit: 50 });
    expect(first.items).toHaveLength(50);
    expect(first.items[0].caseId).toBe('00020996');
    for (const limit of [2, 50, 500]) {
      await listCaseSummaries(explaining, { ...query, limit });
      await listCaseSummaries(explaining, { ...query, limit, cursor: first.nextCursor! });
    }
    expect(plans).toHaveLength(6);
    for (const plan of plans) {
      expect(plan).toContain(`Index Scan using ${table}_vendor_opened_idx`);
      expect(plan).not.toMatch(/Sort/);
    }
  });

  it('an upgraded deployment rebuilds version 1 from the log: vendors filled, never NULL for a routed case', async () => {
    const history = await appendHistory();
    // what the previous release left: version 1 active, its view without vendor_id
    const v1 = runner(caseSummariesV1);
    await v1.start();
    await v1.catchUp();
    await v1.stop();
    const columns = async () =>
      (
        await handle.db.query<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND column_name = 'vendor_id'`,
          [CASE_SUMMARIES_TABLE],
        )
      ).rows.length;
    expect(await columns()).toBe(0);
    // stands in for case_queue, which the API passes as the fallback
    await handle.db.exec(`CREATE TABLE routing_for_test (case_id text COLLATE "C" PRIMARY KEY, vendor_id text)`);
    for (const [caseId, vendor] of history.vendors)
      await handle.db.query('INSERT INTO routing_for_test VALUES ($1, $2)', [caseId, vendor]);
    const fallback = { routedVendorFallback: 'routing_for_test' };

    // the new release starts: the runner rebuilds version 2 beside version 1, which serves meanwhile
    const servedDuringRebuild: string[][][] = [];
    const v2 = runner(caseSummariesProjection, {
      batchSize: 20,
      rebuildBatchSize: 20,
      onRebuildProgress: async () => {
        servedDuringRebuild.push(await pagesOf({ vendorId: 'vendor-a', languages: ['en'], limit: 2 }, fallback));
      },
    });
    await v2.start();
    await v2.catchUp({ timeoutMs: 120_000 });
    expect(servedDuringRebuild.length).toBeGreaterThan(1);
    for (const pages of servedDuringRebuild) {
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual(history.of('vendor-a'));
    }

    // the retired tables are dropped just after the swap, in their own transaction
    await waitFor(
      async () => (await physicalTables(handle.db, 'case_summaries')).join() === 'case_summaries_v2_g2',
      () => 'case_summaries_v1_g1 was not dropped',
    );
    expect(await checkpointNames(handle.db)).toEqual(['projector:case-summaries:v2']);
    expect(await columns()).toBe(1);
    const rows = await summaryRows(handle.db);
    expect(rows).toHaveLength(40);
    for (const row of rows) expect(row.vendorId).toBe(history.vendors.get(row.caseId));
    expect(rows.filter((r) => r.vendorId === null)).toHaveLength(1); // the one routed to nobody
    // from now on the column alone: the fallback is not read any more
    await handle.db.exec('DROP TABLE routing_for_test');
    const pages = await pagesOf({ vendorId: 'vendor-a', limit: 2 }, fallback);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(history.of('vendor-a'));
  });
});
