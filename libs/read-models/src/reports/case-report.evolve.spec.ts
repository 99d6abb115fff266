import { parseSlaPolicy } from '@app/business-time';
import { caseEvent, type CaseEvent, type Priority } from '@app/case-domain';
import { openedP2, reportSla, routedFrP2 } from '../testing/read-model-test-kit';
import {
  emptyChanges,
  evolveCaseReport,
  type CaseReport,
  type ReportInput,
  type ReportSla,
} from './case-report.evolve';

const caseId = 'c-1';
/** the shipped calendars and policy: one business day (480 minutes in Paris) for every priority */
const sla = reportSla();
/** Monday 2 March 2026, UTC; Paris is UTC+1 and works 09:00-12:30, 13:30-18:00 */
const at = (hhmm: string, day = 2) => `2026-03-${String(day).padStart(2, '0')}T${hhmm}:00.000Z`;
const base = (time: string, day?: number) => ({ caseId, at: at(time, day), byId: 'eve' });
const opened = (o: Partial<{ calendarId: string; due: string }> = {}) =>
  openedP2(base('09:00'), { dueAt: o.due ?? at('09:00', 3), calendarId: o.calendarId });
const routed = (vendorId: string, time: string) => routedFrP2(base(time), vendorId);
const responded = (time: string, firstResponse = true, day?: number) =>
  caseEvent('AgentResponded', { ...base(time, day), agentId: 'eve', message: 'on it', firstResponse });

const foldWith = (measure: ReportSla, ...events: CaseEvent[]) => {
  const changes = emptyChanges();
  const report = events.reduce<CaseReport | null>(
    (r, e, i) => evolveCaseReport(r, { ...e, streamVersion: i + 1 } as ReportInput, measure, changes),
    null,
  );
  return { report: report!, changes };
};
const fold = (...events: CaseEvent[]) => foldWith(sla, ...events);
const resolved = (time: string, day = 2, cycle = 1) =>
  caseEvent('Resolved', { ...base(time, day), outcome: 'solved', summary: 's', cycle });
const reopened = (time: string, day = 2, cycle = 2) =>
  caseEvent('Reopened', { ...base(time, day), reason: 'again', cycle });
const priorityChanged = (from: Priority, to: Priority, time: string, day = 2) =>
  caseEvent('PriorityChanged', { ...base(time, day), from, to, reason: 'impact changed' });
const firstResponseBreached = (cycle: number, dueAt: string, priority: Priority, time: string, day = 2) =>
  caseEvent('SlaBreached', {
    ...base(time, day),
    byId: 'system:sla-timer',
    clock: 'first-response',
    cycle,
    priority,
    dueAt,
    targetMs: 28_800_000,
    calendarId: 'europe-paris',
    calendarVersion: 1,
    policyVersion: 1,
  });

describe('evolveCaseReport (the facts behind the reports, docs/metrics.md)', () => {
  it('R10: measures the first response in business minutes of the case’s calendar, lunch and nights excluded', () => {
    // 10:00 → 14:00 Paris time: four hours, less the lunch hour
    expect(fold(opened(), responded('13:00')).report.cycles.get(1)).toMatchObject({
      firstResponseAt: at('13:00'),
      firstResponseMinutes: 180,
      firstResponseBreached: false,
    });
    // Tokyo's calendar: 18:00 → 10:00 the next morning in Tokyo is one business hour
    expect(
      fold(opened({ calendarId: 'asia-tokyo' }), responded('01:00', true, 3)).report.cycles.get(1)
        ?.firstResponseMinutes,
    ).toBe(60);
    // a later response is not a first one
    expect(
      fold(opened(), responded('10:00'), responded('13:00', false)).report.cycles.get(1)?.firstResponseMinutes,
    ).toBe(60);
  });

  it('counts a response after the due time as a breach even when no SlaBreached was recorded', () => {
    // opened Monday 10:00 Paris: one business day later is Tuesday 10:00 Paris (09:00Z)
    expect(fold(opened(), responded('09:00', true, 3)).report.cycles.get(1)).toMatchObject({
      firstResponseDueAt: at('09:00', 3),
      firstResponseStoppedAt: at('09:00', 3),
      firstResponseBreached: false,
    });
    expect(fold(opened(), responded('09:01', true, 3)).report.cycles.get(1)).toMatchObject({
      firstResponseBreached: true,
    });
  });

  describe('SLA attainment: every cycle judged against its own due time (docs/metrics.md)', () => {
    it('a reopened cycle has its own first-response clock: answered 1,200 business minutes after the reopening, it breached', () => {
      const { report } = fold(
        opened(),
        responded('09:30'),
        resolved('10:00'),
        // Monday 12:00 Paris: due one business day later, Tuesday 12:00 Paris
        reopened('11:00'),
        // Wednesday 17:00 Paris: 300 + 480 + 420 business minutes later; no SlaBreached was recorded
        responded('16:00', true, 4),
      );
      expect(report.cycles.get(1)).toMatchObject({ firstResponseBreached: false, firstResponseMinutes: 30 });
      expect(report.cycles.get(2)).toMatchObject({
        startedAt: at('11:00'),
        firstResponseDueAt: at('11:00', 3),
        firstResponseMinutes: 1200,
        firstResponseStoppedAt: at('16:00', 4),
        firstResponseBreached: true,
      });
    });

    it('a reopened cycle answered within the target of the priority in force is met', () => {
      const { report } = fold(opened(), resolved('10:00'), priorityChanged('P2', 'P3', '10:30'), reopened('11:00'));
      const answered = fold(
        opened(),
        resolved('10:00'),
        priorityChanged('P2', 'P3', '10:30'),
        reopened('11:00'),
        responded('11:00', true, 3),
      ).report;
      expect(report.cycles.get(2)).toMatchObject({ priority: 'P3', firstResponseDueAt: at('11:00', 3) });
      expect(answered.cycles.get(2)).toMatchObject({ firstResponseBreached: false, firstResponseMinutes: 480 });
    });

    it('a cycle resolved without any response by its due time is met: the resolution stopped its clock in time', () => {
      const cycle = fold(opened(), resolved('13:00')).report.cycles.get(1);
      expect(cycle).toMatchObject({
        firstResponseAt: null,
        firstResponseMinutes: null,
        firstResponseStoppedAt: at('13:00'),
        firstResponseBreached: false,
      });
    });

    it('a cycle resolved 8 days past its due time, with no response and no SlaBreached, breached', () => {
      const cycle = fold(opened(), resolved('09:00', 11)).report.cycles.get(1);
      expect(cycle).toMatchObject({
        firstResponseDueAt: at('09:00', 3),
        firstResponseStoppedAt: at('09:00', 11),
        firstResponseBreached: true,
      });
    });

    it('a breach, then a priority change, a re-route and the response: grouped under the priority and vendor it breached under', () => {
      const history = [
        opened(),
        routed('north-desk', '09:00'),
        firstResponseBreached(1, at('09:00', 3), 'P2', '09:00', 3),
        priorityChanged('P2', 'P1', '10:00', 3),
        caseEvent('Routed', {
          ...base('11:00', 3),
          vendorId: 'west-desk',
          queueId: 'fr-P1',
          reason: 'follow-the-sun',
          trigger: 'shift-ended',
          candidates: [],
        }),
        responded('12:00', true, 3),
      ] as CaseEvent[];
      const { report } = fold(...history);
      expect(report.cycles.get(1)).toMatchObject({
        priority: 'P2',
        vendorId: 'north-desk',
        firstResponseAt: at('12:00', 3),
        firstResponseBreached: true,
      });
      expect(report.case).toMatchObject({ priority: 'P1', vendorId: 'west-desk' });
      // the same without the SlaBreached (the timers did not run): the due time passed under P2 and north-desk
      const unrecorded = fold(...history.filter((e) => e.type !== 'SlaBreached')).report.cycles.get(1);
      expect(unrecorded).toMatchObject({ priority: 'P2', vendorId: 'north-desk', firstResponseBreached: true });
    });

    it('a priority raised while the clock runs: due at the new target from the cycle’s start, breached at once if that is past', () => {
      const halfDayForP1 = {
        ...sla,
        policy: parseSlaPolicy(
          { ...sla.policy, firstResponseBusinessDays: { P1: 0.5, P2: 1, P3: 1, P4: 1 } },
          'test policy',
        ),
      };
      // raised at Monday 11:00 Paris: P1 is due four business hours after 10:00 Paris, at 15:00 Paris
      const early = foldWith(halfDayForP1, opened(), priorityChanged('P2', 'P1', '10:00')).report.cycles.get(1);
      expect(early).toMatchObject({ priority: 'P1', firstResponseDueAt: at('14:00'), firstResponseBreached: false });
      // raised at Monday 17:00 Paris, past 15:00 Paris: breached at once, under P1
      const late = foldWith(
        halfDayForP1,
        opened(),
        routed('north-desk', '09:00'),
        priorityChanged('P2', 'P1', '16:00'),
      );
      expect(late.report.cycles.get(1)).toMatchObject({
        priority: 'P1',
        vendorId: 'north-desk',
        firstResponseDueAt: at('14:00'),
        firstResponseBreached: true,
      });
    });
  });

  it('freezes the cycle’s priority and vendor when its first-response clock stops', () => {
    const { report } = fold(
      opened(),
      routed('north-desk', '09:00'),
      responded('09:30'),
      caseEvent('PriorityChanged', { ...base('10:00'), from: 'P2', to: 'P1', reason: 'worse' }),
      routed('west-desk', '11:00'),
    );
    expect(report.cycles.get(1)).toMatchObject({ priority: 'P2', vendorId: 'north-desk' });
    expect(report.case).toMatchObject({ priority: 'P1', openedPriority: 'P2', vendorId: 'west-desk' });
  });

  it('keeps the status history as spans of constant status, priority and vendor, and the waits on the customer', () => {
    const { report, changes } = fold(
      opened(),
      routed('north-desk', '09:00'),
      // a message while the case is open changes nothing here
      caseEvent('CustomerReplied', { ...base('09:30'), message: 'hm', endsWait: false }),
      caseEvent('InfoRequested', {
        ...base('10:00'),
        agentId: 'eve',
        items: ['logs'],
        message: '?',
        firstResponse: true,
      }),
      caseEvent('InfoProvided', { ...base('12:00'), message: 'here', attachments: [], endsWait: true }),
      caseEvent('Resolved', { ...base('13:00'), outcome: 'solved', summary: 's', cycle: 1 }),
      caseEvent('Closed', { ...base('14:00'), outcome: 'solved', cycle: 1 }),
    );
    expect(
      [...changes.spans.values()].map((s) => [
        s.seq,
        s.status,
        s.vendorId,
        s.startedAt.slice(11, 16),
        s.endedAt?.slice(11, 16),
      ]),
    ).toEqual([
      [1, 'open', null, '09:00', '09:00'],
      [2, 'open', 'north-desk', '09:00', '10:00'],
      [3, 'awaiting-customer', 'north-desk', '10:00', '12:00'],
      [4, 'open', 'north-desk', '12:00', '13:00'],
      [5, 'resolved', 'north-desk', '13:00', '14:00'],
    ]);
    expect(report.span).toBeNull();
    expect([...changes.waits.values()]).toEqual([
      expect.objectContaining({ seq: 1, startedAt: at('10:00'), endedAt: at('12:00'), endedBy: 'customer' }),
    ]);
  });

  it('R15: a reopen starts a new cycle; surveys and answers go to the cycle they were sent for', () => {
    const { report } = fold(
      opened(),
      caseEvent('Resolved', { ...base('10:00'), outcome: 'solved', summary: 's', cycle: 1 }),
      caseEvent('SurveySent', { ...base('10:00'), surveyId: 's1', cycle: 1 }),
      caseEvent('Reopened', { ...base('11:00'), reason: 'again', cycle: 2 }),
      caseEvent('SurveyAnswered', { ...base('12:00'), surveyId: 's1', rating: 2, cycle: 1 }),
      caseEvent('Escalated', { ...base('12:30'), target: 'supervisor', reason: 'slow' }),
    );
    expect(report.cycles.get(1)).toMatchObject({
      outcome: 'solved',
      reopenedAt: at('11:00'),
      rating: 2,
      surveySentAt: at('10:00'),
    });
    expect(report.cycles.get(2)).toMatchObject({
      startedAt: at('11:00'),
      escalations: 1,
      rating: null,
      // a new clock from the reopening (Monday 12:00 Paris), due one business day later
      firstResponseDueAt: at('11:00', 3),
    });
    expect(report.case).toMatchObject({ cycle: 2, status: 'open', escalations: 1 });
  });

  it('R14: records a credit once', () => {
    const credit = (amount: number) =>
      caseEvent('CreditIssued', { ...base('15:00'), incidentId: 'i', amount, currency: 'EUR' });
    expect(fold(opened(), credit(250), credit(99)).report.credit).toMatchObject({ amount: 250, currency: 'EUR' });
  });

  it('has nothing for an event of a case never opened', () =>
    expect(
      evolveCaseReport(null, { ...responded('10:00'), streamVersion: 1 } as ReportInput, sla, emptyChanges()),
    ).toBeNull());
});
