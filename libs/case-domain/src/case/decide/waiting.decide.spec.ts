import { deciderSpec } from '@app/testing';
import { InvalidCommand } from '../../shared/domain-rule-violation';
import { caseDecider } from '../case.decide';
import { CaseAlreadyClosed, CaseAlreadyResolved, CaseNotAwaitingCustomer, CaseNotFound } from '../case.errors';
import {
  agent,
  closed,
  cmd,
  customer,
  EARLIER,
  ev,
  evNow,
  infoRequested,
  opened,
  reminded,
  reopened,
  resolved,
  responded,
  supervisor,
  system,
} from '../../testing';

const given = deciderSpec(caseDecider);

/** the customer answered the first wait; a second one began at SECOND_WAIT */
const FIRST_ANSWER = '2026-03-02T08:20:00.000Z';
const SECOND_WAIT = '2026-03-02T08:40:00.000Z';
const answered = ev(
  'InfoProvided',
  { message: 'Here.', attachments: [], endsWait: true, at: FIRST_ANSWER },
  customer.id,
);
const askedAgain = ev('InfoRequested', {
  agentId: agent.id,
  items: ['message-headers'],
  message: 'And the headers?',
  firstResponse: false,
  at: SECOND_WAIT,
});

describe('RemindCustomer (R11, system: the waiting timer)', () => {
  it('R11: reminds the customer of the wait in progress, naming its start and cycle', () =>
    given([opened(), infoRequested])
      .when(cmd.remind())
      .then([evNow('CustomerReminded', { cycle: 1, waitingSince: EARLIER }, system.id)]));

  it('R11: once per wait: a second reminder of the same wait changes nothing (a second scheduler, a retry)', () =>
    given([opened(), infoRequested, reminded()]).when(cmd.remind()).thenNothingHappened());

  it('R11: a second request during the wait is the same wait: no second reminder', () =>
    given([opened(), infoRequested, reminded(), ev('InfoRequested', { ...askedAgain.data, at: FIRST_ANSWER })])
      .when(cmd.remind())
      .thenNothingHappened());

  it('R11: a new wait, after the customer answered the first, gets its own reminder', () =>
    given([opened(), infoRequested, reminded(), answered, askedAgain])
      .when(cmd.remind())
      .then([evNow('CustomerReminded', { cycle: 1, waitingSince: SECOND_WAIT }, system.id)]));

  it('R11: a reminder for an earlier cycle changes nothing (its waits are over)', () =>
    given([opened(), infoRequested, resolved(), reopened(2), { ...askedAgain }])
      .when(cmd.remind({ cycle: 1 }))
      .thenNothingHappened());

  it('refuses a case that is not awaiting the customer with CASE.NOT_AWAITING_CUSTOMER (409)', () => {
    given([opened(), responded])
      .when(cmd.remind())
      .thenThrows(CaseNotAwaitingCustomer, (e) => {
        expect(e.code).toBe('CASE.NOT_AWAITING_CUSTOMER');
        expect(e.kind).toBe('conflict');
        expect(e.message).toBe(
          'Case case-0001 is open, not awaiting the customer, so you cannot remind the customer about it.',
        );
      });
    given([opened(), infoRequested, answered]).when(cmd.remind()).thenThrows(CaseNotAwaitingCustomer);
    given([opened(), infoRequested, resolved()]).when(cmd.remind()).thenThrows(CaseNotAwaitingCustomer);
  });

  it('refuses a closed case (CASE.ALREADY_CLOSED) and a case never opened() (CASE.NOT_FOUND)', () => {
    given([opened(), infoRequested, resolved(), closed()]).when(cmd.remind()).thenThrows(CaseAlreadyClosed);
    given([]).when(cmd.remind()).thenThrows(CaseNotFound);
  });

  it.each([
    ['a cycle of 0', cmd.remind({ cycle: 0 })],
    ['a fractional cycle', cmd.remind({ cycle: 1.5 })],
    ['a cycle the case has not reached', cmd.remind({ cycle: 2 })],
  ])('refuses %s with COMMAND.INVALID (cycle)', (_what, command) =>
    given([opened(), infoRequested])
      .when(command)
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('cycle')),
  );
});

describe('ResolveCase with no-customer-answer (R11, R12: the waiting auto-close)', () => {
  const summary = cmd.resolveUnanswered().summary;

  it('R11: the system resolves a case awaiting the customer, with the recorded reason', () =>
    given([opened(), infoRequested, reminded()])
      .when(cmd.resolveUnanswered())
      .then([evNow('Resolved', { outcome: 'no-customer-answer', summary, cycle: 1 }, system.id)]));

  it('R15: the resolution ends the wait, and the customer may reopen it as any resolution', () =>
    given([opened(), infoRequested, ev('Resolved', { outcome: 'no-customer-answer', summary, cycle: 1 }, system.id)])
      .when(cmd.reopen())
      .then([evNow('Reopened', { reason: 'It fails again.', cycle: 2 }, customer.id)]));

  it.each([
    ['an agent', agent],
    ['a supervisor', supervisor],
    ['a customer', customer],
  ])(
    'refuses no-customer-answer from %s: only the waiting timer records it (COMMAND.INVALID, outcome)',
    (_who, actor) =>
      given([opened(), infoRequested])
        .when(cmd.resolveUnanswered({ actor }))
        .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('outcome')),
  );

  it('refuses any other outcome from the system (COMMAND.INVALID, outcome)', () =>
    given([opened(), infoRequested])
      .when(cmd.resolve({ actor: system, outcome: 'solved' }))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('outcome')));

  it('refuses a case no longer awaiting the customer (the answer came first): CASE.NOT_AWAITING_CUSTOMER', () =>
    given([opened(), infoRequested, answered])
      .when(cmd.resolveUnanswered())
      .thenThrows(CaseNotAwaitingCustomer, (e) =>
        expect(e.message).toBe(
          'Case case-0001 is open, not awaiting the customer, so you cannot resolve it as no-customer-answer.',
        ),
      ));

  it('refuses a resolved case (CASE.ALREADY_RESOLVED: a second scheduler) and a closed one', () => {
    given([opened(), infoRequested, resolved()]).when(cmd.resolveUnanswered()).thenThrows(CaseAlreadyResolved);
    given([opened(), infoRequested, resolved(), closed()]).when(cmd.resolveUnanswered()).thenThrows(CaseAlreadyClosed);
  });
});
