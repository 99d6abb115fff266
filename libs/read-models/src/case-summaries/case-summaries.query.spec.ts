import { randomUUID } from 'node:crypto';
import { caseEvent, toCaseStreamId, type CaseEvent, type Priority } from '@app/case-domain';
import { opened as openedEvent } from '@app/case-domain/testing';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { InvalidCursor, ProjectionRunner } from '@app/projections';
import { caseSummariesProjection } from './case-summaries.projection';
import {
  CaseSummariesRebuilding,
  listCaseSummaries,
  type CaseSummaryListOptions,
  type CaseSummaryQuery,
} from './case-summaries.query';
import { caseIdPages, caseSummariesV1, routedEvent } from './case-summaries.test-kit';
import type { CaseSummary } from './case-summary.evolve';

interface Seed {
  readonly minute: number;
  readonly tenant: string;
  readonly language: string;
  readonly priority: Priority;
  readonly waiting?: boolean;
}

/** 36 cases: three tenants, three languages, four priorities; opening times tie in threes */
const seeds: Seed[] = Array.from({ length: 36 }, (_, i) => ({
  minute: Math.floor(i / 3),
  tenant: ['org-a', 'org-b', 'org-c'][i % 3],
  language: ['en', 'fr', 'de'][i % 3 === 0 ? (i / 3) % 3 : i % 3],
  priority: (['P1', 'P2', 'P3', 'P4'] as const)[i % 4],
  waiting: i % 5 === 0,
}));

const historyOf = (caseId: string, seed: Seed): CaseEvent[] => {
  const at = new Date(Date.UTC(2026, 2, 2, 8, seed.minute)).toISOString();
  const opened = openedEvent({
    caseId,
    at,
    tenant: seed.tenant,
    subject: `case ${caseId}`,
    product: 'drive',
    language: seed.language,
    channel: 'chat',
    priority: seed.priority,
  });
  if (!seed.waiting) return [opened];
  return [
    opened,
    caseEvent('InfoRequested', {
      caseId,
      at,
      byId: 'agent-1',
      agentId: 'agent-1',
      items: ['logs'],
      message: '?',
      firstResponse: true,
    }),
  ];
};

describe('listCaseSummaries', () => {
  let handle: EventStoreHandle;
  let runner: ProjectionRunner;
  const append = async (seed: Seed) => {
    const caseId = randomUUID();
    await handle.store.appendToStream(toCaseStreamId(caseId), historyOf(caseId, seed), 'no-stream');
    return caseId;
  };
  /** the expected order: newest opening first, then case id */
  const sorted = (items: CaseSummary[]) =>
    [...items].sort(
      (a, b) => b.openedAt.localeCompare(a.openedAt) || (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0),
    );
  const allPages = async (query: CaseSummaryQuery) => {
    const items: CaseSummary[] = [];
    let cursor = query.cursor;
    let pages = 0;
    do {
      const page = await listCaseSummaries(handle.db, { ...query, cursor });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    return { items, pages };
  };

  beforeAll(async () => {
    handle = await createEventStore();
    runner = new ProjectionRunner(caseSummariesProjection, { store: handle.store, db: handle.db });
    for (const seed of seeds) await append(seed);
    await runner.catchUp();
  });
  afterAll(() => handle.store.close());

  it('pages through every case once, newest first, ties broken by case id', async () => {
    const { items, pages } = await allPages({ limit: 7 });
    expect(items).toHaveLength(36);
    expect(pages).toBe(6);
    expect(items.map((s) => s.caseId)).toEqual(sorted(items).map((s) => s.caseId));
    expect(new Set(items.map((s) => s.caseId)).size).toBe(36);
  });

  it('says there is no next page on the last one', async () => {
    expect((await listCaseSummaries(handle.db, { limit: 36 })).nextCursor).toBeNull();
    expect((await listCaseSummaries(handle.db, { limit: 35 })).nextCursor).not.toBeNull();
  });

  it('filters by tenant, languages, status and priority, and pages the filtered rows', async () => {
    const everything = (await allPages({ limit: 100 })).items;
    const query: CaseSummaryQuery = {
      tenant: 'org-a',
      languages: ['en', 'de'],
      status: ['open', 'awaiting-customer'],
      priority: ['P1', 'P3'],
    };
    const expected = everything.filter(
      (s) => s.tenant === 'org-a' && ['en', 'de'].includes(s.language) && ['P1', 'P3'].includes(s.priority),
    );
    expect(expected.length).toBeGreaterThan(1);
    expect((await allPages({ ...query, limit: 1 })).items).toEqual(expected);
    const waiting = (await allPages({ status: 'awaiting-customer', limit: 5 })).items;
    expect(waiting.map((s) => s.caseId).sort()).toEqual(
      everything
        .filter((s) => s.status === 'awaiting-customer')
        .map((s) => s.caseId)
        .sort(),
    );
    expect(waiting.length).toBe(seeds.filter((s) => s.waiting).length);
    expect(
      (await listCaseSummaries(handle.db, { priority: 'P4', limit: 100 })).items.every((s) => s.priority === 'P4'),
    ).toBe(true);
  });

  it('keeps its place when newer cases arrive between pages', async () => {
    const first = await listCaseSummaries(handle.db, { tenant: 'org-b', limit: 4 });
    const newer = await append({ minute: 59, tenant: 'org-b', language: 'en', priority: 'P1' });
    await runner.catchUp();
    const rest = (await allPages({ tenant: 'org-b', limit: 4, cursor: first.nextCursor! })).items;
    const seen = [...first.items, ...rest].map((s) => s.caseId);
    expect(seen).not.toContain(newer);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(12);
    // and a fresh listing starts with it
    expect((await listCaseSummaries(handle.db, { tenant: 'org-b', limit: 1 })).items[0].caseId).toBe(newer);
  });

  it('refuses a cursor it did not make', async () => {
    for (const cursor of [
      'nope',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('["not a date","x"]').toString('base64url'),
    ])
      await expect(listCaseSummaries(handle.db, { cursor })).rejects.toBeInstanceOf(InvalidCursor);
  });

  it('keeps page sizes between 1 and 500', async () => {
    expect((await listCaseSummaries(handle.db, { limit: 0 })).items).toHaveLength(1);
    expect((await listCaseSummaries(handle.db, { limit: 10_000 })).items.length).toBeLessThanOrEqual(500);
  });
});

describe('listCaseSummaries for an agent (R4): vendor and languages in SQL', () => {
  let handle: EventStoreHandle;
  /** 30 cases, one a minute, newest last; every sixth (5 in all) routed to vendor-a */
  const cases: { caseId: string; vendor: string | null; language: string }[] = [];
  const aCases = () => cases.filter((c) => c.vendor === 'vendor-a').reverse();
  const pagesOf = (query: CaseSummaryQuery, options: CaseSummaryListOptions = {}) =>
    caseIdPages(handle.db, query, options);
  const appendCase = async (minute: number, vendor: string | null, language: string) => {
    const caseId = randomUUID();
    const at = new Date(Date.UTC(2026, 2, 2, 8, minute)).toISOString();
    const [opened] = historyOf(caseId, { minute, tenant: 'org-a', language, priority: 'P2' });
    await handle.store.appendToStream(
      toCaseStreamId(caseId),
      [opened, routedEvent(caseId, vendor, { at })],
      'no-stream',
    );
    cases.push({ caseId, vendor, language });
  };

  beforeAll(async () => {
    handle = await createEventStore();
    for (let i = 0; i < 30; i += 1)
      await appendCase(i, i % 6 === 2 ? 'vendor-a' : i % 6 === 5 ? null : 'vendor-b', 'en');
  });
  afterAll(() => handle.store.close());

  describe('on version 2 (vendor_id)', () => {
    beforeAll(async () => {
      await new ProjectionRunner(caseSummariesProjection, { store: handle.store, db: handle.db }).catchUp();
    });

    it('fills every page of an agent whose cases are few and spread out, and ends with no cursor', async () => {
      const pages = await pagesOf({ vendorId: 'vendor-a', languages: ['en'], limit: 2 });
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual(aCases().map((c) => c.caseId));
    });

    it('never shows another vendor’s cases, nor a case routed to nobody', async () => {
      const b = (await pagesOf({ vendorId: 'vendor-b', limit: 7 })).flat();
      expect(b).toHaveLength(20);
      expect(b.some((id) => cases.find((c) => c.caseId === id)?.vendor !== 'vendor-b')).toBe(false);
      expect(await pagesOf({ vendorId: 'vendor-c' })).toEqual([[]]);
    });

    it('compares the vendor lower-cased, as canSeeCase does', async () =>
      expect((await pagesOf({ vendorId: ' Vendor-A ', limit: 10 })).flat()).toEqual(aCases().map((c) => c.caseId)));

    it('matches languages as canSeeCase does: the tag or its primary subtag, in any case', async () => {
      const more = [
        { minute: 40, language: 'fr-CA' },
        { minute: 41, language: 'FR' },
        { minute: 42, language: 'pt' },
        { minute: 43, language: 'pt-BR' },
      ];
      const ids = [];
      for (const m of more) {
        await appendCase(m.minute, 'vendor-a', m.language);
        ids.push(cases[cases.length - 1].caseId);
      }
      await new ProjectionRunner(caseSummariesProjection, { store: handle.store, db: handle.db }).catchUp();
      const [frCa, fr, pt, ptBr] = ids;
      const seen = async (languages: string[]) => (await pagesOf({ vendorId: 'vendor-a', languages, limit: 1 })).flat();
      expect(await seen(['fr'])).toEqual([fr, frCa]);
      expect(await seen(['fr-ca'])).toEqual([frCa]);
      expect(await seen(['pt-br'])).toEqual([ptBr]);
      expect(await seen(['pt'])).toEqual([ptBr, pt]);
      expect(await seen(['en'])).toEqual(
        aCases()
          .filter((c) => c.language === 'en')
          .map((c) => c.caseId),
      );
    });
  });
});

describe('listCaseSummaries by vendor before the swap to version 2 (an upgraded deployment)', () => {
  let handle: EventStoreHandle;
  const aCases: string[] = [];
  const routing: [string, string][] = [];

  beforeAll(async () => {
    handle = await createEventStore();
    for (let i = 0; i < 12; i += 1) {
      const caseId = randomUUID();
      const [opened] = historyOf(caseId, { minute: i, tenant: 'org-a', language: 'en', priority: 'P2' });
      const vendor = i % 4 === 0 ? 'vendor-a' : 'vendor-b';
      await handle.store.appendToStream(toCaseStreamId(caseId), [opened, routedEvent(caseId, vendor)], 'no-stream');
      routing.push([caseId, vendor]);
      if (vendor === 'vendor-a') aCases.unshift(caseId);
    }
    // version 1 serves: a case_summaries view without vendor_id
    await new ProjectionRunner(caseSummariesV1, { store: handle.store, db: handle.db }).catchUp();
    // stands in for the case_queue read model the API passes
    await handle.db.exec(`CREATE TABLE routing_for_test (case_id text COLLATE "C" PRIMARY KEY, vendor_id text)`);
    for (const row of routing) await handle.db.query('INSERT INTO routing_for_test VALUES ($1, $2)', row);
  });
  afterAll(() => handle.store.close());

  it('refuses rather than filter on a column the view does not have yet', async () =>
    await expect(listCaseSummaries(handle.db, { vendorId: 'vendor-a' })).rejects.toBeInstanceOf(
      CaseSummariesRebuilding,
    ));

  it('filters through the fallback read model in SQL, so pages stay exact', async () => {
    const options = { routedVendorFallback: 'routing_for_test' };
    const first = await listCaseSummaries(handle.db, { vendorId: 'vendor-a', limit: 2 }, options);
    expect(first.items.map((s) => s.caseId)).toEqual(aCases.slice(0, 2));
    const last = await listCaseSummaries(
      handle.db,
      { vendorId: 'vendor-a', limit: 2, cursor: first.nextCursor! },
      options,
    );
    expect(last.items.map((s) => s.caseId)).toEqual(aCases.slice(2));
    expect(last.nextCursor).toBeNull();
  });

  it('takes only a plain table name as the fallback', async () =>
    await expect(
      listCaseSummaries(handle.db, { vendorId: 'vendor-a' }, { routedVendorFallback: 'x; DROP TABLE events' }),
    ).rejects.toThrow(TypeError));

  it('lists without a vendor as before', async () =>
    expect((await listCaseSummaries(handle.db, { limit: 100 })).items).toHaveLength(12));
});
