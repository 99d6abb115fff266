import { caseEvent, type CaseEvent } from '@app/case-domain';
import { calendarLookup } from '../testing/read-model-test-kit';
import { emptyChanges, evolveCaseReport, type CaseReport, type ReportInput } from './case-report.evolve';

const caseId = 'c-1';
const calendarOf = calendarLookup();
/** Monday 2 March 2026, UTC; Paris is UTC+1 and works 09:00-12:30, 13:30-18:00 */
const at = (hhmm: string, day = 2) => `2026-03-0${day}T${hhmm}:00.000Z`;
const base = (time: string, day?: number) => ({ caseId, at: at(time, day), byId: 'eve' });
const opened = (o: Partial<{ calendarId: string; due: string }> = {}) =>
  caseEvent('Opened', {
    ...base('09:00'),
    tenant: 'acme.example',
    requester: { id: 'ana', email: 'ana@acme.example' },
    subject: 's',
    description: '-',
    product: 'drive',
    language: 'fr',
    channel: 'email',
    impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: false },
    workaround: 'none',
    priority: 'P2',
    sla: {
      calendarId: o.calendarId ?? 'europe-paris',
      calendarVersion: 1,
      policyVersion: 1,
      firstResponseTargetMs: 28_800_000,
      firstResponseDueAt: o.due ?? at('09:00', 3),
    },
  });
const routed = (vendorId: string, time: string) =>
  caseEvent('Routed', {
    ...base(time),
    vendorId,
    queueId: 'fr-P2',
    reason: 'follow-the-sun',
    trigger: 'opened',
    candidates: [],
  });
const responded = (time: string, firstResponse = true, day?: number) =>
  caseEvent('AgentResponded', { ...base(time, day), agentId: 'eve', message: 'on it', firstResponse });

const fold = (...events: CaseEvent[]) => {
  const changes = emptyChanges();
  const report = events.reduce<CaseReport | null>(
    (r, e, i) => evolveCaseReport(r, { ...e, streamVersion: i + 1 } as ReportInput, calendarOf, changes),
    null,
  );
  return { report: report!, changes };
};

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

  it('counts a response after the recorded due time as a breach even when no SlaBreached was recorded', () =>
    expect(fold(opened({ due: at('10:00') }), responded('11:00')).report.cycles.get(1)?.firstResponseBreached).toBe(
      true,
    ));

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
      firstResponseDueAt: null,
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
      evolveCaseReport(null, { ...responded('10:00'), streamVersion: 1 } as ReportInput, calendarOf, emptyChanges()),
    ).toBeNull());
});
