import { caseEvent, toCaseStreamId, type CaseEvent, type Priority } from '@app/case-domain';
import { opened as openedCase } from '@app/case-domain/testing';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { ProjectionRunner } from '@app/projections';
import { caseQueueProjection } from './case-queue.projection';
import {
  casesToReroute,
  compareQueued,
  InvalidQueueCursor,
  InvalidQueueId,
  listQueue,
  parseQueueId,
  queueSummaries,
} from './case-queue.query';

interface Seed {
  readonly id: string;
  readonly minute: number;
  readonly language?: string;
  readonly priority?: Priority;
  readonly vendor?: string | null;
  readonly due?: string | null;
  readonly breached?: boolean;
  readonly claimed?: boolean;
}

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute)).toISOString();
const caseId = (id: string) => `00000000-0000-4000-8000-${id.padStart(12, '0')}`;

const history = (s: Seed): CaseEvent[] => {
  const base = { caseId: caseId(s.id), at: at(s.minute), byId: 'x' };
  const events: CaseEvent[] = [
    // the kit's opened case, with what the queue reads from it
    openedCase({
      ...base,
      tenant: 'acme.example',
      subject: `case ${s.id}`,
      language: s.language ?? 'fr',
      priority: s.priority ?? 'P1',
      ...(s.due === null
        ? {}
        : {
            sla: {
              calendarId: 'europe-paris',
              calendarVersion: 1,
              policyVersion: 1,
              firstResponseTargetMs: 1,
              firstResponseDueAt: s.due ?? at(s.minute + 60),
            },
          }),
    }),
  ];
  if (s.vendor !== undefined)
    events.push(
      caseEvent('Routed', {
        ...base,
        vendorId: s.vendor,
        queueId: 'x',
        reason: s.vendor ? 'follow-the-sun' : 'no-eligible-vendor',
        trigger: 'opened',
        candidates: [],
      }),
    );
  if (s.breached)
    events.push(
      caseEvent('SlaBreached', {
        ...base,
        clock: 'first-response',
        cycle: 1,
        priority: 'P1',
        dueAt: at(s.minute),
        targetMs: 1,
        calendarId: 'europe-paris',
        calendarVersion: 1,
        policyVersion: 1,
      }),
    );
  if (s.claimed) events.push(caseEvent('AgentAssigned', { ...base, agentId: 'eve', forced: false }));
  return events;
};

describe('the queue queries', () => {
  let handle: EventStoreHandle;
  const seeds: Seed[] = [
    { id: '1', minute: 0, vendor: 'north' }, // due 10:00
    { id: '2', minute: 5, vendor: 'north', due: '2026-03-02T09:30:00.000Z' }, // due earlier
    { id: '3', minute: 10, vendor: 'north', breached: true }, // breached: first
    { id: '4', minute: 1, vendor: 'north', due: null }, // no due time: last
    { id: '5', minute: 2, vendor: 'north', claimed: true }, // claimed: in no queue
    { id: '6', minute: 3, vendor: 'south' }, // another vendor's
    { id: '7', minute: 4, vendor: 'north', language: 'fr-CA' }, // a regional variant's queue
    { id: '8', minute: 6, vendor: null, language: 'it' }, // routed to nobody
    { id: '9', minute: 7, language: 'it' }, // never routed
    { id: '10', minute: 8, vendor: 'north', priority: 'P3' },
  ];

  beforeAll(async () => {
    handle = await createEventStore();
    for (const seed of seeds)
      await handle.store.appendToStream(toCaseStreamId(caseId(seed.id)), history(seed), 'no-stream');
    await new ProjectionRunner(caseQueueProjection, { store: handle.store, db: handle.db }).catchUp();
  });
  afterAll(() => handle.store.close());

  const ids = (items: { caseId: string }[]) => items.map((c) => c.caseId.slice(-2).replace(/^0/, ''));

  it('orders a queue: breached first, then by first-response due time (none last), then the oldest', async () => {
    const page = await listQueue(handle.db, { queueId: 'FR-p1', vendorId: 'north' });
    expect(page.queue).toEqual({ id: 'fr-P1', language: 'fr', priority: 'P1' });
    expect(ids(page.items)).toEqual(['3', '2', '1', '4']);
    // supervisors: every vendor's
    expect(ids((await listQueue(handle.db, { queueId: 'fr-P1' })).items)).toEqual(['3', '2', '1', '6', '4']);
  });

  it('sorts in memory (compareQueued) exactly as the query orders the rows', async () => {
    const page = await listQueue(handle.db, { queueId: 'fr-P1' });
    expect(ids([...page.items].reverse().sort(compareQueued))).toEqual(ids(page.items));
  });

  it('pages with a cursor that survives claims between pages', async () => {
    const first = await listQueue(handle.db, { queueId: 'fr-P1', vendorId: 'north', limit: 2 });
    expect(ids(first.items)).toEqual(['3', '2']);
    const rest = await listQueue(handle.db, {
      queueId: 'fr-P1',
      vendorId: 'north',
      limit: 2,
      cursor: first.nextCursor!,
    });
    expect(ids(rest.items)).toEqual(['1', '4']);
    expect(rest.nextCursor).toBeNull();
    for (const cursor of ['nope', Buffer.from('[1,2]').toString('base64url')])
      await expect(listQueue(handle.db, { queueId: 'fr-P1', cursor })).rejects.toBeInstanceOf(InvalidQueueCursor);
  });

  it('counts the queues of a scope; an agent’s languages list every priority, empty or not, and their variants', async () => {
    const agent = await queueSummaries(handle.db, { vendorId: 'north', languages: ['fr'] });
    expect(agent.map((q) => [q.id, q.count, q.breached])).toEqual([
      ['fr-P1', 4, 1],
      ['fr-P2', 0, 0],
      ['fr-P3', 1, 0],
      ['fr-P4', 0, 0],
      ['fr-ca-P1', 1, 0],
    ]);
    expect(agent[0].oldestOpenedAt).toBe(at(0));
    const all = await queueSummaries(handle.db);
    expect(all.map((q) => [q.id, q.count])).toEqual([
      ['fr-P1', 5],
      ['fr-P3', 1],
      ['fr-ca-P1', 1],
      ['it-P1', 2],
    ]);
  });

  it('finds what the re-router looks at: unassigned cases of off-shift vendors, or of none', async () => {
    expect(ids(await casesToReroute(handle.db, ['south'])).sort()).toEqual(['6', '8', '9']);
    expect(ids(await casesToReroute(handle.db, [])).sort()).toEqual(['8', '9']);
  });

  it('reads queue ids case-insensitively and refuses others', () => {
    expect(parseQueueId('pt-BR-p2')).toEqual({ id: 'pt-br-P2', language: 'pt-br', priority: 'P2' });
    for (const bad of ['fr', 'fr-P5', 'french-P1', 'P1']) expect(() => parseQueueId(bad)).toThrow(InvalidQueueId);
  });
});

describe('a reopened case in the queue (R10, R15)', () => {
  let handle: EventStoreHandle;
  const reopenedId = caseId('21');

  beforeAll(async () => {
    handle = await createEventStore();
    const seeds: Seed[] = [
      { id: '22', minute: 0, vendor: 'north' }, // due 10:00
      { id: '23', minute: 5, vendor: 'north', due: '2026-03-02T09:30:00.000Z' },
      { id: '24', minute: 1, vendor: 'north', due: null }, // no due time: last
    ];
    for (const seed of seeds)
      await handle.store.appendToStream(toCaseStreamId(caseId(seed.id)), history(seed), 'no-stream');
    // opened the day before (due long ago, met), resolved, then reopened at 09:20 with a new
    // first-response clock: due 09:50 by the terms the reopen records
    const opened = history({ id: '21', minute: -24 * 60, vendor: 'north', due: '2026-03-01T10:00:00.000Z' });
    const base = { caseId: reopenedId, byId: 'x' };
    const later: CaseEvent[] = [
      caseEvent('AgentResponded', { ...base, at: at(-23 * 60), agentId: 'eve', message: 'Hi.', firstResponse: true }),
      caseEvent('Resolved', { ...base, at: at(-22 * 60), outcome: 'solved', summary: 'Fixed.', cycle: 1 }),
      caseEvent('Reopened', {
        ...base,
        at: at(20),
        reason: 'It fails again.',
        cycle: 2,
        sla: { firstResponseTargetMs: 1_800_000, firstResponseDueAt: at(50) },
      }),
    ];
    await handle.store.appendToStream(toCaseStreamId(reopenedId), [...opened, ...later], 'no-stream');
    await new ProjectionRunner(caseQueueProjection, { store: handle.store, db: handle.db }).catchUp();
  }, 30_000);
  afterAll(() => handle.store.close());

  it('orders it by the due time of its new cycle, not last and not by its first cycle’s', async () => {
    const page = await listQueue(handle.db, { queueId: 'fr-P1', vendorId: 'north' });
    expect(page.items.map((c) => c.caseId.slice(-2))).toEqual(['23', '21', '22', '24']);
    const reopened = page.items.find((c) => c.caseId === reopenedId);
    expect(reopened).toMatchObject({ cycle: 2, firstResponseDueAt: at(50), breached: false });
  });
});
