import { deciderSpec } from '@app/testing';
import { InvalidCommand } from '../../shared/domain-rule-violation';
import { caseDecider } from '../case.decide';
import { CaseAlreadyOpened, RelatedCaseNotFound } from '../case.errors';
import { caseEvent, type CaseEventDataMap } from '../case.events';
import { AT, CASE_ID, cmd, customer, opened } from '../../testing';

const given = deciderSpec(caseDecider);

const openedNow = (o: Partial<CaseEventDataMap['Opened']> = {}) =>
  caseEvent('Opened', {
    caseId: CASE_ID,
    at: AT,
    byId: customer.id,
    tenant: 'org-acme',
    requester: { id: 'admin-1', email: 'admin@acme.example' },
    subject: 'SSO login fails',
    description: 'Nobody in the sales team can sign in since 9:00.',
    product: 'cloud-identity-premium',
    language: 'fr',
    channel: 'email',
    impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: false },
    workaround: 'none',
    priority: 'P1',
    ...o,
  });

describe('OpenCase (R5–R9)', () => {
  it('R8/R9: opens the case with channel, language and the priority derived from the intake', () =>
    given([]).when(cmd.open()).then([openedNow()]));

  it('R9: the priority comes from the intake answers: a workaround gives P3', () =>
    given([])
      .when(cmd.open({ workaround: 'available' }))
      .then([openedNow({ workaround: 'available', priority: 'P3' })]));

  it('R6/R15: records the case this one follows (one of the same organisation)', () =>
    given([])
      .when(
        cmd.open({
          relatedCaseId: 'case-0000',
          relatedCase: { tenant: 'org-acme' },
          channel: 'chat',
          language: 'en-GB',
        }),
      )
      .then([openedNow({ relatedCaseId: 'case-0000', channel: 'chat', language: 'en-GB' })]));

  it.each([
    ['does not exist', null],
    ['is another organisation’s', { tenant: 'org-globex' }],
    ['was not looked up by the shell', undefined],
  ])('R3: refuses a related case that %s as unknown, with the same answer', (_, relatedCase) =>
    given([])
      .when(cmd.open({ relatedCaseId: 'case-0000', relatedCase }))
      .thenThrows(RelatedCaseNotFound, (e) => {
        expect(e).toMatchObject({ code: 'CASE.NOT_FOUND', kind: 'not-found', caseId: 'case-0000' });
        expect(e.message).toBe('The related case case-0000 (relatedCaseId) does not exist.');
      }),
  );

  it('refuses to open a case twice: a case id is used once', () =>
    given([opened()])
      .when(cmd.open())
      .thenThrows(CaseAlreadyOpened, (e) => expect(e.code).toBe('CASE.ALREADY_OPENED')));

  it.each([
    ['subject', cmd.open({ subject: '  ' })],
    ['description', cmd.open({ description: '' })],
    ['requester.email', cmd.open({ requester: { id: 'admin-1', email: 'not-an-address' } })],
    ['language', cmd.open({ language: 'french please' })],
    ['channel', cmd.open({ channel: 'phone' as never })],
    [
      'impact.collaborationHarmed',
      cmd.open({ impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: 'yes' as never } }),
    ],
    ['workaround', cmd.open({ workaround: 'maybe' as never })],
    ['relatedCaseId', cmd.open({ relatedCaseId: CASE_ID })],
  ])('refuses a bad %s as an invalid command', (field, command) =>
    given([])
      .when(command)
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe(field)),
  );

  // "does nothing" has no case here: opening twice is refused, never ignored
});

describe('OpenCase with SLA terms (R10: computed by the shell, recorded in Opened)', () => {
  const terms = {
    calendarId: 'europe-paris',
    calendarVersion: 1,
    policyVersion: 'v2',
    region: 'emea',
    firstResponseTargetMs: 28_800_000,
    firstResponseDueAt: '2026-03-03T09:30:00.000Z',
  };

  it('R10: records the calendar, its version, the policy version and the first-response due time', () =>
    given([])
      .when(cmd.open({ sla: terms }))
      .then([openedNow({ sla: terms })]));

  it('normalises the due time to UTC, as every instant in events', () =>
    given([])
      .when(cmd.open({ sla: { ...terms, firstResponseDueAt: '2026-03-03T10:30:00+01:00' } }))
      .then([openedNow({ sla: terms })]));

  it.each([
    ['sla.calendarId', { calendarId: '' }],
    ['sla.calendarVersion', { calendarVersion: 1.5 }],
    ['sla.policyVersion', { policyVersion: null as never }],
    ['sla.region', { region: ' ' }],
    ['sla.firstResponseTargetMs', { firstResponseTargetMs: -1 }],
    ['sla.firstResponseDueAt', { firstResponseDueAt: 'soon' }],
    ['sla.firstResponseDueAt', { firstResponseDueAt: '2026-03-02T09:29:59.999Z' }],
  ])('refuses a bad %s (a due time before the opening included)', (field, o) =>
    given([])
      .when(cmd.open({ sla: { ...terms, ...o } }))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe(field)),
  );
});
