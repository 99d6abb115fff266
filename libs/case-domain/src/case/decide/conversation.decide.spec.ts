import { deciderSpec } from '@app/testing';
import { InvalidCommand } from '../../shared/domain-rule-violation';
import { caseDecider } from '../case.decide';
import { CaseAlreadyClosed, CaseAlreadyResolved, CaseNotFound } from '../case.errors';
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
} from '../testing/case.fixtures';

const given = deciderSpec(caseDecider);
const logs = { name: 'sso.log', size: 2048, contentType: 'text/plain', sha256: 'AB'.repeat(32) };

describe('RespondToCase (R10)', () => {
  it('R10: the first agent response of a cycle is marked, it stops the first-response clock', () =>
    given([opened])
      .when(cmd.respond())
      .then([evNow('AgentResponded', { agentId: agent.id, message: 'We are looking into it.', firstResponse: true })]));

  it('R10: later responses are not first responses', () =>
    given([opened, infoRequested])
      .when(cmd.respond())
      .then([
        evNow('AgentResponded', { agentId: agent.id, message: 'We are looking into it.', firstResponse: false }),
      ]));

  it('R15: after a reopen the clock starts again, so the next response is a first response again', () =>
    given([opened, responded, resolved(), reopened()])
      .when(cmd.respond())
      .then([evNow('AgentResponded', { agentId: agent.id, message: 'We are looking into it.', firstResponse: true })]));

  it('refuses to respond to a closed case', () =>
    given([opened, resolved(), closed()]).when(cmd.respond()).thenThrows(CaseAlreadyClosed));

  it('R15: refuses to respond to a resolved case until it is reopened', () =>
    given([opened, resolved()]).when(cmd.respond()).thenThrows(CaseAlreadyResolved));

  it('refuses an empty message', () =>
    given([opened])
      .when(cmd.respond({ message: ' ' }))
      .thenThrows(InvalidCommand));

  it('refuses a case that was never opened', () => given([]).when(cmd.respond()).thenThrows(CaseNotFound));
});

describe('RequestInfo (R11)', () => {
  it('R11: asks for reproduction steps, troubleshooting, logs or headers; the case then awaits the customer', () =>
    given([opened])
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
    given([opened, resolved()]).when(cmd.requestInfo()).thenThrows(CaseAlreadyResolved));

  it.each([
    ['no items', cmd.requestInfo({ items: [] })],
    ['an unknown item', cmd.requestInfo({ items: ['screenshots' as never] })],
    ['an empty message', cmd.requestInfo({ message: '' })],
  ])('refuses %s', (_what, command) => given([opened]).when(command).thenThrows(InvalidCommand));
});

describe('ProvideInfo (R11)', () => {
  it('R11: the answer with attachments by reference ends the wait', () =>
    given([opened, infoRequested])
      .when(cmd.provideInfo({ attachments: [logs] }))
      .then([
        evNow(
          'InfoProvided',
          { message: 'Logs attached.', attachments: [{ ...logs, sha256: 'ab'.repeat(32) }], endsWait: true },
          customer.id,
        ),
      ]));

  it('R11: information sent unasked is kept but ends no wait', () =>
    given([opened])
      .when(cmd.provideInfo({ message: '', attachments: [logs] }))
      .then([
        evNow(
          'InfoProvided',
          { message: '', attachments: [{ ...logs, sha256: 'ab'.repeat(32) }], endsWait: false },
          customer.id,
        ),
      ]));

  it('refuses information on a closed case', () =>
    given([opened, resolved(), closed()]).when(cmd.provideInfo()).thenThrows(CaseAlreadyClosed));

  it.each([
    ['neither message nor attachment', cmd.provideInfo({ message: '' })],
    ['a bad checksum', cmd.provideInfo({ attachments: [{ ...logs, sha256: 'abc' }] })],
    ['a negative size', cmd.provideInfo({ attachments: [{ ...logs, size: -1 }] })],
  ])('refuses %s', (_what, command) => given([opened, infoRequested]).when(command).thenThrows(InvalidCommand));
});

describe('ReplyToCase', () => {
  it('R11: a customer reply while awaiting the customer puts the case back with the agents', () =>
    given([opened, infoRequested])
      .when(cmd.reply())
      .then([evNow('CustomerReplied', { message: 'Any news?', endsWait: true }, customer.id)]));

  it('a reply on an open case is recorded and ends no wait', () =>
    given([opened])
      .when(cmd.reply())
      .then([evNow('CustomerReplied', { message: 'Any news?', endsWait: false }, customer.id)]));

  it('R15: refuses a reply on a resolved case: the customer reopens it instead', () =>
    given([opened, resolved()]).when(cmd.reply()).thenThrows(CaseAlreadyResolved));

  it('refuses an empty reply', () =>
    given([opened])
      .when(cmd.reply({ message: '' }))
      .thenThrows(InvalidCommand));
});
