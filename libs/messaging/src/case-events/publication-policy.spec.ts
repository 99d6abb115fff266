import {
  CASE_EVENT_SCHEMA_VERSIONS,
  INCIDENT_EVENT_SCHEMA_VERSIONS,
  INTAKE_EVENT_SCHEMA_VERSIONS,
} from '@app/case-domain';
import {
  applyRules,
  isPublished,
  NEVER_PUBLISHED_CASE_EVENT_TYPES,
  rulesFor,
  type DataRules,
} from './publication-policy';

const pseudonymise = (id: string) => `pseudo(${id})`;

describe('the publication policy (an allow-list per event type and schema version)', () => {
  it.each([
    ...Object.entries(CASE_EVENT_SCHEMA_VERSIONS)
      .filter(([t]) => isPublished(t, 'case'))
      .map(([t, v]) => [t, v, 'case', 'caseId'] as const),
    ...Object.entries(INCIDENT_EVENT_SCHEMA_VERSIONS).map(([t, v]) => [t, v, 'incident', 'incidentId'] as const),
    ...Object.entries(INTAKE_EVENT_SCHEMA_VERSIONS).map(([t, v]) => [t, v, 'intake', 'intakeId'] as const),
  ])("lists the published fields of %s v%s, the domain's current version (%s)", (type, version, stream, id) => {
    const rules = rulesFor(type, version, stream);
    expect(rules).toBeDefined();
    expect(rulesFor(type, version)).toBe(rules);
    // every event says which case, incident or intake, when and who
    expect(Object.keys(rules ?? {})).toEqual(expect.arrayContaining([id, 'at', 'byId']));
  });

  it('never publishes an internal note: no rules, and the relay skips the type entirely', () => {
    expect(NEVER_PUBLISHED_CASE_EVENT_TYPES).toEqual(['InternalNoteAdded']);
    for (const type of NEVER_PUBLISHED_CASE_EVENT_TYPES) {
      expect(Object.keys(CASE_EVENT_SCHEMA_VERSIONS)).toContain(type);
      expect(rulesFor(type, CASE_EVENT_SCHEMA_VERSIONS[type])).toBeUndefined();
      expect(isPublished(type, 'case')).toBe(false);
    }
    // only on a case stream: the name means nothing elsewhere
    expect(isPublished('InternalNoteAdded', 'intake')).toBe(true);
    expect(isPublished('AgentResponded', 'case')).toBe(true);
  });

  it('names no event type in two aggregates (one contract file per type)', () => {
    const types = [CASE_EVENT_SCHEMA_VERSIONS, INCIDENT_EVENT_SCHEMA_VERSIONS, INTAKE_EVENT_SCHEMA_VERSIONS].flatMap(
      (versions) => Object.keys(versions),
    );
    expect(new Set(types).size).toBe(types.length);
  });

  it("finds a type's rules only in its own stream's list", () => {
    expect(rulesFor('CaseRequested', 1, 'case')).toBeUndefined();
    expect(rulesFor('Opened', 1, 'intake')).toBeUndefined();
    expect(rulesFor('IncidentDeclared', 1, 'incident')).toBeDefined();
  });

  it('knows no rules for an unknown type or version', () => {
    expect(rulesFor('SomethingNew', 1)).toBeUndefined();
    expect(rulesFor('Opened', 2)).toBeUndefined();
    expect(rulesFor('toString', 1)).toBeUndefined();
  });

  it('publishes only listed fields: a field added to an event later stays private', () => {
    const rules = rulesFor('AgentResponded', 1) as DataRules;
    const data = {
      caseId: 'c-1',
      at: '2026-03-02T09:30:00.000Z',
      byId: 'agent-7',
      agentId: 'agent-7',
      message: 'Your password is hunter2',
      firstResponse: true,
      internalNote: 'a field nobody listed',
    };
    expect(applyRules(data, rules, pseudonymise)).toEqual({
      caseId: 'c-1',
      at: '2026-03-02T09:30:00.000Z',
      byId: 'pseudo(agent-7)',
      agentId: 'pseudo(agent-7)',
      firstResponse: true,
    });
  });

  it('keeps of Opened the intake and the pseudonymised requester, never subject, description or e-mail', () => {
    const published = applyRules(
      {
        caseId: 'c-1',
        at: '2026-03-02T09:30:00.000Z',
        byId: 'admin-1',
        tenant: 'acme.example',
        requester: { id: 'admin-1', email: 'ada@acme.example' },
        subject: 'Nobody can sign in',
        description: 'Since 9:00…',
        product: 'cloud-identity-premium',
        language: 'fr',
        channel: 'email',
        impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false, note: 'x' },
        workaround: 'none',
        priority: 'P2',
        sla: {
          calendarId: 'europe-paris',
          calendarVersion: '2026.1',
          policyVersion: 3,
          firstResponseTargetMs: 1,
          firstResponseDueAt: '2026-03-02T10:30:00.000Z',
        },
      },
      rulesFor('Opened', 1) as DataRules,
      pseudonymise,
    );
    expect(published).toEqual({
      caseId: 'c-1',
      at: '2026-03-02T09:30:00.000Z',
      byId: 'pseudo(admin-1)',
      tenant: 'acme.example',
      requester: { id: 'pseudo(admin-1)' },
      product: 'cloud-identity-premium',
      language: 'fr',
      channel: 'email',
      impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
      workaround: 'none',
      priority: 'P2',
      sla: {
        calendarId: 'europe-paris',
        calendarVersion: '2026.1',
        policyVersion: 3,
        firstResponseTargetMs: 1,
        firstResponseDueAt: '2026-03-02T10:30:00.000Z',
      },
    });
  });

  it.each(['InfoProvided', 'CustomerReplied'])(
    'keeps of the attachments of %s their sizes and types, never a name or a checksum',
    (type) => {
      const data = {
        caseId: 'c-1',
        at: '2026-03-02T09:30:00.000Z',
        byId: 'admin-1',
        message: 'Here is the trace of ada@acme.example',
        attachments: [{ name: 'ada-sso.har', size: 2048, contentType: 'application/json', sha256: 'ab'.repeat(32) }],
        endsWait: false,
      };
      expect(applyRules(data, rulesFor(type, 1) as DataRules, pseudonymise)).toEqual({
        caseId: 'c-1',
        at: '2026-03-02T09:30:00.000Z',
        byId: 'pseudo(admin-1)',
        attachments: [{ size: 2048, contentType: 'application/json' }],
        endsWait: false,
      });
    },
  );

  const intakeBase = { intakeId: 'in-1', at: '2026-03-02T09:30:00.000Z', byId: 'admin-1' };
  const publish = (type: string, data: object) => applyRules(data, rulesFor(type, 1) as DataRules, pseudonymise);

  it('keeps of an intake no description, no query, no subject and no e-mail address: ids, enums, numbers, instants', () => {
    expect(
      publish('IntakeStarted', {
        ...intakeBase,
        tenant: 'acme.example',
        description: 'Nobody can sign in, ask ada@acme.example',
        product: 'cloud-identity-premium',
        language: 'fr',
      }),
    ).toEqual({
      ...intakeBase,
      byId: 'pseudo(admin-1)',
      tenant: 'acme.example',
      product: 'cloud-identity-premium',
      language: 'fr',
    });
    expect(
      publish('ArticlesSuggested', {
        ...intakeBase,
        query: 'sso error 500',
        suggestions: [
          { articleId: 'sso-saml-errors-fr', version: 3, score: 0.82, title: 'SAML errors', snippet: 'If SSO fails…' },
        ],
      }),
    ).toEqual({
      ...intakeBase,
      byId: 'pseudo(admin-1)',
      suggestions: [{ articleId: 'sso-saml-errors-fr', version: 3, score: 0.82 }],
    });
    expect(publish('SearchRepeated', { ...intakeBase, query: 'sso error 500' })).toEqual({
      ...intakeBase,
      byId: 'pseudo(admin-1)',
    });
    expect(publish('RecentCasesOffered', { ...intakeBase, caseIds: ['c-1', 'c-2'] })).toMatchObject({
      caseIds: ['c-1', 'c-2'],
    });
    expect(publish('ProblemDescribed', { ...intakeBase, problemCategory: 'sso' })).toMatchObject({
      problemCategory: 'sso',
    });
    expect(publish('Deflected', { ...intakeBase, articleId: 'sso-saml-errors-fr', articleVersion: 3 })).toEqual({
      ...intakeBase,
      byId: 'pseudo(admin-1)',
      articleId: 'sso-saml-errors-fr',
      articleVersion: 3,
    });
    expect(publish('AttachedToRecentCase', { ...intakeBase, caseId: 'c-2' })).toMatchObject({ caseId: 'c-2' });
    expect(publish('StillNeedsHelp', { ...intakeBase, note: 'x' })).toEqual({ ...intakeBase, byId: 'pseudo(admin-1)' });
    expect(publish('Abandoned', { ...intakeBase, idleSince: '2026-03-02T09:00:00.000Z' })).toMatchObject({
      idleSince: '2026-03-02T09:00:00.000Z',
    });
    expect(
      publish('CaseRequested', {
        ...intakeBase,
        caseId: 'c-3',
        requester: { id: 'admin-1', email: 'ada@acme.example' },
        subject: 'Nobody can sign in',
        description: 'Since 9:00…',
        product: 'cloud-identity-premium',
        channel: 'chat',
        language: 'fr',
        impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
        workaround: 'available',
      }),
    ).toEqual({
      ...intakeBase,
      byId: 'pseudo(admin-1)',
      caseId: 'c-3',
      requester: { id: 'pseudo(admin-1)' },
      product: 'cloud-identity-premium',
      channel: 'chat',
      language: 'fr',
      impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
      workaround: 'available',
    });
  });

  it.each([
    ['a sentence where an id belongs', 'Cloud Identity, the premium one'],
    ['an e-mail address', 'ada@acme.example'],
    ['an object', { name: 'x' }],
    ['a number', 42],
    ['an over-long token', 'x'.repeat(129)],
  ])('drops a token field that holds %s', (_what, product) => {
    expect(applyRules({ product }, { product: 'token' }, pseudonymise)).toEqual({});
  });

  it('checks every kind: instants, numbers, booleans, versions, arrays and nested objects', () => {
    const rules: DataRules = {
      when: 'instant',
      bad: 'instant',
      n: 'number',
      inf: 'number',
      b: 'boolean',
      v1: 'version',
      v2: 'version',
      list: { each: 'token' },
      files: { each: { object: { size: 'number' } } },
      who: 'pseudonym',
      empty: 'pseudonym',
      none: { orNull: 'token' },
      some: { orNull: 'token' },
      neither: { orNull: 'token' },
    };
    const data = {
      when: '2026-03-02T09:30:00.000Z',
      bad: 'yesterday',
      n: 3,
      inf: Infinity,
      b: 'true',
      v1: 7,
      v2: '2026.1',
      list: ['sso', 'not a token', 'directory'],
      files: [{ size: 10, name: 'secret.log' }, 'not an object'],
      who: 'agent-1',
      empty: '',
      none: null,
      some: 'north-desk',
      neither: 'not a token',
    };
    expect(applyRules(data, rules, pseudonymise)).toEqual({
      when: '2026-03-02T09:30:00.000Z',
      n: 3,
      v1: 7,
      v2: '2026.1',
      list: ['sso', 'directory'],
      files: [{ size: 10 }],
      who: 'pseudo(agent-1)',
      none: null,
      some: 'north-desk',
    });
  });

  it('reads nothing from data that is not an object', () => {
    expect(applyRules(null, { a: 'token' }, pseudonymise)).toEqual({});
    expect(applyRules(['a'], { 0: 'token' }, pseudonymise)).toEqual({});
  });
});
