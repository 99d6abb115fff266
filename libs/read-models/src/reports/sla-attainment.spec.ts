import { caseEvent, toCaseStreamId, type CaseEvent, type Priority } from '@app/case-domain';
import { ManualClock } from '@app/clock';
import { createEventStore, type EventStore, type SqlDatabase } from '@app/event-store';
import { ProjectionRunner, type Projection } from '@app/projections';
import { openedP2, reportSla, routedFrP2 } from '../testing/read-model-test-kit';
import { caseReportsProjection } from './case-reports.projection';
import { REPORTS } from './report.catalog';
import { runReport } from './report.query';

/**
 * The `sla-attainment` report end to end on PGlite (the projection's rows, then the
 * catalogue's query), over hand-built histories whose figures are worked out by hand.
 *
 * Paris calendar (the shipped default: at work 09:00-12:30 and 13:30-18:00, UTC+1), one
 * business day (480 minutes) for every priority. A case opened Monday 2 March 2026 at
 * 09:00Z (10:00 Paris) is due Tuesday 3 March at 09:00Z.
 */
const at = (hhmm: string, day: number) => `2026-03-${String(day).padStart(2, '0')}T${hhmm}:00.000Z`;
const PERIOD = { from: '2026-03-02T00:00:00Z', to: '2026-03-16T00:00:00Z' };

const on = (caseId: string, time: string, day: number) => ({ caseId, at: at(time, day), byId: 'eve' });
const opened = (caseId: string, time = '09:00', day = 2) =>
  openedP2({ ...on(caseId, time, day), byId: 'ana' }, { dueAt: at('09:00', day + 1) });
const routed = (caseId: string, vendorId: string, time: string, day: number) =>
  routedFrP2(on(caseId, time, day), vendorId);
const responded = (caseId: string, time: string, day: number) =>
  caseEvent('AgentResponded', { ...on(caseId, time, day), agentId: 'eve', message: 'On it.', firstResponse: true });
const resolved = (caseId: string, time: string, day: number, cycle = 1) =>
  caseEvent('Resolved', { ...on(caseId, time, day), outcome: 'solved', summary: 'Done.', cycle });
const reopened = (caseId: string, time: string, day: number) =>
  caseEvent('Reopened', { ...on(caseId, time, day), byId: 'ana', reason: 'Again.', cycle: 2 });
const raised = (caseId: string, from: Priority, to: Priority, time: string, day: number) =>
  caseEvent('PriorityChanged', { ...on(caseId, time, day), from, to, reason: 'Worse.' });
const breachRecorded = (caseId: string, time: string, day: number) =>
  caseEvent('SlaBreached', {
    ...on(caseId, time, day),
    byId: 'system:sla-timer',
    clock: 'first-response',
    cycle: 1,
    priority: 'P2',
    dueAt: at('09:00', 3),
    targetMs: 28_800_000,
    calendarId: 'europe-paris',
    calendarVersion: 1,
    policyVersion: 1,
  });

/** each case routed to north-desk at its opening */
const HISTORIES: Record<string, CaseEvent[]> = {
  // answered after 30 business minutes: met
  answered: [opened('answered'), responded('answered', '09:30', 2)],
  // resolved without any response, by its due time: met (the resolution was the first response)
  'resolved-in-time': [opened('resolved-in-time'), resolved('resolved-in-time', '13:00', 2)],
  // resolved 8 days past its due time, no response, no SlaBreached (the timers did not run): breached
  'resolved-late': [opened('resolved-late'), resolved('resolved-late', '09:00', 11)],
  // cycle 1 answered in time (met); cycle 2 reopened Monday 12:00 Paris, due Tuesday 12:00
  // Paris, answered Wednesday 17:00 Paris, 1,200 business minutes later: breached
  reopened: [
    opened('reopened'),
    responded('reopened', '09:30', 2),
    resolved('reopened', '10:00', 2),
    reopened('reopened', '11:00', 2),
    responded('reopened', '16:00', 4),
  ],
  // never answered, still open: breached once past its due time, whether or not a breach was recorded
  unanswered: [opened('unanswered')],
  // breached (recorded) under P2 at north-desk; then raised to P1, re-routed, answered
  'breach-then-change': [
    opened('breach-then-change'),
    breachRecorded('breach-then-change', '09:00', 3),
    raised('breach-then-change', 'P2', 'P1', '10:00', 3),
    routed('breach-then-change', 'west-desk', '11:00', 3),
    responded('breach-then-change', '12:00', 3),
  ],
  // the same with the timers down (no SlaBreached): the due time passed under P2 at north-desk
  'overdue-then-change': [
    opened('overdue-then-change'),
    raised('overdue-then-change', 'P2', 'P1', '10:00', 3),
    routed('overdue-then-change', 'west-desk', '11:00', 3),
    responded('overdue-then-change', '12:00', 3),
  ],
  // opened Wednesday 11 March 15:00 Paris: due Thursday 12 March 15:00 Paris (14:00Z)
  'opened-late': [opened('opened-late', '14:00', 11)],
};

describe('the sla-attainment report: every cycle judged against its own due time (docs/metrics.md)', () => {
  let store: EventStore;
  let db: SqlDatabase;
  const projection = caseReportsProjection(reportSla()) as Projection;
  const attainment = (now: string, groupBy = 'priority') =>
    runReport(db, 'sla-attainment', { ...PERIOD, groupBy }, new Date(now)).then((r) => r.rows);

  beforeAll(async () => {
    const clock = new ManualClock('2026-03-12T09:00:00Z');
    ({ store, db } = await createEventStore({ clock }));
    for (const [caseId, [first, ...rest]] of Object.entries(HISTORIES)) {
      const [time, day] = [first.data.at.slice(11, 16), Number(first.data.at.slice(8, 10))];
      await store.appendToStream(toCaseStreamId(caseId), [first, routed(caseId, 'north-desk', time, day)], 'any');
      for (const event of rest) await store.appendToStream(toCaseStreamId(caseId), [event], 'any');
    }
    await new ProjectionRunner(projection, { store, db }).catchUp();
  }, 60_000);
  afterAll(() => store?.close());

  it('counts met, breached and pending by the rules, at the moment the report is taken', async () => {
    // met: answered, resolved-in-time, reopened (cycle 1); breached: resolved-late, reopened
    // (cycle 2), unanswered, breach-then-change, overdue-then-change; pending: opened-late
    expect(await attainment('2026-03-12T09:00:00Z')).toEqual([
      { priority: 'P2', cycles: 9, met: 3, breached: 5, pending: 1, attainmentPercent: 37.5, resolutionBreached: 0 },
    ]);
    // one millisecond past opened-late's due time, it is breached too; nothing is pending
    expect(await attainment('2026-03-12T14:00:00.001Z')).toEqual([
      { priority: 'P2', cycles: 9, met: 3, breached: 6, pending: 0, attainmentPercent: 33.3, resolutionBreached: 0 },
    ]);
  });

  it('files a breach under the priority and vendor in force when it breached, not at the later response', async () => {
    expect(await attainment('2026-03-12T09:00:00Z', 'vendor')).toEqual([
      {
        vendor: 'north-desk',
        cycles: 9,
        met: 3,
        breached: 5,
        pending: 1,
        attainmentPercent: 37.5,
        resolutionBreached: 0,
      },
    ]);
    // the cases themselves are P1 at west-desk now
    const { rows } = await db.query<{ case_id: string; priority: string; vendor_id: string }>(
      `SELECT case_id, priority, vendor_id FROM report_cases WHERE priority = 'P1' ORDER BY case_id`,
    );
    expect(rows).toEqual([
      { case_id: 'breach-then-change', priority: 'P1', vendor_id: 'west-desk' },
      { case_id: 'overdue-then-change', priority: 'P1', vendor_id: 'west-desk' },
    ]);
  });

  it('states the rules it counts by, and the grouping of cycles, in the definition the API shows', () => {
    const { definition } = REPORTS.get('sla-attainment')!;
    expect(definition).toMatch(/own due time/);
    expect(definition).toMatch(/reopening/);
    expect(definition).toMatch(/resolved without any response but by its due time is met/);
    expect(definition).toMatch(/a resolved cycle is never pending/);
    expect(definition).toMatch(
      /grouped under the priority and the vendor in force when its first-response clock was decided/,
    );
    for (const name of ['first-response-time', 'outcomes', 'csat', 'reopen-rate'] as const)
      expect([name, REPORTS.get(name)!.definition]).toEqual([
        name,
        expect.stringMatching(/grouped under the priority and the vendor in force when its first-response clock/),
      ]);
  });
});
