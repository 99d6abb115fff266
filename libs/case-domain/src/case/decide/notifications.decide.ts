import { requireBoolean } from '../../shared/validation';
import type { SetNotifications } from '../case.commands';
import { caseEvent, type CaseEvent } from '../case.events';
import type { CaseState } from '../case.state';
import { requireNotClosed } from './guards';

/**
 * The customer turns the case's notification e-mails off or on (the API lets the support
 * admins of the case's organisation). Any status but closed: nothing is e-mailed about a
 * closed case any more. The same setting again is a no-op (a retry, a double click).
 * Turning them off stops the e-mails about the case's later events only, except the
 * survey, the information requests and their reminders (docs/notifications.md): the
 * outbox planner reads `notificationsEnabled` as it stood at each event.
 */
export const setNotifications = (state: CaseState, c: SetNotifications, at: string): CaseEvent[] => {
  const enabled = requireBoolean('enabled', c.enabled);
  const current = requireNotClosed(state, c);
  if (current.notificationsEnabled === enabled) return [];
  return [caseEvent('NotificationsChanged', { caseId: current.id, at, byId: c.actor.id, enabled })];
};
