import { Unauthenticated } from './auth.errors';
import { MAX_DISPLAY_NAME, parsePrincipal, toActor } from './principal';

const supportAdmin = {
  role: 'support-admin',
  sub: 'u-1',
  email: 'Ana@Acme.example',
  org: 'ACME.example',
  privileges: ['support'],
};
const agent = {
  role: 'agent',
  sub: 'a-1',
  email: 'eve@vendor.example',
  vendor: 'north-desk',
  languages: ['fr', 'en'],
  regions: ['emea'],
};

const refusal = (claims: Record<string, unknown>): Unauthenticated => {
  try {
    parsePrincipal(claims);
  } catch (err) {
    return err as Unauthenticated;
  }
  throw new Error('expected the claims to be refused');
};

describe('parsePrincipal', () => {
  it('reads a support admin, lower-casing e-mail and organisation', () => {
    expect(parsePrincipal(supportAdmin)).toEqual({
      role: 'support-admin',
      sub: 'u-1',
      email: 'ana@acme.example',
      org: 'acme.example',
      privileges: ['support'],
    });
  });

  it('reads a customer admin without privileges', () => {
    const { privileges: _, ...claims } = supportAdmin;
    expect(parsePrincipal({ ...claims, role: 'customer-admin' })).toMatchObject({
      role: 'customer-admin',
      privileges: [],
    });
  });

  it('R1: the privilege, not the label, makes a support admin', () => {
    expect(parsePrincipal({ ...supportAdmin, privileges: [] }).role).toBe('customer-admin');
    expect(parsePrincipal({ ...supportAdmin, role: 'customer-admin' }).role).toBe('support-admin');
  });

  it('reads an agent with vendor, languages and regions', () => {
    expect(parsePrincipal({ ...agent, languages: ['FR', 'en', 'fr'] })).toEqual({ ...agent, languages: ['fr', 'en'] });
  });

  it.each(['supervisor', 'auditor'])('reads a %s', (role) => {
    expect(parsePrincipal({ role, sub: 's-1', email: 'sam@desk.example', org: 'ignored' })).toEqual({
      role,
      sub: 's-1',
      email: 'sam@desk.example',
    });
  });

  it('reads a system principal, with or without an e-mail', () => {
    expect(parsePrincipal({ role: 'system', sub: 'sla-timer' })).toEqual({ role: 'system', sub: 'sla-timer' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no role', { ...agent, role: undefined }, 'role'],
    ['an unknown role', { ...agent, role: 'admin' }, 'role'],
    ['no subject', { ...agent, sub: '' }, 'sub'],
    ['a subject that is not a string', { ...agent, sub: 42 }, 'sub'],
    ['no e-mail', { ...agent, email: undefined }, 'email'],
    ['a malformed e-mail', { ...agent, email: 'eve@' }, 'email'],
    ['a customer without organisation', { ...supportAdmin, org: undefined }, 'org'],
    ['an organisation that is not a domain', { ...supportAdmin, org: 'acme' }, 'org'],
    ['privileges that are not a list', { ...supportAdmin, privileges: 'support' }, 'privileges'],
    ['an agent without vendor', { ...agent, vendor: undefined }, 'vendor'],
    ['an agent without languages', { ...agent, languages: undefined }, 'languages'],
    ['an agent with no language', { ...agent, languages: [] }, 'languages'],
    ['a language that is not a code', { ...agent, languages: ['french!'] }, 'languages'],
    ['languages given as a string', { ...agent, languages: 'fr,en' }, 'languages'],
    ['an agent without regions', { ...agent, regions: undefined }, 'regions'],
    ['a region that is not a string', { ...agent, regions: [1] }, 'regions'],
    ['a name that is not a string', { ...agent, name: ['Eve'] }, 'name'],
  ])('refuses claims with %s, naming the claim (401)', (_, claims, claim) => {
    const err = refusal(claims);
    expect(err).toBeInstanceOf(Unauthenticated);
    expect(err).toMatchObject({ code: 'AUTH.UNAUTHENTICATED', status: 401, reason: 'invalid-claims', claim });
    expect(err.message).toContain(`"${claim}" claim must be`);
  });

  it('gives the actor recorded in event metadata', () => {
    expect(toActor(parsePrincipal(supportAdmin))).toEqual({ id: 'u-1', role: 'support-admin', org: 'acme.example' });
    expect(toActor(parsePrincipal(agent))).toEqual({ id: 'a-1', role: 'agent', vendor: 'north-desk' });
    expect(toActor(parsePrincipal({ ...agent, name: 'Eve Martin' }))).toEqual({
      id: 'a-1',
      role: 'agent',
      vendor: 'north-desk',
      name: 'Eve Martin',
    });
    expect(toActor(parsePrincipal({ role: 'supervisor', sub: 's-1', email: 's@desk.example', name: 'Sam' }))).toEqual({
      id: 's-1',
      role: 'supervisor',
      name: 'Sam',
    });
  });

  describe('the optional name claim: what customers are shown of staff', () => {
    const nameOf = (name: unknown) => (parsePrincipal({ ...agent, name }) as { name?: string }).name;

    it('is kept as given, its spaces and control characters collapsed', () => {
      expect(nameOf('Eve Martin')).toBe('Eve Martin');
      expect(nameOf('  Ève\t\n Martín\u0007 ')).toBe('Ève Martín');
    });

    it('is absent when missing, null, blank or holding an e-mail address', () => {
      expect(parsePrincipal(agent)).not.toHaveProperty('name');
      expect(nameOf(null)).toBeUndefined();
      expect(nameOf('  ')).toBeUndefined();
      expect(nameOf('eve@vendor.example')).toBeUndefined();
      expect(nameOf('Eve <eve@vendor.example>')).toBeUndefined();
    });

    it(`is cut at ${MAX_DISPLAY_NAME} characters, never inside one`, () => {
      expect(nameOf('é'.repeat(150))).toBe('é'.repeat(MAX_DISPLAY_NAME));
      expect(nameOf('😀'.repeat(150))).toBe('😀'.repeat(MAX_DISPLAY_NAME));
    });
  });
});
