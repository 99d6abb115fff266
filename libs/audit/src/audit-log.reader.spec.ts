import { ManualClock } from '@app/clock';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { AUDIT_ACCESS_EVENT, auditAccessStreamId, recordAuditAccess } from './audit-access';
import { CaseNotFoundAsOf, InvalidInstant, UnknownLogPosition } from './audit.errors';
import { exportLog, parseInstant, readCaseAsOf, readLogPage, readQueueAsOf, type AuditEvent } from './audit-log.reader';
import { caseTimeline, renderTimeline } from './case-history';
import { recorded as ev } from '@app/case-domain/testing';

const at = (hhmm: string) => `2026-03-02T${hhmm}:00.000Z`;

describe('audit reads on the embedded store', () => {
  let handle: EventStoreHandle;
  let clock: ManualClock;
  /** appends at the clock's time, then moves the clock to `next` */
  const append = async (
    streamId: string,
    event: Parameters<EventStoreHandle['store']['appendToStream']>[1][number],
    when: string,
  ) => {
    clock.set(when);
    await handle.store.appendToStream(streamId, [event], 'any');
  };

  beforeAll(async () => {
    clock = new ManualClock(at('09:00'));
    handle = await createEventStore({ clock });
    // case 1 (fr-P2): opened 09:00, awaits the customer 09:10, back 09:20, assigned 09:30, resolved 10:00
    await append('case-1', ev.opened('1', at('09:00'), 'fr', 'P2'), at('09:00'));
    await append('case-1', ev.infoRequested('1', at('09:10')), at('09:10'));
    await append('case-1', ev.infoProvided('1', at('09:20')), at('09:20'));
    await append('case-1', ev.assigned('1', at('09:30')), at('09:30'));
    await append('case-1', ev.resolved('1', at('10:00')), at('10:00'));
    // case 2 (fr-P1 → fr-P2 at 09:15): opened 09:05
    await append('case-2', ev.opened('2', at('09:05'), 'fr', 'P1'), at('09:05'));
    await append('case-2', ev.priorityChanged('2', at('09:15'), 'P1', 'P2'), at('09:15'));
    // case 3 (de-P2) and an incident stream: not in French queues
    await append('case-3', ev.opened('3', at('09:01'), 'de', 'P2'), at('09:01'));
    await append(
      'incident-9',
      { type: 'IncidentDeclared', data: { title: 'SSO down' }, metadata: { tenant: 'acme.example' } },
      at('09:02'),
    );
  });
  afterAll(() => handle.store.close());

  describe('a case as it stood at a moment', () => {
    it.each([
      [at('09:00'), 'open', 1, undefined],
      [at('09:12'), 'awaiting-customer', 2, undefined],
      ['2026-03-02T10:29:59+01:00', 'open', 3, undefined],
      [at('09:45'), 'open', 4, 'eve'],
      [at('23:59'), 'resolved', 5, 'eve'],
    ])('as of %s it is %s, at version %d, assigned to %s', async (asOf, status, version, assigneeId) => {
      const { view, events } = await readCaseAsOf(handle.store, '1', parseInstant('asOf', asOf));
      expect(view).toMatchObject({ id: '1', status, version, language: 'fr', priority: 'P2' });
      expect(view.assigneeId).toBe(assigneeId);
      expect(events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5].slice(0, version));
      expect(events.every((e) => e.recordedAt.getTime() <= parseInstant('asOf', asOf).getTime())).toBe(true);
    });

    it('answers 404 for a case that was not opened yet at that moment, or never was', async () => {
      await expect(readCaseAsOf(handle.store, '2', new Date(at('09:04')))).rejects.toThrow(CaseNotFoundAsOf);
      await expect(readCaseAsOf(handle.store, 'nope', new Date(at('23:00')))).rejects.toMatchObject({
        code: 'AUDIT.CASE_NOT_FOUND',
        status: 404,
      });
    });

    it('tells the story: time, actor, event and what changed in the case', () => {
      return handle.store.readStream('case-1').then(({ events }) => {
        const timeline = caseTimeline(events);
        expect(timeline.map((e) => [e.recordedAt, e.actor, e.type, e.version])).toEqual([
          [at('09:00'), 'ana (support-admin)', 'Opened', 1],
          [at('09:10'), 'eve (agent)', 'InfoRequested', 2],
          [at('09:20'), 'ana (support-admin)', 'InfoProvided', 3],
          [at('09:30'), 'eve (agent)', 'AgentAssigned', 4],
          [at('10:00'), 'eve (agent)', 'Resolved', 5],
        ]);
        expect(timeline[3].changes).toEqual([{ field: 'assigneeId', to: '"eve"' }]);
        expect(timeline[1].changes).toEqual(
          expect.arrayContaining([
            { field: 'status', from: '"open"', to: '"awaiting-customer"' },
            { field: 'pendingInfoRequest.items', to: '["logs"]' },
          ]),
        );
        expect(timeline[0].changes).toEqual(expect.arrayContaining([{ field: 'priority', to: '"P2"' }]));
        const lines = renderTimeline(timeline);
        expect(lines[3]).toMatch(
          /^2026-03-02T09:30:00\.000Z {2}eve \(agent\) +AgentAssigned v4 +assigneeId: ∅ → "eve"$/,
        );
        expect(lines[4]).toContain('status: "open" → "resolved"');
      });
    });
  });

  describe('a queue as it stood at a moment, replayed from the log', () => {
    const queue = async (id: string, asOf: string) =>
      (await readQueueAsOf(handle.db, id, new Date(asOf))).cases.map((c) => c.caseId);

    it('follows each case in and out of the queue', async () => {
      expect(await queue('fr-P2', at('08:59'))).toEqual([]);
      expect(await queue('fr-P2', at('09:00'))).toEqual(['1']);
      expect(await queue('fr-P1', at('09:06'))).toEqual(['2']);
      expect(await queue('fr-P2', at('09:11'))).toEqual([]); // case 1 awaits the customer
      expect(await queue('fr-P2', at('09:15'))).toEqual(['2']); // case 2 moved from P1
      expect(await queue('fr-P1', at('09:15'))).toEqual([]);
      // ordered by opening time: case 1 (09:00) before case 2 (09:05)
      expect(await queue('fr-P2', at('09:25'))).toEqual(['1', '2']);
      expect(await queue('fr-P2', at('09:30'))).toEqual(['2']); // case 1 assigned
      expect(await queue('de-P2', at('23:00'))).toEqual(['3']);
    });

    it('says what it replayed and describes each queued case', async () => {
      const result = await readQueueAsOf(handle.db, 'FR-p2', new Date(at('09:25')));
      expect(result).toMatchObject({
        queue: 'fr-P2',
        language: 'fr',
        priority: 'P2',
        asOf: at('09:25'),
        eventsReplayed: 5,
      });
      // as the live case_queue row shows it (but its version): not routed in this history
      expect(result.cases[0]).toEqual({
        caseId: '1',
        tenant: 'acme.example',
        language: 'fr',
        priority: 'P2',
        status: 'open',
        assigneeId: null,
        vendorId: null,
        routed: false,
        queueId: 'fr-P2',
        region: null,
        subject: 'Case 1',
        openedAt: at('09:00'),
        firstResponseDueAt: null,
        breached: false,
        cycle: 1,
      });
    });
  });

  describe('the global log', () => {
    const all = async (pageSize: number, filter: { type?: string; tenant?: string } = {}) => {
      const seen: AuditEvent[] = [];
      let after: number | undefined;
      for (;;) {
        const page = await readLogPage(handle.db, { after, limit: pageSize, ...filter });
        seen.push(...page.events);
        if (!page.hasMore) return seen;
        after = page.next ?? undefined;
      }
    };

    it('pages through every event once, in commit order, with its place in the log and its hash', async () => {
      const whole = await all(1000);
      expect(whole).toHaveLength(9);
      expect(await all(2)).toEqual(whole);
      expect(whole[0]).toEqual({
        position: expect.any(Number),
        transactionId: expect.stringMatching(/^\d+$/),
        streamId: 'case-1',
        version: 1,
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: 'Opened',
        schemaVersion: 1,
        recordedAt: at('09:00'),
        data: expect.objectContaining({ caseId: '1', language: 'fr' }),
        metadata: expect.objectContaining({ tenant: 'acme.example' }),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it('filters by type and by tenant', async () => {
      expect((await all(2, { type: 'Opened' })).map((e) => e.streamId)).toEqual(['case-1', 'case-2', 'case-3']);
      expect(await all(100, { tenant: 'globex.example' })).toEqual([]);
      expect((await all(100, { tenant: 'acme.example' })).length).toBe(9);
    });

    it('refuses to start after a position that holds no event', async () => {
      await expect(readLogPage(handle.db, { after: 123_456 })).rejects.toThrow(UnknownLogPosition);
    });

    it('exports the events recorded in [from, to), in commit order', async () => {
      const exported: AuditEvent[] = [];
      for await (const e of exportLog(handle.db, {
        from: new Date(at('09:05')),
        to: new Date(at('09:30')),
        batchSize: 2,
      }))
        exported.push(e);
      expect(exported.map((e) => `${e.streamId}@${e.version}`)).toEqual([
        'case-1@2',
        'case-1@3',
        'case-2@1',
        'case-2@2',
      ]);
    });
  });

  it("records who read audit history in the day's access stream", async () => {
    const when = new Date('2026-03-03T23:59:59.999Z');
    await recordAuditAccess(handle.store, {
      reader: { id: 'aud', role: 'auditor', email: 'aud@audit.example' },
      action: 'audit.read',
      resource: 'GET /v1/audit/cases/1?asOf=2026-03-02T09:00:00Z',
      at: when,
      correlationId: 'corr-1',
    });
    expect(auditAccessStreamId(when)).toBe('audit-access-2026-03-03');
    const { events } = await handle.store.readStream('audit-access-2026-03-03');
    expect(events).toEqual([
      expect.objectContaining({
        type: AUDIT_ACCESS_EVENT,
        data: {
          readerId: 'aud',
          role: 'auditor',
          email: 'aud@audit.example',
          action: 'audit.read',
          resource: 'GET /v1/audit/cases/1?asOf=2026-03-02T09:00:00Z',
          at: when.toISOString(),
        },
        metadata: { actor: { id: 'aud', role: 'auditor' }, correlationId: 'corr-1' },
      }),
    ]);
  });
});

describe('parseInstant', () => {
  it.each([
    ['2026-03-02T09:30:00Z', '2026-03-02T09:30:00.000Z'],
    ['2026-03-02T10:30:00.250+01:00', '2026-03-02T09:30:00.250Z'],
    ['2026-03-02T09:30Z', '2026-03-02T09:30:00.000Z'],
  ])('reads %s', (text, iso) => expect(parseInstant('asOf', text).toISOString()).toBe(iso));

  it.each(['2026-03-02T09:30:00', '2026-03-02', 'yesterday', '2026-13-02T09:30:00Z', ''])(
    'refuses %j, which names no instant with a time zone',
    (text) => {
      expect(() => parseInstant('asOf', text)).toThrow(InvalidInstant);
      expect(() => parseInstant('asOf', text)).toThrow(/asOf must be an ISO 8601 instant with a time zone/);
    },
  );
});
