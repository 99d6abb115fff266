import { randomUUID } from 'node:crypto';
import { caseEvent, toCaseStreamId, type CaseEvent, type Priority } from '@app/case-domain';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { ProjectionRunner } from '../projection.runner';
import { InvalidCursor } from '../projection.errors';
import { caseSummariesProjection } from './case-summaries.projection';
import { listCaseSummaries, type CaseSummaryQuery } from './case-summaries.query';
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
  const opened = caseEvent('Opened', {
    caseId,
    at,
    byId: 'admin-1',
    tenant: seed.tenant,
    requester: { id: 'admin-1', email: 'a@example.com' },
    subject: `case ${caseId}`,
    description: '-',
    product: 'drive',
    language: seed.language,
    channel: 'chat',
    impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
    workaround: 'none',
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
  }, 30_000);
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
