import { deciderSpec } from '@app/testing';
import { InvalidCommand } from '../../shared/domain-rule-violation';
import { caseDecider } from '../case.decide';
import {
  CaseAlreadyClosed,
  CaseAlreadyResolved,
  CaseNotFound,
  CaseNotLinkedToIncident,
  CaseNotResolved,
} from '../case.errors';
import {
  agent,
  closed,
  cmd,
  customer,
  evNow,
  infoRequested,
  linked,
  opened,
  reopened,
  resolved,
  system,
} from '../../testing';

const given = deciderSpec(caseDecider);

describe('ResolveCase (R12)', () => {
  it('R12: resolves with an outcome and a summary, naming the cycle it ends', () =>
    given([opened()])
      .when(cmd.resolve())
      .then([evNow('Resolved', { outcome: 'solved', summary: 'SAML certificate renewed.', cycle: 1 }, agent.id)]));

  it('R12: a case awaiting the customer can be resolved too', () =>
    given([opened(), infoRequested])
      .when(cmd.resolve({ outcome: 'out-of-scope', summary: 'Third-party app.' }))
      .then([evNow('Resolved', { outcome: 'out-of-scope', summary: 'Third-party app.', cycle: 1 })]));

  it('R12/R14: an outage outcome names the linked incident', () =>
    given([opened(), linked('inc-7')])
      .when(cmd.resolve({ outcome: 'outage', summary: 'Outage over.' }))
      .then([evNow('Resolved', { outcome: 'outage', summary: 'Outage over.', incidentId: 'inc-7', cycle: 1 })]));

  it('R12: a feature request may point to where the customer proposes it', () =>
    given([opened()])
      .when(
        cmd.resolve({
          outcome: 'feature-request',
          summary: 'Missing.',
          featureRequestUrl: 'https://community.example/idea',
        }),
      )
      .then([
        evNow('Resolved', {
          outcome: 'feature-request',
          summary: 'Missing.',
          featureRequestUrl: 'https://community.example/idea',
          cycle: 1,
        }),
      ]));

  it('R12/R14: refuses the outcome outage for a case not linked to an incident', () =>
    given([opened()])
      .when(cmd.resolve({ outcome: 'outage' }))
      .thenThrows(CaseNotLinkedToIncident, (e) => expect(e.code).toBe('CASE.NOT_LINKED_TO_INCIDENT')));

  it('refuses to resolve a case already resolved', () =>
    given([opened(), resolved()])
      .when(cmd.resolve())
      .thenThrows(CaseAlreadyResolved, (e) => expect(e.code).toBe('CASE.ALREADY_RESOLVED')));

  it('refuses to resolve a closed case', () =>
    given([opened(), resolved(), closed()]).when(cmd.resolve()).thenThrows(CaseAlreadyClosed));

  it.each([
    ['an unknown outcome', cmd.resolve({ outcome: 'fixed' as never })],
    ['an empty summary', cmd.resolve({ summary: '' })],
    ['cannot-reproduce without recommendations (R12)', cmd.resolve({ outcome: 'cannot-reproduce' })],
    ['a feature request URL with another outcome', cmd.resolve({ featureRequestUrl: 'https://community.example/x' })],
    [
      'a feature request URL that is not http(s)',
      cmd.resolve({ outcome: 'feature-request', featureRequestUrl: 'ftp://x' }),
    ],
  ])('refuses %s', (_what, command) => given([opened()]).when(command).thenThrows(InvalidCommand));
});

describe('ReopenCase (R15)', () => {
  it('R15: a resolved case the customer says is not solved is reopened, starting cycle 2', () =>
    given([opened(), resolved()])
      .when(cmd.reopen())
      .then([evNow('Reopened', { reason: 'It fails again.', cycle: 2 }, customer.id)]));

  it('R15: each reopen starts the next cycle', () =>
    given([opened(), resolved(), reopened(2), resolved({ cycle: 2 })])
      .when(cmd.reopen())
      .then([evNow('Reopened', { reason: 'It fails again.', cycle: 3 }, customer.id)]));

  it('R15: refuses to reopen a closed case (a new case refers to it instead)', () =>
    given([opened(), resolved(), closed()])
      .when(cmd.reopen())
      .thenThrows(CaseAlreadyClosed, (e) => expect(e.message).toMatch(/reopened only until it is closed: .*new case/)));

  it('R10: records the new cycle’s first-response terms the shell computed (the queues order by them)', () =>
    given([opened(), resolved()])
      .when(cmd.reopen({ sla: { firstResponseTargetMs: 28_800_000, firstResponseDueAt: '2026-03-03T09:30:00.000Z' } }))
      .then([
        evNow(
          'Reopened',
          {
            reason: 'It fails again.',
            cycle: 2,
            sla: { firstResponseTargetMs: 28_800_000, firstResponseDueAt: '2026-03-03T09:30:00.000Z' },
          },
          customer.id,
        ),
      ]));

  it.each([
    [
      'a negative target',
      { firstResponseTargetMs: -1, firstResponseDueAt: '2026-03-03T09:30:00.000Z' },
      'sla.firstResponseTargetMs',
    ],
    [
      'a due time that is no instant',
      { firstResponseTargetMs: 1, firstResponseDueAt: 'tomorrow' },
      'sla.firstResponseDueAt',
    ],
    [
      'a due time before the reopen',
      { firstResponseTargetMs: 1, firstResponseDueAt: '2026-03-02T09:29:59.999Z' },
      'sla.firstResponseDueAt',
    ],
  ])('refuses terms with %s, before looking at the case', (_what, sla, field) =>
    given([])
      .when(cmd.reopen({ sla }))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe(field)),
  );

  it('does nothing for a case that is open already', () => given([opened()]).when(cmd.reopen()).thenNothingHappened());

  it('refuses a reopen without a reason', () =>
    given([opened(), resolved()])
      .when(cmd.reopen({ reason: '' }))
      .thenThrows(InvalidCommand));
});

describe('CloseCase (R15, system)', () => {
  it('R15: closes a resolved case', () =>
    given([opened(), resolved()])
      .when(cmd.close())
      .then([evNow('Closed', { outcome: 'solved', cycle: 1 }, system.id)]));

  it('refuses to close a case that is not resolved', () =>
    given([opened()])
      .when(cmd.close())
      .thenThrows(CaseNotResolved, (e) => expect(e.code).toBe('CASE.NOT_RESOLVED')));

  it('refuses to close a reopened case', () =>
    given([opened(), resolved(), reopened()]).when(cmd.close()).thenThrows(CaseNotResolved));

  it('does nothing for a case that is already closed (the timer may fire twice)', () =>
    given([opened(), resolved(), closed()]).when(cmd.close()).thenNothingHappened());

  it('refuses a case that was never opened', () => given([]).when(cmd.close()).thenThrows(CaseNotFound));
});
