import { randomBytes, randomUUID } from 'node:crypto';
import {
  caseOpenFor,
  ROUTER,
  surveyIdFor,
  toCaseStreamId,
  toIncidentStreamId,
  toIntakeStreamId,
  type CaseCommand,
  type IncidentCommand,
  type IntakeCommand,
  type IntakeState,
  type SuggestedArticle,
} from '..';

/**
 * One command of the full lifecycle, for the stream it goes to, at the time it is decided.
 * A runner decides it with the aggregate's decider and appends what it decides (through the
 * command handlers' write path), then passes the stream's new state to the script's `next`.
 */
export type LifecycleStep = {
  readonly streamId: string;
  readonly at: Date;
  /** the tenant its events are recorded for (the case's and the intakes'; an incident is no tenant's) */
  readonly tenant?: string;
} & (
  | { readonly aggregate: 'case'; readonly command: CaseCommand }
  | { readonly aggregate: 'incident'; readonly command: IncidentCommand }
  | { readonly aggregate: 'intake'; readonly command: IntakeCommand }
);

/** What the script used: ids, and every free text, address and person id that went into its commands. */
export interface LifecycleFacts {
  /** random; part of every free text, address and person id used: none of it may be published */
  readonly nonce: string;
  readonly caseId: string;
  readonly incidentId: string;
  /** the intakes, the case's own (`CaseRequested`) first */
  readonly intakeIds: readonly string[];
  readonly tenant: string;
  /**
   * subjects, descriptions, messages, reasons, summaries, recommendations, comments, titles,
   * file names, URLs, and what the admin typed into the help assistant (descriptions, queries)
   */
  readonly freeTexts: readonly string[];
  readonly emails: readonly string[];
  /** the raw ids of the people (and the system actor) who acted */
  readonly personIds: readonly string[];
}

const MINUTE = 60_000;

/**
 * One case through its whole life, as commands: the help assistant intake that asked for it,
 * the incident it is linked to, and three more intakes (deflected by an article, attached to
 * the case, abandoned). Every free text and e-mail address carries a random nonce, so a test
 * can look for them in what was published. Its commands produce every case, incident and
 * intake event type of the domain (an internal note too). A generator: each step is yielded,
 * and the runner sends back the stream's state after it (the case's Opened is built from the
 * intake's recorded request). @app/messaging's `runFullLifecycle` runs it on a store.
 */
export function* fullLifecycle({ start = new Date('2026-03-02T09:00:00.000Z') }: { start?: Date } = {}): Generator<
  LifecycleStep,
  LifecycleFacts,
  unknown
> {
  const nonce = randomBytes(6).toString('hex');
  const caseId = randomUUID();
  const incidentId = randomUUID();
  const tenant = 'acme.example';
  const people = {
    customer: { id: `admin-${nonce}`, role: 'support-admin', org: tenant },
    agent: { id: `agent-${nonce}`, role: 'agent', vendor: 'north-desk' },
    supervisor: { id: `super-${nonce}`, role: 'supervisor' },
    system: { id: `system:timer-${nonce}`, role: 'system' },
  } as const;
  const email = `ada.lovelace.${nonce}@acme.example`;
  const freeTexts: string[] = [];
  const said = (what: string) => {
    const t = `${what} (${nonce})`;
    freeTexts.push(t);
    return t;
  };
  let minutes = 0;
  const at = (step = 1) => new Date(start.getTime() + (minutes += step) * MINUTE);
  function* onCase(command: CaseCommand, step = 1): Generator<LifecycleStep, unknown, unknown> {
    return yield { aggregate: 'case', streamId: toCaseStreamId(caseId), at: at(step), tenant, command };
  }
  function* onIntake(command: IntakeCommand, step = 1): Generator<LifecycleStep, IntakeState, unknown> {
    const streamId = toIntakeStreamId(command.intakeId);
    return (yield { aggregate: 'intake', streamId, at: at(step), tenant, command }) as IntakeState;
  }
  function* onIncident(command: IncidentCommand): Generator<LifecycleStep, unknown, unknown> {
    return yield { aggregate: 'incident', streamId: toIncidentStreamId(incidentId), at: at(), command };
  }
  const onRouting = (vendorId: string) =>
    onCase({
      type: 'RouteCase',
      caseId,
      actor: ROUTER,
      trigger: 'opened',
      decision: {
        queueId: 'fr-P1',
        vendorId,
        reason: 'follow-the-sun',
        candidates: [
          { vendorId, atWork: true },
          { vendorId: 'south-desk', atWork: false },
        ],
      },
    });
  const articles = (...ids: string[]): SuggestedArticle[] =>
    ids.map((articleId, i) => ({ articleId, version: i + 2, score: 0.9 - i / 10 }));
  const startIntake = (intakeId: string, recentCaseIds: string[] = []) =>
    onIntake({
      type: 'StartIntake',
      intakeId,
      actor: people.customer,
      tenant,
      description: said(`Nobody can sign in with SSO, ask ${email}`),
      product: 'cloud-identity-premium',
      language: 'fr',
      suggestions: articles('sso-saml-errors-fr', 'sso-certificate-renewal-fr'),
      recentCaseIds,
    });
  const { customer, agent, supervisor, system } = people;
  const c = { caseId };
  const [requestingIntake, deflectedIntake, attachedIntake, abandonedIntake] = [0, 1, 2, 3].map(() => randomUUID());

  // R5–R8: the help assistant first; its articles do not help, the admin asks for a case
  yield* startIntake(requestingIntake, [randomUUID()]);
  yield* onIntake({
    type: 'SearchAgain',
    intakeId: requestingIntake,
    actor: customer,
    query: said('sso error 500 since this morning'),
    suggestions: articles('sso-error-500-fr'),
  });
  yield* onIntake({ type: 'DescribeProblem', intakeId: requestingIntake, actor: customer, problemCategory: 'sso' });
  const requested = yield* onIntake({
    type: 'RequestCase',
    intakeId: requestingIntake,
    actor: customer,
    caseId,
    requester: { id: customer.id, email },
    subject: said('Nobody can sign in'),
    description: said('Since 9:00 every login of the sales team fails with error 500'),
    channel: 'email',
    language: 'fr',
    impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: true },
    workaround: 'none',
  });
  // another admin's problem is solved by an article (R5)
  yield* startIntake(deflectedIntake);
  yield* onIntake({
    type: 'DeflectIntake',
    intakeId: deflectedIntake,
    actor: customer,
    articleId: 'sso-certificate-renewal-fr',
  });

  yield* onIncident({
    type: 'DeclareIncident',
    incidentId,
    actor: supervisor,
    title: said('SSO outage for EU customers'),
    services: ['sso', 'directory'],
    startedAt: new Date(start.getTime() - 30 * MINUTE),
  });
  // R8: the case the intake asked for, with its answers; Opened names the intake
  if (!requested.request) throw new Error('the intake recorded no case request');
  yield* onCase({
    ...caseOpenFor(tenant, requested.request),
    sla: {
      calendarId: 'europe-paris',
      calendarVersion: 1,
      policyVersion: 1,
      region: 'emea',
      firstResponseTargetMs: 60 * MINUTE,
      firstResponseDueAt: new Date(start.getTime() + 61 * MINUTE).toISOString(),
    },
  });
  yield* onRouting('north-desk');
  // the same problem again, from the help assistant: it goes onto the open case (R6)
  yield* startIntake(attachedIntake, [caseId]);
  yield* onIntake({ type: 'AttachToRecentCase', intakeId: attachedIntake, actor: customer, caseId });
  // one more that nobody finishes: the worker's sweep ends it
  yield* startIntake(abandonedIntake);
  yield* onIntake({ type: 'AbandonIntake', intakeId: abandonedIntake, actor: system, idleMs: 30 * MINUTE }, 46);
  yield* onCase({
    type: 'ChangePriority',
    ...c,
    actor: supervisor,
    priority: 'P2',
    reason: said('Only one team is hit'),
  });
  // nobody answered within the hour: the scheduler records the breach (R10)
  yield* onCase(
    {
      type: 'RecordSlaBreach',
      ...c,
      actor: system,
      clock: 'first-response',
      cycle: 1,
      dueAt: new Date(start.getTime() + 61 * MINUTE).toISOString(),
      targetMs: 60 * MINUTE,
      calendarId: 'europe-paris',
      calendarVersion: 1,
      policyVersion: 1,
    },
    90,
  );
  yield* onCase({
    type: 'AssignCase',
    ...c,
    actor: agent,
    agentId: agent.id,
    byId: agent.id,
    assignee: { kind: 'agent', vendorId: 'north-desk', languages: ['fr'] },
  });
  yield* onCase({
    type: 'RequestInfo',
    ...c,
    actor: agent,
    agentId: agent.id,
    items: ['logs', 'reproduction-steps'],
    message: said('Please send the browser logs'),
  });
  // R11: the waiting timer reminds the customer before the answer comes
  yield* onCase({ type: 'RemindCustomer', ...c, actor: system, cycle: 1 });
  yield* onCase({
    type: 'ProvideInfo',
    ...c,
    actor: customer,
    message: said('Here are the logs you asked for'),
    attachments: [{ name: said('sso-trace-of-ada'), size: 2048, contentType: 'text/plain', sha256: 'ab'.repeat(32) }],
  });
  yield* onCase({
    type: 'ReplyToCase',
    ...c,
    actor: customer,
    message: said('Any news? My whole team is blocked'),
    attachments: [{ name: said('screenshot-of-ada'), size: 4096, contentType: 'image/png', sha256: 'cd'.repeat(32) }],
  });
  yield* onCase({ type: 'RespondToCase', ...c, actor: agent, agentId: agent.id, message: said('We found the cause') });
  yield* onCase({ type: 'EscalateCase', ...c, actor: agent, target: 'product-team', reason: said('Needs a code fix') });
  // staff only: never published at all (publication-policy.ts, NEVER_PUBLISHED_CASE_EVENT_TYPES)
  yield* onCase({
    type: 'AddInternalNote',
    ...c,
    actor: supervisor,
    message: said('Old connector; Ada is not technical'),
  });
  // the customer turns the case's notification e-mails off: published as a boolean, the admin pseudonymised
  yield* onCase({ type: 'SetNotifications', ...c, actor: customer, enabled: false });
  yield* onCase({ type: 'LinkToIncident', ...c, actor: agent, incidentId });
  yield* onCase({ type: 'RequestCredit', ...c, actor: customer, reason: said('Four hours of downtime') });
  yield* onCase({ type: 'RequestIncidentReport', ...c, actor: customer });
  yield* onCase({ type: 'ResolveCase', ...c, actor: agent, outcome: 'outage', summary: said('Certificate renewed') });
  yield* onCase({ type: 'SendSurvey', ...c, actor: system, surveyId: surveyIdFor(caseId, 1) });
  yield* onCase({ type: 'ReopenCase', ...c, actor: customer, reason: said('It fails again this morning') });
  yield* onCase({ type: 'RespondToCase', ...c, actor: agent, agentId: agent.id, message: said('Looking again') });
  yield* onCase({
    type: 'ResolveCase',
    ...c,
    actor: agent,
    outcome: 'cannot-reproduce',
    summary: said('No failure since the renewal'),
    recommendations: said('Clear the browser cache and send a HAR file if it recurs'),
  });
  yield* onCase({ type: 'IssueCredit', ...c, actor: supervisor, amount: 120, currency: 'EUR' });
  const url = `https://status.example/reports/${nonce}`;
  freeTexts.push(url);
  yield* onCase({
    type: 'SendIncidentReport',
    ...c,
    actor: agent,
    reportUrl: url,
  });
  yield* onCase({ type: 'SendSurvey', ...c, actor: system, surveyId: surveyIdFor(caseId, 2) });
  yield* onCase({
    type: 'AnswerSurvey',
    ...c,
    actor: customer,
    rating: 2,
    comment: said('Slow, and Ada had to call twice'),
  });
  yield* onCase({ type: 'CloseCase', ...c, actor: system });
  yield* onIncident({ type: 'ResolveIncident', incidentId, actor: supervisor, endedAt: at() });

  return {
    nonce,
    caseId,
    incidentId,
    intakeIds: [requestingIntake, deflectedIntake, attachedIntake, abandonedIntake],
    tenant,
    freeTexts,
    emails: [email],
    personIds: Object.values(people).map((p) => p.id),
  };
}
