import { decideContact, evolveContact, initialContactState, toContactStreamId, type ContactEvent } from './contact-preferences';

describe('a customer’s own e-mail preferences', () => {
  const now = new Date('2026-03-02T09:00:00Z');
  const ana = { id: 'ana', role: 'support-admin' };
  const set = (enabled: boolean, email = 'Ana@ACME.example ') => ({
    type: 'SetContactNotifications' as const,
    email,
    enabled,
    actor: ana,
  });
  const fold = (events: ContactEvent[]) => events.reduce(evolveContact, initialContactState);

  it('is on by default: turning it on records nothing, turning it off records the change, once', () => {
    expect(decideContact(initialContactState, set(true), now)).toEqual([]);
    const off = decideContact(initialContactState, set(false), now);
    expect(off).toEqual([
      {
        type: 'ContactNotificationsChanged',
        schemaVersion: 1,
        data: { email: 'ana@acme.example', enabled: false, at: '2026-03-02T09:00:00.000Z', byId: 'ana' },
      },
    ]);
    const state = fold(off);
    expect(state).toEqual({ email: 'ana@acme.example', notificationsEnabled: false, version: 1 });
    expect(decideContact(state, set(false), now)).toEqual([]);
    expect(decideContact(state, set(true), now).map((e) => e.data.enabled)).toEqual([true]);
  });

  it('names its stream by the address, lower case, and refuses what is not an address or another person', () => {
    expect(toContactStreamId(' Ana@Acme.Example')).toBe('contact-ana@acme.example');
    for (const email of ['', 'ana', 'ana @acme.example', '@acme.example', `${'a'.repeat(65)}@acme.example`])
      expect(() => decideContact(initialContactState, set(false, email), now)).toThrow(/email/);
    const ana_ = fold(decideContact(initialContactState, set(false), now));
    expect(() => decideContact(ana_, set(true, 'bob@acme.example'), now)).toThrow(/stream’s person/);
    expect(() =>
      decideContact(initialContactState, { ...set(false), enabled: 'no' as unknown as boolean }, now),
    ).toThrow(/true or false/);
  });
});
