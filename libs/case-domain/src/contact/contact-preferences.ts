import type { Actor, Decider } from '../shared/decider';
import { InvalidCommand } from '../shared/domain-rule-violation';
import { isoInstant } from '../shared/validation';

/**
 * A customer's own e-mail preferences (docs/notifications.md, "Turning them off"): one small
 * stream per person, `contact-<e-mail address>` (lower case), since an e-mail is what the
 * preference is about and what a notification is addressed to. Turning them off stops the
 * notification e-mails of every case the person is the requester of, except the information
 * requests and their reminders (which ask for something) and the survey; a case's own setting
 * (`SetNotifications`) still applies on top.
 */
export const CONTACT_STREAM_CATEGORY = 'contact';

/** `local@domain`, no spaces, at most 254 characters (RFC 5321's path limit) */
const ADDRESS = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

/** The address as the stream and the preference know it: trimmed, lower case; refused when it is not one. */
export const contactAddressOf = (email: unknown): string => {
  const address = typeof email === 'string' ? email.trim().toLowerCase() : '';
  if (address.length > 254 || !ADDRESS.test(address)) throw new InvalidCommand('email', 'must be an e-mail address');
  return address;
};

export const toContactStreamId = (email: string): string => `${CONTACT_STREAM_CATEGORY}-${contactAddressOf(email)}`;

export const CONTACT_EVENT_SCHEMA_VERSIONS = { ContactNotificationsChanged: 1 } as const;
export type ContactEventType = keyof typeof CONTACT_EVENT_SCHEMA_VERSIONS;

export type ContactEvent = {
  readonly type: 'ContactNotificationsChanged';
  readonly schemaVersion: 1;
  readonly data: { readonly email: string; readonly enabled: boolean; readonly at: string; readonly byId: string };
};

/** The person turns the notification e-mails of all their cases off or on. */
export interface SetContactNotifications {
  readonly type: 'SetContactNotifications';
  readonly email: string;
  readonly enabled: boolean;
  readonly actor: Actor;
}
export type ContactCommand = SetContactNotifications;

export interface ContactState {
  /** null until the person first set a preference */
  readonly email: string | null;
  /** on unless the person turned them off */
  readonly notificationsEnabled: boolean;
  readonly version: number;
}

export const initialContactState: ContactState = Object.freeze({ email: null, notificationsEnabled: true, version: 0 });

/** The same setting again (on by default) records nothing; a change records `ContactNotificationsChanged`. */
export const decideContact = (state: ContactState, command: ContactCommand, now: Date): ContactEvent[] => {
  const email = contactAddressOf(command.email);
  if (state.email !== null && state.email !== email) throw new InvalidCommand('email', 'must name the stream’s person');
  if (typeof command.enabled !== 'boolean') throw new InvalidCommand('enabled', 'must be true or false');
  if (command.enabled === state.notificationsEnabled) return [];
  return [
    {
      type: 'ContactNotificationsChanged',
      schemaVersion: 1,
      data: { email, enabled: command.enabled, at: isoInstant('now', now), byId: command.actor.id },
    },
  ];
};

/** Total: an unknown event only bumps the version. */
export const evolveContact = (state: ContactState, e: ContactEvent): ContactState => {
  const version = state.version + 1;
  if (e.type !== 'ContactNotificationsChanged') return { ...state, version };
  return { email: e.data.email, notificationsEnabled: e.data.enabled, version };
};

export const contactDecider: Decider<ContactState, ContactCommand, ContactEvent> = {
  decide: decideContact,
  evolve: evolveContact,
  initialState: initialContactState,
};
