import { ACTIONS, type Action } from './access-matrix';
import { authorize, canSeeCase, createAccessPolicy } from './access.policy';
import { AccessRefused, ActionForbidden, ConsumerAccount, MissingPrivilege, ReadOnlyAccess } from './auth.errors';
import { parsePrincipal, type Principal, type Role } from './principal';

const principals: Record<Role, Principal> = {
  'support-admin': parsePrincipal({
    role: 'support-admin',
    sub: 'ana',
    email: 'ana@acme.example',
    org: 'acme.example',
    privileges: ['support'],
  }),
  'customer-admin': parsePrincipal({
    role: 'customer-admin',
    sub: 'bob',
    email: 'bob@acme.example',
    org: 'acme.example',
  }),
  agent: parsePrincipal({
    role: 'agent',
    sub: 'eve',
    email: 'eve@north.example',
    vendor: 'north',
    languages: ['fr', 'en'],
    regions: ['emea'],
  }),
  supervisor: parsePrincipal({ role: 'supervisor', sub: 'sam', email: 'sam@desk.example' }),
  auditor: parsePrincipal({ role: 'auditor', sub: 'aud', email: 'aud@desk.example' }),
  system: parsePrincipal({ role: 'system', sub: 'sla-timer' }),
};

/**
 * The expected matrix, written out from docs/domain-model.md, "Who may do what", independently of
 * ACCESS_MATRIX. ✓ allowed; P 403 AUTH.MISSING_PRIVILEGE (R1); R 403 AUTH.READ_ONLY;
 * F 403 AUTH.FORBIDDEN.
 */
const EXPECTED = `
                               SA CA AG SV AU SY
  case.open                    ✓  P  F  F  R  F
  case.read                    ✓  P  ✓  ✓  ✓  ✓
  case.list                    ✓  P  ✓  ✓  ✓  ✓
  events.stream                ✓  P  ✓  ✓  ✓  ✓
  case.claim                   F  F  ✓  ✓  R  F
  case.reassign                F  F  F  ✓  R  F
  case.respond                 F  F  ✓  ✓  R  F
  case.request-info            F  F  ✓  ✓  R  F
  case.provide-info            ✓  P  F  F  R  F
  case.reply                   ✓  P  F  F  R  F
  case.upload-attachment       ✓  P  ✓  ✓  R  F
  case.escalate                F  F  ✓  ✓  R  F
  case.add-note                F  F  ✓  ✓  R  F
  case.change-priority         F  F  F  ✓  R  F
  case.resolve                 F  F  ✓  ✓  R  F
  case.reopen                  ✓  P  F  F  R  F
  case.close                   F  F  F  F  R  ✓
  case.link-incident           F  F  ✓  ✓  R  F
  case.request-credit          ✓  P  F  F  R  F
  case.issue-credit            F  F  F  ✓  R  F
  case.request-incident-report ✓  P  F  F  R  F
  case.send-incident-report    F  F  ✓  ✓  R  F
  case.answer-survey           ✓  P  F  F  R  F
  case.set-notifications       ✓  P  F  F  R  F
  contact.read-notifications   ✓  P  F  F  ✓  F
  contact.set-notifications    ✓  P  F  F  R  F
  case.send-survey             F  F  F  F  R  ✓
  case.record-sla-breach       F  F  F  F  R  ✓
  intake.start                 ✓  P  F  F  R  F
  intake.continue              ✓  P  F  F  R  F
  intake.read                  ✓  P  F  ✓  ✓  F
  help.search                  ✓  P  ✓  ✓  ✓  F
  help.manage                  F  F  F  ✓  R  F
  incident.declare             F  F  F  ✓  R  F
  incident.resolve             F  F  F  ✓  R  F
  incident.read                F  F  ✓  ✓  ✓  F
  audit.read                   F  F  F  F  ✓  F
  audit.verify                 F  F  F  F  ✓  F
  audit.export                 F  F  F  F  ✓  F
  audit.read-report            F  F  F  ✓  ✓  F
  report.read                  F  F  F  ✓  ✓  F
  vendor.manage                F  F  F  ✓  R  F
  calendar.manage              F  F  F  ✓  R  F
  calendar.read                F  F  ✓  ✓  ✓  F
`;
const COLUMNS: Role[] = ['support-admin', 'customer-admin', 'agent', 'supervisor', 'auditor', 'system'];
const CODES = { P: 'AUTH.MISSING_PRIVILEGE', R: 'AUTH.READ_ONLY', F: 'AUTH.FORBIDDEN' } as const;

const rows = EXPECTED.trim()
  .split('\n')
  .slice(1)
  .map((line) => line.trim().split(/\s+/));
const cells = rows.flatMap(([action, ...marks]) =>
  COLUMNS.map((role, i) => ({ role, action: action as Action, mark: marks[i] as '✓' | keyof typeof CODES })),
);

describe('the role × action matrix', () => {
  it('covers exactly the action catalogue', () => {
    expect(rows.map(([action]) => action).sort()).toEqual([...ACTIONS].sort());
  });

  it.each(cells)('$role / $action → $mark', ({ role, action, mark }) => {
    const refusal = createAccessPolicy().refusal(principals[role], action);
    if (mark === '✓') {
      expect(refusal).toBeNull();
      expect(() => authorize(principals[role], action)).not.toThrow();
    } else {
      expect(refusal).toBeInstanceOf(AccessRefused);
      expect(refusal).toMatchObject({ code: CODES[mark], status: 403 });
      expect(() => authorize(principals[role], action)).toThrow(refusal!.constructor as new () => Error);
    }
  });
});

describe('refusals a person understands', () => {
  it('R1: a customer admin without the Support privilege is told which privilege is missing', () => {
    const err = catchRefusal(() => authorize(principals['customer-admin'], 'case.open'));
    expect(err).toBeInstanceOf(MissingPrivilege);
    expect(err).toMatchObject({ code: 'AUTH.MISSING_PRIVILEGE', status: 403, privilege: 'support' });
    expect(err.message).toBe(
      'bob@acme.example is an administrator of acme.example without the "Support" privilege, which is needed ' +
        'to work with support cases. Ask a super administrator of acme.example to grant it.',
    );
  });

  it('R1: a token labelled support-admin without the privilege is refused the same way', () => {
    const labelled = parsePrincipal({
      role: 'support-admin',
      sub: 'bob',
      email: 'bob@acme.example',
      org: 'acme.example',
    });
    expect(() => authorize(labelled, 'case.read')).toThrow(MissingPrivilege);
  });

  it('R1: a hand-built support-admin principal without the privilege is refused too', () => {
    const handBuilt: Principal = {
      role: 'support-admin',
      sub: 'x',
      email: 'x@acme.example',
      org: 'acme.example',
      privileges: [],
    };
    expect(() => authorize(handBuilt, 'case.open')).toThrow(MissingPrivilege);
  });

  it('R2: a consumer address is refused even with the Support privilege', () => {
    const gmail = parsePrincipal({
      role: 'support-admin',
      sub: 'c',
      email: 'carol@gmail.com',
      org: 'acme.example',
      privileges: ['support'],
    });
    const err = catchRefusal(() => authorize(gmail, 'case.open'));
    expect(err).toBeInstanceOf(ConsumerAccount);
    expect(err).toMatchObject({ code: 'AUTH.CONSUMER_ACCOUNT', status: 403, domain: 'gmail.com' });
    expect(err.message).toBe(
      'carol@gmail.com is a consumer account (gmail.com); enterprise support is only available to ' +
        "administrators signed in with their organisation's account.",
    );
    expect(createAccessPolicy().allowedActions(gmail)).toEqual([]);
  });

  it('R2: an organisation on a consumer domain is refused, even with a company address and the privilege', () => {
    const gmailOrg = parsePrincipal({
      role: 'support-admin',
      sub: 'g',
      email: 'gina@acme.example',
      org: 'gmail.com',
      privileges: ['support'],
    });
    const err = catchRefusal(() => authorize(gmailOrg, 'case.open'));
    expect(err).toBeInstanceOf(ConsumerAccount);
    expect(err).toMatchObject({ code: 'AUTH.CONSUMER_ACCOUNT', status: 403, domain: 'gmail.com', subject: 'org' });
    expect(err.message).toBe(
      'gina@acme.example signs in for gmail.com, a consumer e-mail domain, not an organisation; enterprise ' +
        "support is only available to administrators signed in with their organisation's account.",
    );
    expect(createAccessPolicy().allowedActions(gmailOrg)).toEqual([]);
    // subdomains and the configured list, as for addresses
    const policy = createAccessPolicy({ consumerDomains: ['webmail.example'] });
    expect(policy.isConsumerDomain('eu.webmail.example')).toBe(true);
    expect(policy.isConsumerDomain('GMAIL.com')).toBe(true);
    expect(policy.isConsumerDomain('acme.example')).toBe(false);
    const webmailOrg = parsePrincipal({
      role: 'support-admin',
      sub: 'w',
      email: 'w@acme.example',
      org: 'eu.webmail.example',
      privileges: ['support'],
    });
    expect(policy.refusal(webmailOrg, 'case.read')).toBeInstanceOf(ConsumerAccount);
  });

  it('R2: the consumer list is configurable; gmail.com stays refused', () => {
    const policy = createAccessPolicy({ consumerDomains: ['webmail.example'] });
    expect(policy.isConsumerEmail('dan@webmail.example')).toBe(true);
    expect(policy.isConsumerEmail('dan@eu.webmail.example')).toBe(true);
    expect(policy.isConsumerEmail('dan@GMAIL.com')).toBe(true);
    expect(policy.isConsumerEmail('dan@yahoo.com')).toBe(false);
    expect(policy.isConsumerEmail('dan@notwebmail.example')).toBe(false);
    expect(createAccessPolicy().isConsumerEmail('dan@yahoo.com')).toBe(true);
  });

  it('names the role and the action when a role is never allowed it', () => {
    const err = catchRefusal(() => authorize(principals.agent, 'case.issue-credit'));
    expect(err).toBeInstanceOf(ActionForbidden);
    expect(err).toMatchObject({ code: 'AUTH.FORBIDDEN', role: 'agent', action: 'case.issue-credit' });
    expect(err.message).toBe('The agent role (agent) may not issue a service credit (case.issue-credit).');
  });

  it('tells an auditor that their access is read-only', () => {
    const err = catchRefusal(() => authorize(principals.auditor, 'case.resolve'));
    expect(err).toBeInstanceOf(ReadOnlyAccess);
    expect(err).toMatchObject({ code: 'AUTH.READ_ONLY', status: 403 });
    expect(err.message).toBe('Auditors have read-only access and may not resolve a case (case.resolve).');
  });

  it('lists what a principal may do', () => {
    expect(createAccessPolicy().allowedActions(principals.auditor)).toEqual([
      'case.read',
      'case.list',
      'events.stream',
      'contact.read-notifications',
      'intake.read',
      'help.search',
      'incident.read',
      'audit.read',
      'audit.verify',
      'audit.export',
      'audit.read-report',
      'report.read',
      'calendar.read',
    ]);
    expect(createAccessPolicy().allowedActions(principals['customer-admin'])).toEqual([]);
  });
});

describe('canSeeCase (R3, R4)', () => {
  it.each<[Role, string, string, boolean]>([
    ['support-admin', 'acme.example', 'fr', true],
    ['support-admin', 'ACME.example', 'fr', true],
    ['support-admin', 'globex.example', 'fr', false],
    ['customer-admin', 'globex.example', 'en', false],
    ['agent', 'globex.example', 'fr', true],
    ['agent', 'globex.example', 'fr-CA', true],
    ['agent', 'globex.example', 'de', false],
    ['supervisor', 'globex.example', 'de', true],
    ['auditor', 'globex.example', 'de', true],
    ['system', 'globex.example', 'de', true],
  ])('%s, case of %s in %s → %s', (role, tenant, language, visible) => {
    expect(canSeeCase(principals[role], tenant, language, 'north')).toBe(visible);
  });

  it('R4: an agent sees only the cases routed to the agent’s vendor', () => {
    expect(canSeeCase(principals.agent, 'globex.example', 'fr', 'north')).toBe(true);
    expect(canSeeCase(principals.agent, 'globex.example', 'fr', 'NORTH')).toBe(true);
    expect(canSeeCase(principals.agent, 'globex.example', 'fr', 'south')).toBe(false);
    // routed to no vendor (none speaks the language, or not routed yet): no agent sees it
    expect(canSeeCase(principals.agent, 'globex.example', 'fr', null)).toBe(false);
    expect(canSeeCase(principals.supervisor, 'globex.example', 'fr', null)).toBe(true);
    expect(canSeeCase(principals['support-admin'], 'acme.example', 'fr', 'south')).toBe(true);
  });

  it('an agent speaking a regional variant does not see the other variants', () => {
    const agent = parsePrincipal({
      role: 'agent',
      sub: 'x',
      email: 'x@north.example',
      vendor: 'north',
      languages: ['pt-br'],
      regions: ['amer'],
    });
    expect(canSeeCase(agent, 't.example', 'pt-BR', 'north')).toBe(true);
    expect(canSeeCase(agent, 't.example', 'pt', 'north')).toBe(false);
  });
});

function catchRefusal(fn: () => void): AccessRefused {
  try {
    fn();
  } catch (err) {
    return err as AccessRefused;
  }
  throw new Error('expected a refusal');
}
