import { requireText } from '../../shared/validation';
import type { AddInternalNote } from '../case.commands';
import { caseEvent, type CaseEvent } from '../case.events';
import type { CaseState } from '../case.state';
import { requireNotClosed } from './guards';

/**
 * Staff's internal note (agents of the case's vendor, supervisors: the API's check). Any
 * status but closed: a resolved case may still be annotated (a reopen or a credit may
 * follow), a closed case is over, like every other write to it. Not a response: no clock
 * stops, no status moves. Never a no-op: two equal notes are two notes (an HTTP retry is
 * made safe by its Idempotency-Key, not here).
 */
export const addInternalNote = (state: CaseState, c: AddInternalNote, at: string): CaseEvent[] => {
  requireText('message', c.message);
  const current = requireNotClosed(
    state,
    c,
    'Write the note on the case that follows it (a new case refers to a closed one by relatedCaseId).',
  );
  return [caseEvent('InternalNoteAdded', { caseId: current.id, at, byId: c.actor.id, message: c.message })];
};
