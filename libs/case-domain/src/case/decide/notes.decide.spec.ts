import { deciderSpec } from '@app/testing';
import { InvalidCommand } from '../../shared/domain-rule-violation';
import { caseDecider } from '../case.decide';
import { CaseAlreadyClosed, CaseNotFound } from '../case.errors';
import { closed, cmd, evNow, infoRequested, noted, opened, resolved, routed, supervisor } from '../../testing';

const given = deciderSpec(caseDecider);

describe('AddInternalNote (staff only: never shown to the customer)', () => {
  it('an agent notes an open case', () =>
    given([opened(), routed()])
      .when(cmd.note({ message: 'Old connector; see the product team.' }))
      .then([evNow('InternalNoteAdded', { message: 'Old connector; see the product team.' })]));

  it('a supervisor notes a case awaiting the customer: no status moves, no clock stops', () =>
    given([opened(), routed(), infoRequested])
      .when(cmd.note({ actor: supervisor, message: 'Chase them on Monday.' }))
      .then([evNow('InternalNoteAdded', { message: 'Chase them on Monday.' }, supervisor.id)]));

  it('notes a resolved case too (a reopen or a credit may still follow)', () =>
    given([opened(), resolved()])
      .when(cmd.note())
      .then([evNow('InternalNoteAdded', { message: cmd.note().message })]));

  it('records the same note twice: two notes, never a silent no-op', () =>
    given([opened(), noted(cmd.note().message)])
      .when(cmd.note())
      .then([evNow('InternalNoteAdded', { message: cmd.note().message })]));

  it('refuses a closed case with CASE.ALREADY_CLOSED, and says where to write instead', () =>
    given([opened(), resolved(), closed()])
      .when(cmd.note())
      .thenThrows(CaseAlreadyClosed, (e) => {
        expect(e.code).toBe('CASE.ALREADY_CLOSED');
        expect(e.message).toMatch(/cannot add an internal note to it\. .*relatedCaseId/);
      }));

  it.each([
    ['empty', ''],
    ['blank', '  \n '],
    ['not text', 42 as unknown as string],
  ])('refuses a %s message (COMMAND.INVALID), before looking at the case', (_what, message) =>
    given([])
      .when(cmd.note({ message }))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('message')),
  );

  it('is CASE.NOT_FOUND on a case never opened', () => given([]).when(cmd.note()).thenThrows(CaseNotFound));
});
