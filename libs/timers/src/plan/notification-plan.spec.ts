import { CASE_EVENT_TYPES, caseDecider, foldEvents, type CaseEvent, type CaseState } from '@app/case-domain';
import {
  closed,
  creditIssued,
  ev,
  infoRequested,
  noted,
  notificationsChanged,
  opened,
  reminded,
  reopened,
  reportSent,
  resolved,
  responded,
  routed,
} from '@app/case-domain/testing';
import { noticeOf, NOTIFIED_EVENT_TYPES, plannedNotification } from './notification-plan';

const fold = (events: readonly CaseEvent[]): CaseState => foldEvents(caseDecider, events);

/** The case right after each event of the history, and what the planner makes of that event. */
const planned = (history: readonly CaseEvent[]) => {
  let state = caseDecider.initialState;
  return history.flatMap((event, i) => {
    state = caseDecider.evolve(state, event);
    const row = plannedNotification(state, { eventId: `event-${i + 1}`, type: event.type, data: event.data });
    return row ? [{ type: row.eventType, language: row.language }] : [];
  });
};

describe('which case events give a notification e-mail (the outbox planning)', () => {
  it('exactly the listed ones: every other event type of the domain gives none', () => {
    const open = fold([opened(), routed()]);
    const waiting = fold([opened(), routed(), infoRequested]);
    for (const type of CASE_EVENT_TYPES) {
      const state = type === 'CustomerReminded' ? waiting : open;
      const row = plannedNotification(state, { eventId: 'e-1', type, data: {} });
      if ((NOTIFIED_EVENT_TYPES as readonly string[]).includes(type))
        expect(row).toEqual({ eventId: 'e-1', eventType: type, language: 'fr' });
      else expect([type, row]).toEqual([type, null]);
    }
  });

  it("a whole case's life, in its order; internal notes are never e-mailed", () =>
    expect(
      planned([
        opened(),
        routed(),
        noted('Customer runs an old connector.'),
        responded,
        infoRequested,
        reminded(),
        noted('Chase them on Monday.'),
        ev('InfoProvided', { message: 'Here.', attachments: [], endsWait: true }, 'admin-1'),
        ev('LinkedToIncident', { incidentId: 'inc-1' }),
        ev('CreditRequested', { incidentId: 'inc-1' }, 'admin-1'),
        resolved(),
        ev('SurveySent', { surveyId: 's-1', cycle: 1 }, 'system:survey-sender'),
        reopened(),
        resolved({ cycle: 2 }),
        creditIssued(),
        ev('IncidentReportRequested', { incidentId: 'inc-1' }, 'admin-1'),
        reportSent(),
        closed(2),
      ]).map((r) => r.type),
    ).toEqual([
      'AgentResponded',
      'InfoRequested',
      'CustomerReminded',
      'Resolved',
      'Reopened',
      'Resolved',
      'CreditIssued',
      'IncidentReportSent',
      'Closed',
    ]));

  it('after the customer turns them off, only the information requests and their reminders; all again once on', () =>
    expect(
      planned([
        opened(),
        notificationsChanged(false),
        responded,
        infoRequested,
        reminded(),
        ev('InfoProvided', { message: 'Here.', attachments: [], endsWait: true }, 'admin-1'),
        resolved(),
        reopened(),
        notificationsChanged(true),
        responded,
        resolved({ cycle: 2 }),
        notificationsChanged(false),
        closed(2),
      ]).map((r) => r.type),
    ).toEqual(['InfoRequested', 'CustomerReminded', 'AgentResponded', 'Resolved']));

  it('a reminder the case no longer waits for gives none', () => {
    const answered = fold([
      opened(),
      infoRequested,
      ev('InfoProvided', { message: 'Here.', attachments: [], endsWait: true }, 'admin-1'),
    ]);
    expect(plannedNotification(answered, { eventId: 'e', type: 'CustomerReminded', data: {} })).toBeNull();
  });

  it('in the case’s language: French for fr and fr-*, English for the others', () => {
    const inLanguage = (language: string) => planned([opened({ language }), responded])[0]?.language;
    expect(inLanguage('fr')).toBe('fr');
    expect(inLanguage('fr-CA')).toBe('fr');
    expect(inLanguage('en-GB')).toBe('en');
    expect(inLanguage('de')).toBe('en');
  });

  it('none for a case without a requester address, nor for one never opened', () => {
    const noAddress = opened({ requester: { id: 'admin-1', email: '' } });
    expect(planned([noAddress, responded])).toEqual([]);
    expect(
      plannedNotification(caseDecider.initialState, { eventId: 'e', type: 'AgentResponded', data: {} }),
    ).toBeNull();
  });
});

describe('what the e-mail of each event says (noticeOf)', () => {
  const state = fold([opened(), infoRequested]);
  it('takes the message, the items, the outcome and summary, the amount, the report link from the event', () => {
    expect(noticeOf(state, responded)).toEqual({ kind: 'agent-responded', message: 'Looking.' });
    expect(noticeOf(state, infoRequested)).toEqual({
      kind: 'info-requested',
      items: ['logs'],
      message: 'Logs please.',
    });
    expect(
      noticeOf(
        state,
        resolved({ outcome: 'feature-request', summary: 'A wish.', featureRequestUrl: 'https://c.example/i' }),
      ),
    ).toEqual({
      kind: 'resolved',
      outcome: 'feature-request',
      summary: 'A wish.',
      featureRequestUrl: 'https://c.example/i',
    });
    expect(noticeOf(state, reopened())).toEqual({ kind: 'reopened' });
    expect(noticeOf(state, creditIssued())).toMatchObject({ kind: 'credit-issued', currency: expect.any(String) });
    expect(noticeOf(state, reportSent())).toEqual({
      kind: 'incident-report-sent',
      reportUrl: 'https://status.example/reports/inc-1',
    });
    expect(noticeOf(state, closed())).toEqual({ kind: 'closed', outcome: 'solved' });
  });

  it('a reminder lists what the case still waits for, and since when', () =>
    expect(noticeOf(state, reminded())).toEqual({
      kind: 'customer-reminded',
      items: ['logs'],
      waitingSince: '2026-03-02T08:00:00.000Z',
    }));

  it('none for a note, or any event that is not e-mailed', () => {
    expect(noticeOf(state, noted())).toBeNull();
    expect(noticeOf(state, routed())).toBeNull();
  });
});
