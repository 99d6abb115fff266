import { deciderSpec, SPEC_NOW } from '@app/testing';
import { caseDecider } from '../case/case.decide';
import { caseEvent } from '../case/case.events';
import type { Actor } from '../shared/decider';
import { foldEvents } from '../shared/decider';
import { InvalidCommand } from '../shared/domain-rule-violation';
import { caseOpenFor, intakeDecider } from './intake.decider';
import { ArticleNotSuggested, IntakeAlreadyEnded, IntakeAlreadyStarted, IntakeNotFound } from './intake.errors';
import {
  intakeEvent,
  intakeIdFromStreamId,
  MAX_INTAKE_TEXT,
  MAX_RECENT_CASES,
  MAX_SUGGESTIONS,
  toIntakeStreamId,
  type AbandonIntake,
  type IntakeCommand,
  type IntakeEvent,
  type IntakeEventDataMap,
  type RequestCase,
  type StartIntake,
  type SuggestedArticle,
} from './intake.model';

const given = deciderSpec(intakeDecider);
const INTAKE_ID = 'intake-0001';
const CASE_ID = 'case-0042';
/** given events happen at STARTED; `when` runs at SPEC_NOW (AT) unless told */
const STARTED = '2026-03-02T09:00:00.000Z';
const AT = SPEC_NOW.toISOString();
const admin: Actor = { id: 'admin-1', role: 'support-admin' };
const sweeper: Actor = { id: 'system:intake-sweeper', role: 'system' };

const samlV3: SuggestedArticle = { articleId: 'sso-saml-errors-en', version: 3, score: 7.5 };
const resetV1: SuggestedArticle = { articleId: 'reset-user-password-en', version: 1, score: 2.25 };
const samlV4: SuggestedArticle = { ...samlV3, version: 4, score: 8 };
const mfaV2: SuggestedArticle = { articleId: 'mfa-enrolment-en', version: 2, score: 0 };

// ── commands ───────────────────────────────────────────────────────────────
const start = (o: Partial<StartIntake> = {}): StartIntake => ({
  type: 'StartIntake',
  intakeId: INTAKE_ID,
  actor: admin,
  tenant: 'org-acme',
  description: '  Nobody in sales can sign in with SAML since 9:00  ',
  product: ' Cloud-Identity-Premium ',
  language: 'en-GB',
  suggestions: [samlV3, resetV1],
  recentCaseIds: ['case-0007', 'case-0003'],
  ...o,
});
const searchAgain = (query = 'SAML ACS URL error', suggestions = [samlV4, mfaV2]): IntakeCommand => ({
  type: 'SearchAgain',
  intakeId: INTAKE_ID,
  actor: admin,
  query,
  suggestions,
});
const deflect = (articleId = samlV3.articleId): IntakeCommand => ({
  type: 'DeflectIntake',
  intakeId: INTAKE_ID,
  actor: admin,
  articleId,
});
const attach = (caseId = 'case-0007'): IntakeCommand => ({
  type: 'AttachToRecentCase',
  intakeId: INTAKE_ID,
  actor: admin,
  caseId,
});
const describeProblem = (problemCategory = 'sso'): IntakeCommand => ({
  type: 'DescribeProblem',
  intakeId: INTAKE_ID,
  actor: admin,
  problemCategory,
});
const requestCase = (o: Partial<RequestCase> = {}): RequestCase => ({
  type: 'RequestCase',
  intakeId: INTAKE_ID,
  actor: admin,
  caseId: CASE_ID,
  requester: { id: 'admin-1', email: 'admin@acme.example' },
  subject: ' SAML sign-in fails for the sales team ',
  description: 'Nobody in sales can sign in with SAML since 9:00; the IdP shows an ACS URL error.',
  channel: 'chat',
  language: 'en-GB',
  impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: false },
  workaround: 'none',
  ...o,
});
const abandon = (idleMs = 60 * 60_000): AbandonIntake => ({
  type: 'AbandonIntake',
  intakeId: INTAKE_ID,
  actor: sweeper,
  idleMs,
});

// ── events (given: at STARTED, by the admin) ───────────────────────────────
const base = (at = STARTED, byId = admin.id) => ({ intakeId: INTAKE_ID, at, byId });
const intakeStarted = (o: Partial<IntakeEventDataMap['IntakeStarted']> = {}) =>
  intakeEvent('IntakeStarted', {
    ...base(),
    tenant: 'org-acme',
    description: 'Nobody in sales can sign in with SAML since 9:00',
    product: 'cloud-identity-premium',
    language: 'en-GB',
    ...o,
  });
const suggested = (
  suggestions: readonly SuggestedArticle[],
  query = 'Nobody in sales can sign in with SAML since 9:00',
  at = STARTED,
) => intakeEvent('ArticlesSuggested', { ...base(at), query, suggestions });
const offered = intakeEvent('RecentCasesOffered', { ...base(), caseIds: ['case-0007', 'case-0003'] });
/** what a StartIntake left: started, two articles shown, two recent cases offered */
const started: IntakeEvent[] = [intakeStarted(), suggested([samlV3, resetV1]), offered];
const caseRequestedData = (
  o: Partial<IntakeEventDataMap['CaseRequested']> = {},
): IntakeEventDataMap['CaseRequested'] => ({
  ...base(AT),
  caseId: CASE_ID,
  requester: { id: 'admin-1', email: 'admin@acme.example' },
  subject: 'SAML sign-in fails for the sales team',
  description: 'Nobody in sales can sign in with SAML since 9:00; the IdP shows an ACS URL error.',
  product: 'cloud-identity-premium',
  channel: 'chat',
  language: 'en-GB',
  impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: false },
  workaround: 'none',
  ...o,
});
const deflected = intakeEvent('Deflected', { ...base(), articleId: samlV3.articleId, articleVersion: 3 });
const attached = intakeEvent('AttachedToRecentCase', { ...base(), caseId: 'case-0007' });
const caseRequested: IntakeEvent[] = [
  intakeEvent('StillNeedsHelp', base()),
  intakeEvent('CaseRequested', caseRequestedData(base())),
];
const abandoned = intakeEvent('Abandoned', { ...base('2026-03-02T10:00:00.000Z', sweeper.id), idleSince: STARTED });

const minutesAfterStart = (minutes: number) => new Date(Date.parse(STARTED) + minutes * 60_000);

describe('StartIntake (R5, R6: the admin describes the problem)', () => {
  it('records the start, the articles shown for the description and the recent cases offered, normalised', () =>
    given([])
      .when(start())
      .then([
        intakeStarted(base(AT)),
        suggested([samlV3, resetV1], 'Nobody in sales can sign in with SAML since 9:00', AT),
        intakeEvent('RecentCasesOffered', { ...base(AT), caseIds: ['case-0007', 'case-0003'] }),
      ]));

  it('offers no recent case when there is none, and names no product when none was given', () =>
    given([])
      .when(start({ product: undefined, recentCaseIds: [], suggestions: [] }))
      .then([
        intakeEvent('IntakeStarted', {
          ...base(AT),
          tenant: 'org-acme',
          description: 'Nobody in sales can sign in with SAML since 9:00',
          language: 'en-GB',
        }),
        suggested([], 'Nobody in sales can sign in with SAML since 9:00', AT),
      ]));

  it('does nothing when the same start comes again (a retry), even after the intake ended', () => {
    given(started).when(start()).thenNothingHappened();
    given([...started, deflected])
      .when(start({ suggestions: [] }))
      .thenNothingHappened();
  });

  it.each<[string, Partial<StartIntake>]>([
    ['another description', { description: 'MFA prompts loop forever' }],
    ['another admin', { actor: { id: 'admin-2', role: 'support-admin' } }],
    ['another organisation', { tenant: 'org-globex' }],
  ])('refuses another start on a taken id (%s)', (_what, o) =>
    given(started)
      .when(start(o))
      .thenThrows(IntakeAlreadyStarted, (e) =>
        expect(e).toMatchObject({
          code: 'INTAKE.ALREADY_STARTED',
          kind: 'conflict',
          intakeId: INTAKE_ID,
          message: `Intake ${INTAKE_ID} already exists.`,
        }),
      ),
  );

  const tooMany = Array.from({ length: MAX_SUGGESTIONS + 1 }, (_, i) => ({
    articleId: `a-${i}`,
    version: 1,
    score: 1,
  }));
  it.each<[string, Partial<StartIntake>]>([
    ['description', { description: '' }],
    ['description', { description: '   ' }],
    ['description', { description: 'x'.repeat(MAX_INTAKE_TEXT + 1) }],
    ['tenant', { tenant: '' }],
    ['actor.id', { actor: { id: '', role: 'support-admin' } }],
    ['product', { product: 42 as unknown as string }],
    ['language', { language: 'english' }],
    ['language', { language: 'en_GB' }],
    ['language', { language: '' }],
    ['suggestions', { suggestions: tooMany }],
    ['suggestions', { suggestions: 'sso-saml-errors-en' as unknown as SuggestedArticle[] }],
    ['suggestions[0].articleId', { suggestions: [{ ...samlV3, articleId: ' ' }] }],
    ['suggestions[1].score', { suggestions: [samlV3, { ...resetV1, score: -0.5 }] }],
    ['suggestions[0].score', { suggestions: [{ ...samlV3, score: Number.NaN }] }],
    ['suggestions[0].score', { suggestions: [{ ...samlV3, score: Number.POSITIVE_INFINITY }] }],
    ['suggestions[0].score', { suggestions: [{ ...samlV3, score: '7.5' as unknown as number }] }],
    ['suggestions[0].version', { suggestions: [{ ...samlV3, version: 0 }] }],
    ['suggestions[0].version', { suggestions: [{ ...samlV3, version: 2.5 }] }],
    ['suggestions[0].version', { suggestions: [{ ...samlV3, version: '3' as unknown as number }] }],
    ['recentCaseIds', { recentCaseIds: Array.from({ length: MAX_RECENT_CASES + 1 }, (_, i) => `case-${i}`) }],
    ['recentCaseIds[1]', { recentCaseIds: ['case-0007', ''] }],
  ])('refuses a bad %s (COMMAND.INVALID)', (field, o) =>
    given([])
      .when(start(o))
      .thenThrows(InvalidCommand, (e) => expect(e).toMatchObject({ code: 'COMMAND.INVALID', kind: 'invalid', field })),
  );

  it('accepts exactly as many suggestions as allowed, with a score of 0', () =>
    given([])
      .when(start({ suggestions: tooMany.slice(1).map((s) => ({ ...s, score: 0 })), recentCaseIds: [] }))
      .then([
        intakeStarted(base(AT)),
        suggested(
          tooMany.slice(1).map((s) => ({ ...s, score: 0 })),
          'Nobody in sales can sign in with SAML since 9:00',
          AT,
        ),
      ]));

  it('checks the values before the intake: a bad start on a taken id is COMMAND.INVALID', () =>
    given(started)
      .when(start({ language: 'english' }))
      .thenThrows(InvalidCommand));
});

describe('SearchAgain (R5: "search again")', () => {
  it('records the search and the articles it showed', () =>
    given(started)
      .when(searchAgain())
      .then([
        intakeEvent('SearchRepeated', { ...base(AT), query: 'SAML ACS URL error' }),
        suggested([samlV4, mfaV2], 'SAML ACS URL error', AT),
      ]));

  it('refuses a bad query or bad suggestions', () => {
    given(started)
      .when(searchAgain(' '))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('query'));
    given(started)
      .when(searchAgain('SAML', [{ ...samlV4, score: -1 }]))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('suggestions[0].score'));
  });

  it('keeps every article shown, at the latest revision shown, and counts the searches', () => {
    const state = foldEvents(intakeDecider, [
      ...started,
      intakeEvent('SearchRepeated', { ...base(), query: 'SAML ACS URL error' }),
      suggested([samlV4, mfaV2], 'SAML ACS URL error'),
    ]);
    expect(state).toMatchObject({
      status: 'suggesting',
      searches: 1,
      suggestions: [samlV4, mfaV2],
      suggested: { [samlV3.articleId]: samlV4, [resetV1.articleId]: resetV1, [mfaV2.articleId]: mfaV2 },
      recentCaseIds: ['case-0007', 'case-0003'],
      version: 5,
    });
  });
});

describe('DeflectIntake (R5: an article solved it)', () => {
  const afterSearch = [
    ...started,
    intakeEvent('SearchRepeated', { ...base(), query: 'SAML ACS URL error' }),
    suggested([samlV4, mfaV2], 'SAML ACS URL error'),
  ];

  it('records the article at the revision the admin was shown', () => {
    given(started)
      .when(deflect())
      .then([intakeEvent('Deflected', { ...base(AT), articleId: samlV3.articleId, articleVersion: 3 })]);
    // shown again by "search again" at revision 4: the latest shown
    given(afterSearch)
      .when(deflect())
      .then([intakeEvent('Deflected', { ...base(AT), articleId: samlV3.articleId, articleVersion: 4 })]);
  });

  it('accepts any article shown in the intake, not only the latest search', () =>
    given(afterSearch)
      .when(deflect(resetV1.articleId))
      .then([intakeEvent('Deflected', { ...base(AT), articleId: resetV1.articleId, articleVersion: 1 })]));

  it('refuses an article the assistant did not show (INTAKE.ARTICLE_NOT_SUGGESTED)', () =>
    given(started)
      .when(deflect(mfaV2.articleId))
      .thenThrows(ArticleNotSuggested, (e) =>
        expect(e).toMatchObject({
          code: 'INTAKE.ARTICLE_NOT_SUGGESTED',
          kind: 'conflict',
          intakeId: INTAKE_ID,
          articleId: mfaV2.articleId,
        }),
      ));

  it('refuses an empty article id', () =>
    given(started)
      .when(deflect(''))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('articleId')));

  it('does nothing when the same article is named again (a retry)', () =>
    given([...started, deflected])
      .when(deflect())
      .thenNothingHappened());

  it('refuses another article after the deflection, with a sentence that says why and what to do', () =>
    given([...started, deflected])
      .when(deflect(resetV1.articleId))
      .thenThrows(IntakeAlreadyEnded, (e) =>
        expect(e).toMatchObject({
          code: 'INTAKE.ALREADY_ENDED',
          kind: 'conflict',
          outcome: 'deflected',
          message:
            `Intake ${INTAKE_ID} has ended (an article solved the problem); it cannot be deflected. ` +
            'Start a new intake for another problem.',
        }),
      ));

  it.each<[string, IntakeCommand, string]>([
    ['search again', searchAgain(), 'search again'],
    ['attach to a recent case', attach(), 'be attached to a case'],
    ['describe the problem', describeProblem(), 'describe the problem'],
    ['request a case', requestCase(), 'request a case'],
  ])('refuses to %s once deflected (INTAKE.ALREADY_ENDED)', (_what, command, wanted) =>
    given([...started, deflected])
      .when(command)
      .thenThrows(IntakeAlreadyEnded, (e) => {
        expect(e.code).toBe('INTAKE.ALREADY_ENDED');
        expect(e.message).toContain(`it cannot ${wanted}.`);
      }),
  );

  it('folds the deflection: the intake has ended, by that article', () =>
    expect(foldEvents(intakeDecider, [...started, deflected])).toMatchObject({
      status: 'deflected',
      deflectedBy: { articleId: samlV3.articleId, articleVersion: 3 },
      endedAt: STARTED,
    }));
});

describe('AttachToRecentCase (R6: the same problem as a recent case)', () => {
  it('records the case the message goes onto', () =>
    given(started)
      .when(attach())
      .then([intakeEvent('AttachedToRecentCase', { ...base(AT), caseId: 'case-0007' })]));

  it('does nothing when the same case is named again, and refuses another one', () => {
    given([...started, attached])
      .when(attach())
      .thenNothingHappened();
    given([...started, attached])
      .when(attach('case-0003'))
      .thenThrows(IntakeAlreadyEnded, (e) =>
        expect(e).toMatchObject({
          outcome: 'attached',
          message:
            `Intake ${INTAKE_ID} has ended (the message went onto a recent case: case case-0007); ` +
            'it cannot be attached to a case. Start a new intake for another problem.',
        }),
      );
  });

  it('refuses a deflection or a case request once attached', () => {
    given([...started, attached])
      .when(deflect())
      .thenThrows(IntakeAlreadyEnded);
    given([...started, attached])
      .when(requestCase())
      .thenThrows(IntakeAlreadyEnded);
  });

  it('refuses an empty case id', () =>
    given(started)
      .when(attach(' '))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('caseId')));
});

describe('DescribeProblem (R7: the admin picks the problem category)', () => {
  it('records the category, normalised', () =>
    given(started)
      .when(describeProblem(' SSO '))
      .then([intakeEvent('ProblemDescribed', { ...base(AT), problemCategory: 'sso' })]));

  it('does nothing for the same category again; another one is recorded (the admin changed their mind)', () => {
    const described = [...started, intakeEvent('ProblemDescribed', { ...base(), problemCategory: 'sso' })];
    given(described).when(describeProblem('sso')).thenNothingHappened();
    given(described)
      .when(describeProblem('sign-in'))
      .then([intakeEvent('ProblemDescribed', { ...base(AT), problemCategory: 'sign-in' })]);
  });

  it.each(['', 'Single Sign-On', '-sso', 'x'.repeat(101)])('refuses the category %j', (category) =>
    given(started)
      .when(describeProblem(category))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('problemCategory')),
  );
});

describe('RequestCase (R7, R8: "I still need help", then the channel and the language)', () => {
  it('records "I still need help" once, then the case request carrying the answers (the product from the intake)', () =>
    given(started)
      .when(requestCase())
      .then([intakeEvent('StillNeedsHelp', base(AT)), intakeEvent('CaseRequested', caseRequestedData())]));

  it('takes the product given with the request over the intake’s, normalised', () =>
    given(started)
      .when(requestCase({ product: ' Directory-Sync ' }))
      .then([
        intakeEvent('StillNeedsHelp', base(AT)),
        intakeEvent('CaseRequested', caseRequestedData({ product: 'directory-sync' })),
      ]));

  it('refuses a request with no product when the intake named none (COMMAND.INVALID)', () => {
    const noProduct = [intakeStarted({ product: undefined }), suggested([samlV3])];
    given(noProduct)
      .when(requestCase())
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('product'));
    given(noProduct)
      .when(requestCase({ product: '  ' }))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('product'));
    given(noProduct)
      .when(requestCase({ product: 'cloud-identity' }))
      .then([
        intakeEvent('StillNeedsHelp', base(AT)),
        intakeEvent('CaseRequested', caseRequestedData({ product: 'cloud-identity' })),
      ]);
  });

  it('does nothing when the same case is requested again (a retry), and refuses another case id', () => {
    given([...started, ...caseRequested])
      .when(requestCase())
      .thenNothingHappened();
    given([...started, ...caseRequested])
      .when(requestCase({ caseId: 'case-0043' }))
      .thenThrows(IntakeAlreadyEnded, (e) =>
        expect(e).toMatchObject({
          outcome: 'case-requested',
          message:
            `Intake ${INTAKE_ID} has ended (a case was requested: case ${CASE_ID}); it cannot request a case. ` +
            'Start a new intake for another problem.',
        }),
      );
  });

  it('refuses a deflection, an attachment, a search after the case request', () => {
    for (const command of [deflect(), attach(), searchAgain(), describeProblem()])
      given([...started, ...caseRequested])
        .when(command)
        .thenThrows(IntakeAlreadyEnded, (e) => expect(e.outcome).toBe('case-requested'));
  });

  it.each<[string, Partial<RequestCase>]>([
    ['caseId', { caseId: '' }],
    ['requester.id', { requester: { id: '', email: 'admin@acme.example' } }],
    ['requester.email', { requester: { id: 'admin-1', email: ' ' } }],
    ['subject', { subject: ' ' }],
    ['description', { description: 'x'.repeat(MAX_INTAKE_TEXT + 1) }],
    ['channel', { channel: 'phone' as RequestCase['channel'] }],
    ['language', { language: 'en_GB' }],
    [
      'impact.serviceState',
      { impact: { serviceState: 'down', scope: 'one-user', collaborationHarmed: false } as never },
    ],
    ['impact.scope', { impact: { serviceState: 'unusable', scope: 'everyone', collaborationHarmed: false } as never }],
    [
      'impact.collaborationHarmed',
      { impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: 'yes' } as never },
    ],
    ['workaround', { workaround: 'maybe' as RequestCase['workaround'] }],
    // a request recorded must open its case: the address is checked as the case's open checks it
    ['requester.email', { requester: { id: 'ana', email: 'not-an-email' } }],
  ])('refuses a bad %s (COMMAND.INVALID)', (field, o) =>
    given(started)
      .when(requestCase(o))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe(field)),
  );
});

describe('AbandonIntake (the worker’s sweep)', () => {
  it('does nothing before idleMs have passed since the last activity', () => {
    given(started).when(abandon(), minutesAfterStart(59.99)).thenNothingHappened();
    // a search at 09:20 is activity: at 10:00 the intake has been idle for 40 minutes only
    const searchedAt = minutesAfterStart(20).toISOString();
    given([
      ...started,
      intakeEvent('SearchRepeated', { ...base(searchedAt), query: 'SAML' }),
      suggested([samlV4], 'SAML', searchedAt),
    ])
      .when(abandon(), minutesAfterStart(60))
      .thenNothingHappened();
  });

  it('records the abandonment once idleMs have passed, with the last activity as idleSince', () => {
    given(started)
      .when(abandon(), minutesAfterStart(60))
      .then([intakeEvent('Abandoned', { ...base('2026-03-02T10:00:00.000Z', sweeper.id), idleSince: STARTED })]);
    const describedAt = minutesAfterStart(20).toISOString();
    given([...started, intakeEvent('ProblemDescribed', { ...base(describedAt), problemCategory: 'sso' })])
      .when(abandon(), minutesAfterStart(80))
      .then([intakeEvent('Abandoned', { ...base('2026-03-02T10:20:00.000Z', sweeper.id), idleSince: describedAt })]);
  });

  it.each<[string, IntakeEvent[]]>([
    ['deflected', [deflected]],
    ['attached', [attached]],
    ['case-requested', caseRequested],
    ['abandoned', [abandoned]],
  ])('does nothing once the intake has ended (%s)', (_outcome, end) =>
    given([...started, ...end])
      .when(abandon(), minutesAfterStart(24 * 60))
      .thenNothingHappened(),
  );

  it('refuses everything else once abandoned, saying to describe the problem again', () =>
    given([...started, abandoned])
      .when(deflect())
      .thenThrows(IntakeAlreadyEnded, (e) =>
        expect(e).toMatchObject({
          outcome: 'abandoned',
          message:
            `Intake ${INTAKE_ID} has ended (it was abandoned); it cannot be deflected. ` +
            'Describe the problem again to start a new intake.',
        }),
      ));

  it.each([0, -1, 1.5, Number.NaN])('refuses idleMs %p', (idleMs) =>
    given(started)
      .when(abandon(idleMs))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('idleMs')),
  );
});

describe('an intake never started', () => {
  it.each<IntakeCommand>([searchAgain(), deflect(), attach(), describeProblem(), requestCase(), abandon()])(
    'refuses $type with INTAKE.NOT_FOUND',
    (command) =>
      given([])
        .when(command)
        .thenThrows(IntakeNotFound, (e) =>
          expect(e).toMatchObject({
            code: 'INTAKE.NOT_FOUND',
            kind: 'not-found',
            intakeId: INTAKE_ID,
            message: `Intake ${INTAKE_ID} does not exist.`,
          }),
        ),
  );
});

describe('caseOpenFor (R8: the case an intake asked for)', () => {
  it('builds an OpenCase the case decider accepts, whose Opened names the intake and carries its answers', () => {
    const [, requested] = intakeDecider.decide(foldEvents(intakeDecider, started), requestCase(), SPEC_NOW);
    expect(requested.type).toBe('CaseRequested');
    const state = foldEvents(intakeDecider, [...started, intakeEvent('StillNeedsHelp', base(AT)), requested]);
    expect(state).toMatchObject({ status: 'case-requested', caseId: CASE_ID, stillNeedsHelp: true, endedAt: AT });
    const request = state.request as IntakeEventDataMap['CaseRequested'];
    expect(request).toEqual(requested.data);

    const open = caseOpenFor('org-acme', request);
    expect(open).toEqual({
      type: 'OpenCase',
      caseId: CASE_ID,
      actor: { id: request.byId, role: 'support-admin' },
      tenant: 'org-acme',
      requester: { id: 'admin-1', email: 'admin@acme.example' },
      subject: 'SAML sign-in fails for the sales team',
      description: 'Nobody in sales can sign in with SAML since 9:00; the IdP shows an ACS URL error.',
      product: 'cloud-identity-premium',
      language: 'en-GB',
      channel: 'chat',
      impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: false },
      workaround: 'none',
      intakeId: INTAKE_ID,
    });
    deciderSpec(caseDecider)([])
      .when(open)
      .then([
        caseEvent('Opened', {
          caseId: CASE_ID,
          at: AT,
          byId: request.byId,
          tenant: 'org-acme',
          requester: { id: 'admin-1', email: 'admin@acme.example' },
          subject: 'SAML sign-in fails for the sales team',
          description: 'Nobody in sales can sign in with SAML since 9:00; the IdP shows an ACS URL error.',
          product: 'cloud-identity-premium',
          language: 'en-GB',
          channel: 'chat',
          impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: false },
          workaround: 'none',
          intakeId: INTAKE_ID,
          priority: 'P1',
        }),
      ]);
  });

  it('is pure: the same request gives the same command, so a retry opens the same case', () => {
    const request = caseRequestedData();
    expect(caseOpenFor('org-acme', request)).toEqual(caseOpenFor('org-acme', request));
  });
});

describe('the intake stream and the fold', () => {
  it('lives in its own stream, intake-<id>', () => {
    expect(toIntakeStreamId(INTAKE_ID)).toBe(`intake-${INTAKE_ID}`);
    expect(intakeIdFromStreamId(`intake-${INTAKE_ID}`)).toBe(INTAKE_ID);
    expect(intakeIdFromStreamId('intake-')).toBeNull();
    expect(intakeIdFromStreamId('case-1')).toBeNull();
    expect(() => toIntakeStreamId(' ')).toThrow(InvalidCommand);
  });

  it('folds the start; an unknown event (a newer release’s) only bumps the version', () => {
    const state = foldEvents(intakeDecider, started);
    expect(state).toMatchObject({
      status: 'suggesting',
      id: INTAKE_ID,
      tenant: 'org-acme',
      startedBy: admin.id,
      startedAt: STARTED,
      product: 'cloud-identity-premium',
      language: 'en-GB',
      searches: 0,
      stillNeedsHelp: false,
      lastActivityAt: STARTED,
      version: 3,
    });
    const unknown = { type: 'IntakeRated', schemaVersion: 1, data: base() } as unknown as IntakeEvent;
    expect(intakeDecider.evolve(state, unknown)).toEqual({ ...state, version: 4 });
  });
});
