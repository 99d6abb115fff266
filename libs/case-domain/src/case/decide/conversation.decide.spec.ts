import { deciderSpec } from '@app/testing';
import { InvalidCommand } from '../../shared/domain-rule-violation';
import { caseDecider } from '../case.decide';
import { CaseAlreadyClosed, CaseAlreadyResolved, CaseNotFound } from '../case.errors';
import { REPLIED_WITH_ATTACHMENTS } from './conversation.decide';
import {
  agent,
  closed,
  cmd,
  customer,
  evNow,
  infoRequested,
  opened,
  reopened,
  resolved,
  responded,
} from '../../testing';

const given = deciderSpec(caseDecider);
const logs = { name: 'sso.log', size: 2048, contentType: 'text/plain', sha256: 'AB'.repeat(32) };

describe('RespondToCase (R10)', () => {
  it('R10: the first agent response of a cycle is marked, it stops the first-response clock', () =>
    given([opened()])
      .when(cmd.respond())
      .then([evNow('AgentResponded', { agentId: agent.id, message: 'We are looking into it.', firstResponse: true })]));

  it('R10: later responses are not first responses', () =>
    given([opened(), infoRequested])
      .when(cmd.respond())
      .then([
        evNow('AgentResponded', { agentId: agent.id, message: 'We are looking into it.', firstResponse: false }),
      ]));

  it('R15: after a reopen the clock starts again, so the next response is a first response again', () =>
    given([opened(), responded, resolved(), reopened()])
      .when(cmd.respond())
      .then([evNow('AgentResponded', { agentId: agent.id, message: 'We are looking into it.', firstResponse: true })]));

  it('refuses to respond to a closed case', () =>
    given([opened(), resolved(), closed()]).when(cmd.respond()).thenThrows(CaseAlreadyClosed));

  it('R15: refuses to respond to a resolved case until it is reopened', () =>
    given([opened(), resolved()]).when(cmd.respond()).thenThrows(CaseAlreadyResolved));

  it('refuses an empty message', () =>
    given([opened()])
      .when(cmd.respond({ message: ' ' }))
      .thenThrows(InvalidCommand));

  it('refuses a case that was never opened', () => given([]).when(cmd.respond()).thenThrows(CaseNotFound));
});

describe('RequestInfo (R11)', () => {
  it('R11: asks for reproduction steps, troubleshooting, logs or headers; the case then awaits the customer', () =>
    given([opened()])
      .when(cmd.requestInfo({ items: ['logs', 'message-headers', 'logs'] }))
      .then([
        evNow('InfoRequested', {
          agentId: agent.id,
          items: ['logs', 'message-headers'],
          message: 'Please send the logs.',
          firstResponse: true,
        }),
      ]));

  it('R11/R15: refuses to request information on a resolved case', () =>
    given([opened(), resolved()]).when(cmd.requestInfo()).thenThrows(CaseAlreadyResolved));

  it.each([
    ['no items', cmd.requestInfo({ items: [] })],
    ['an unknown item', cmd.requestInfo({ items: ['screenshots' as never] })],
    ['an empty message', cmd.requestInfo({ message: '' })],
  ])('refuses %s', (_what, command) => given([opened()]).when(command).thenThrows(InvalidCommand));
});

describe('ProvideInfo (R11)', () => {
  it('R11: the answer with attachments by reference ends the wait', () =>
    given([opened(), infoRequested])
      .when(cmd.provideInfo({ attachments: [logs] }))
      .then([
        evNow(
          'InfoProvided',
          { message: 'Logs attached.', attachments: [{ ...logs, sha256: 'ab'.repeat(32) }], endsWait: true },
          customer.id,
        ),
      ]));

  it('R11: information sent unasked is kept but ends no wait', () =>
    given([opened()])
      .when(cmd.provideInfo({ message: '', attachments: [logs] }))
      .then([
        evNow(
          'InfoProvided',
          { message: '', attachments: [{ ...logs, sha256: 'ab'.repeat(32) }], endsWait: false },
          customer.id,
        ),
      ]));

  it('refuses information on a closed case', () =>
    given([opened(), resolved(), closed()]).when(cmd.provideInfo()).thenThrows(CaseAlreadyClosed));

  it.each([
    ['neither message nor attachment', cmd.provideInfo({ message: '' })],
    ['a bad checksum', cmd.provideInfo({ attachments: [{ ...logs, sha256: 'abc' }] })],
    ['a negative size', cmd.provideInfo({ attachments: [{ ...logs, size: -1 }] })],
  ])('refuses %s', (_what, command) => given([opened(), infoRequested]).when(command).thenThrows(InvalidCommand));
});

describe('ReplyToCase', () => {
  it('R11: a customer reply while awaiting the customer puts the case back with the agents', () =>
    given([opened(), infoRequested])
      .when(cmd.reply())
      .then([evNow('CustomerReplied', { message: 'Any news?', endsWait: true }, customer.id)]));

  it('a reply on an open case is recorded and ends no wait', () =>
    given([opened()])
      .when(cmd.reply())
      .then([evNow('CustomerReplied', { message: 'Any news?', endsWait: false }, customer.id)]));

  it('R15: a reply on a resolved case reopens it: Reopened (cycle 2), then the reply, in one decision', () =>
    given([opened(), resolved()])
      .when(cmd.reply({ message: 'It fails again.' }))
      .then([
        evNow('Reopened', { reason: 'It fails again.', cycle: 2 }, customer.id),
        evNow('CustomerReplied', { message: 'It fails again.', endsWait: false }, customer.id),
      ]));

  it('R10, R15: the reopening reply records the new cycle’s first-response terms the shell computed', () => {
    const sla = { firstResponseTargetMs: 28_800_000, firstResponseDueAt: '2026-03-03T09:30:00Z' };
    given([opened(), resolved(), reopened(2), resolved({ cycle: 2 })])
      .when(cmd.reply({ sla }))
      .then([
        evNow(
          'Reopened',
          { reason: 'Any news?', cycle: 3, sla: { ...sla, firstResponseDueAt: '2026-03-03T09:30:00.000Z' } },
          customer.id,
        ),
        evNow('CustomerReplied', { message: 'Any news?', endsWait: false }, customer.id),
      ]);
  });

  it('the terms are ignored on a case in progress: only a reopen starts a cycle', () =>
    given([opened()])
      .when(cmd.reply({ sla: { firstResponseTargetMs: 1, firstResponseDueAt: '2026-03-03T09:30:00Z' } }))
      .then([evNow('CustomerReplied', { message: 'Any news?', endsWait: false }, customer.id)]));

  it('refuses terms due before the reopen', () =>
    given([opened(), resolved()])
      .when(cmd.reply({ sla: { firstResponseTargetMs: 1, firstResponseDueAt: '2026-03-01T09:30:00Z' } }))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('sla.firstResponseDueAt')));

  it('R15: refuses a reply on a closed case, saying why and what to do instead (a new case that refers to it)', () =>
    given([opened(), resolved(), closed()])
      .when(cmd.reply())
      .thenThrows(CaseAlreadyClosed, (e) => {
        expect(e.code).toBe('CASE.ALREADY_CLOSED');
        expect(e.message).toBe(
          'Case case-0001 is closed, so you cannot reply to it. A resolved case can be reopened only until it is ' +
            'closed: open a new case that refers to this one (relatedCaseId case-0001).',
        );
      }));

  it('refuses an empty reply', () =>
    given([opened()])
      .when(cmd.reply({ message: '' }))
      .thenThrows(InvalidCommand));

  it('R11: a reply with attachments by reference records them (hashes in lower case)', () =>
    given([opened()])
      .when(cmd.reply({ message: 'The trace.', attachments: [logs] }))
      .then([
        evNow(
          'CustomerReplied',
          { message: 'The trace.', attachments: [{ ...logs, sha256: 'ab'.repeat(32) }], endsWait: false },
          customer.id,
        ),
      ]));

  it('R11, R15: a reply of attachments alone may have no text; reopening, it gives a reason of its own', () =>
    given([opened(), resolved()])
      .when(cmd.reply({ message: '', attachments: [logs] }))
      .then([
        evNow('Reopened', { reason: REPLIED_WITH_ATTACHMENTS, cycle: 2 }, customer.id),
        evNow(
          'CustomerReplied',
          { message: '', attachments: [{ ...logs, sha256: 'ab'.repeat(32) }], endsWait: false },
          customer.id,
        ),
      ]));

  it('an empty list of attachments is no attachment: the event has none, and the text is required', () => {
    given([opened()])
      .when(cmd.reply({ attachments: [] }))
      .then([evNow('CustomerReplied', { message: 'Any news?', endsWait: false }, customer.id)]);
    given([opened()])
      .when(cmd.reply({ message: '', attachments: [] }))
      .thenThrows(InvalidCommand);
  });

  it.each([
    ['a bad checksum', cmd.reply({ attachments: [{ ...logs, sha256: 'abc' }] })],
    ['a negative size', cmd.reply({ attachments: [{ ...logs, size: -1 }] })],
    ['an attachment without a name', cmd.reply({ attachments: [{ ...logs, name: '' }] })],
  ])('refuses a reply with %s', (_what, command) => given([opened()]).when(command).thenThrows(InvalidCommand));
});
