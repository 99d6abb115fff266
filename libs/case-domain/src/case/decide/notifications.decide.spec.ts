import { deciderSpec } from '@app/testing';
import { InvalidCommand } from '../../shared/domain-rule-violation';
import { caseDecider } from '../case.decide';
import { CaseAlreadyClosed, CaseNotFound } from '../case.errors';
import {
  closed,
  cmd,
  customer,
  evNow,
  infoRequested,
  notificationsChanged,
  opened,
  resolved,
  routed,
} from '../../testing';

const given = deciderSpec(caseDecider);

describe('SetNotifications (the customer turns the case e-mails off or on)', () => {
  it('turns them off on an open case', () =>
    given([opened(), routed()])
      .when(cmd.setNotifications(false))
      .then([evNow('NotificationsChanged', { enabled: false }, customer.id)]));

  it('turns them on again, on a case awaiting the customer or resolved', () => {
    given([opened(), notificationsChanged(false), infoRequested])
      .when(cmd.setNotifications(true))
      .then([evNow('NotificationsChanged', { enabled: true }, customer.id)]);
    given([opened(), notificationsChanged(false), resolved()])
      .when(cmd.setNotifications(true))
      .then([evNow('NotificationsChanged', { enabled: true }, customer.id)]);
  });

  it('does nothing when the setting is already so: on from the opening, off after turning off', () => {
    given([opened()]).when(cmd.setNotifications(true)).thenNothingHappened();
    given([opened(), notificationsChanged(false)])
      .when(cmd.setNotifications(false))
      .thenNothingHappened();
  });

  it('refuses a closed case with CASE.ALREADY_CLOSED', () =>
    given([opened(), resolved(), closed()])
      .when(cmd.setNotifications(false))
      .thenThrows(CaseAlreadyClosed, (e) => expect(e.message).toMatch(/cannot change its notification e-mails/)));

  it.each([
    ['a string', 'false'],
    ['missing', undefined],
    ['a number', 0],
  ])('refuses enabled as %s (COMMAND.INVALID), before looking at the case', (_what, enabled) =>
    given([])
      .when({ ...cmd.setNotifications(), enabled: enabled as unknown as boolean })
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('enabled')),
  );

  it('is CASE.NOT_FOUND on a case never opened', () => given([]).when(cmd.setNotifications()).thenThrows(CaseNotFound));
});
