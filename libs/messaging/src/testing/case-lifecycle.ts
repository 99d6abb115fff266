import { randomBytes, randomUUID } from 'node:crypto';
import {
  caseDecider,
  caseOpenFor,
  incidentDecider,
  intakeDecider,
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
} from '@app/case-domain';
import { StreamWriter } from '@app/commands';
import type { EventMetadata, EventStore } from '@app/event-store';
import { isPublished } from '../case-events/publication-policy';

/**
 * Test support: one case through its whole life, the help assistant intake that asked for
 * it, the incident it is linked to, and three more intakes (deflected by an article,
 * attached to the case, abandoned), through the real deciders and the command handlers'
 * write path (StreamWriter), with the metadata the API records. Every free text and e-mail
 * address it uses carries a random nonce, so a test can look for them in what was
 * published. Produces every case, incident and intake event type of the domain (an internal
 * note too, which is never published: `unpublishedEventTypes`).
 */
export interface LifecycleRun {
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
  /** the case and incident event types appended, in order (the case-events topic's messages) */
  readonly eventTypes: readonly string[];
  /** the case event types appended that are never published (an internal note), in order */
  readonly unpublishedEventTypes: readonly string[];
  /** the intake event types appended, in order (the intake-events topic's messages) */
  readonly intakeEventTypes: readonly string[];
}

const MINUTE = 60_000;

export const runFullLifecycle = async (
  store: EventStore,
  { start = new Date('2026-03-02T09:00:00.000Z') }: { start?: Date } = {},
): Promise<LifecycleRun> => {
  const nonce = randomBytes(6).toString('hex');
  const caseId = randomUUID();
  const incidentId = randomUUID();
  const tenant = 'acme.example';
  const text = (what: string) => `${what} (${nonce})`;
  const people = {
    customer: { id: `admin-${nonce}`, role: 'support-admin', org: tenant },
    agent: { id: `agent-${nonce}`, role: 'agent', vendor: 'north-desk' },
    supervisor: { id: `super-${nonce}`, role: 'supervisor' },
    system: { id: `system:timer-${nonce}`, role: 'system' },
  };
  const email = `ada.lovelace.${nonce}@acme.example`;
  const freeTexts: string[] = [];
  const said = (what: string) => {
    const t = text(what);
    freeTexts.push(t);
    return t;
  };
  const eventTypes: string[] = [];
  const unpublishedEventTypes: string[] = [];
  const intakeEventTypes: string[] = [];
  let minutes = 0;
  const at = (step = 1) => new Date(start.getTime() + (minutes += step) * MINUTE);
  const metadata = (actor: { id: string; role: string }): EventMetadata => ({
    actor,
    tenant,
    correlationId: randomUUID(),
  });

  let now = start;
  const cases = new StreamWriter(store, caseDecider, { now: () => now, cacheSize: 0 });
  const incidents = new StreamWriter(store, incidentDecider, { now: () => now, cacheSize: 0 });
  const onCase = async (command: CaseCommand, step = 1) => {
    now = at(step);
    const result = await cases.write({
      streamId: toCaseStreamId(caseId),
      metadata: metadata(command.actor),
      decide: (state, _v, t) => caseDecider.decide(state, command, t),
    });
    if (result.events.length === 0) throw new Error(`${command.type} appended nothing`);
    for (const { type } of result.events) (isPublished(type, 'case') ? eventTypes : unpublishedEventTypes).push(type);
  };
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
  const intakes = new StreamWriter(store, intakeDecider, { now: () => now, cacheSize: 0 });
  const onIntake = async (command: IntakeCommand): Promise<IntakeState> => {
    now = at();
    const result = await intakes.write({
      streamId: toIntakeStreamId(command.intakeId),
      // as ChangeIntakeHandler: every intake event says whose it is
      metadata: metadata(command.actor),
      decide: (state, _v, t) => intakeDecider.decide(state, command, t),
    });
    if (result.events.length === 0) throw new Error(`${command.type} appended nothing`);
    intakeEventTypes.push(...result.events.map((e) => e.type));
    return result.state;
  };
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
  const onIncident = async (command: IncidentCommand) => {
    now = at();
    const result = await incidents.write({
      streamId: toIncidentStreamId(incidentId),
      metadata: { actor: command.actor, correlationId: randomUUID() },
      decide: (state, _v, t) => incidentDecider.decide(state, command, t),
    });
    eventTypes.push(...result.events.map((e) => e.type));
  };
  const { customer, agent, supervisor, system } = people;
  const c = { caseId };
  const [requestingIntake, deflectedIntake, attachedIntake, abandonedIntake] = [0, 1, 2, 3].map(() => randomUUID());

  // R5–R8: the help assistant first; its articles do not help, the admin asks for a case
  await startIntake(requestingIntake, [randomUUID()]);
  await onIntake({
    type: 'SearchAgain',
    intakeId: requestingIntake,
    actor: customer,
    query: said('sso error 500 since this morning'),
    suggestions: articles('sso-error-500-fr'),
  });
  await onIntake({ type: 'DescribeProblem', intakeId: requestingIntake, actor: customer, problemCategory: 'sso' });
  const requested = await onIntake({
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
  await startIntake(deflectedIntake);
  await onIntake({
    type: 'DeflectIntake',
    intakeId: deflectedIntake,
    actor: customer,
    articleId: 'sso-certificate-renewal-fr',
  });

  await onIncident({
    type: 'DeclareIncident',
    incidentId,
    actor: supervisor,
    title: said('SSO outage for EU customers'),
    services: ['sso', 'directory'],
    startedAt: new Date(start.getTime() - 30 * MINUTE),
  });
  // R8: the case the intake asked for, with its answers; Opened names the intake
  if (!requested.request) throw new Error('the intake recorded no case request');
  await onCase({
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
  await onRouting('north-desk');
  // the same problem again, from the help assistant: it goes onto the open case (R6)
  await startIntake(attachedIntake, [caseId]);
  await onIntake({ type: 'AttachToRecentCase', intakeId: attachedIntake, actor: customer, caseId });
  // one more that nobody finishes: the worker's sweep ends it
  await startIntake(abandonedIntake);
  now = at(45);
  await onIntake({ type: 'AbandonIntake', intakeId: abandonedIntake, actor: system, idleMs: 30 * MINUTE });
  await onCase({
    type: 'ChangePriority',
    ...c,
    actor: supervisor,
    priority: 'P2',
    reason: said('Only one team is hit'),
  });
  // nobody answered within the hour: the scheduler records the breach (R10)
  await onCase(
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
  await onCase({
    type: 'AssignCase',
    ...c,
    actor: agent,
    agentId: agent.id,
    byId: agent.id,
    assignee: { kind: 'agent', vendorId: 'north-desk', languages: ['fr'] },
  });
  await onCase({
    type: 'RequestInfo',
    ...c,
    actor: agent,
    agentId: agent.id,
    items: ['logs', 'reproduction-steps'],
    message: said('Please send the browser logs'),
  });
  // R11: the waiting timer reminds the customer before the answer comes
  await onCase({ type: 'RemindCustomer', ...c, actor: system, cycle: 1 });
  await onCase({
    type: 'ProvideInfo',
    ...c,
    actor: customer,
    message: said('Here are the logs you asked for'),
    attachments: [{ name: said('sso-trace-of-ada'), size: 2048, contentType: 'text/plain', sha256: 'ab'.repeat(32) }],
  });
  await onCase({
    type: 'ReplyToCase',
    ...c,
    actor: customer,
    message: said('Any news? My whole team is blocked'),
    attachments: [{ name: said('screenshot-of-ada'), size: 4096, contentType: 'image/png', sha256: 'cd'.repeat(32) }],
  });
  await onCase({ type: 'RespondToCase', ...c, actor: agent, agentId: agent.id, message: said('We found the cause') });
  await onCase({ type: 'EscalateCase', ...c, actor: agent, target: 'product-team', reason: said('Needs a code fix') });
  // staff only: never published at all (publication-policy.ts, NEVER_PUBLISHED_CASE_EVENT_TYPES)
  await onCase({
    type: 'AddInternalNote',
    ...c,
    actor: supervisor,
    message: said('Old connector; Ada is not technical'),
  });
  // the customer turns the case's notification e-mails off: published as a boolean, the admin pseudonymised
  await onCase({ type: 'SetNotifications', ...c, actor: customer, enabled: false });
  await onCase({ type: 'LinkToIncident', ...c, actor: agent, incidentId });
  await onCase({ type: 'RequestCredit', ...c, actor: customer, reason: said('Four hours of downtime') });
  await onCase({ type: 'RequestIncidentReport', ...c, actor: customer });
  await onCase({ type: 'ResolveCase', ...c, actor: agent, outcome: 'outage', summary: said('Certificate renewed') });
  await onCase({ type: 'SendSurvey', ...c, actor: system, surveyId: surveyIdFor(caseId, 1) });
  await onCase({ type: 'ReopenCase', ...c, actor: customer, reason: said('It fails again this morning') });
  await onCase({ type: 'RespondToCase', ...c, actor: agent, agentId: agent.id, message: said('Looking again') });
  await onCase({
    type: 'ResolveCase',
    ...c,
    actor: agent,
    outcome: 'cannot-reproduce',
    summary: said('No failure since the renewal'),
    recommendations: said('Clear the browser cache and send a HAR file if it recurs'),
  });
  await onCase({ type: 'IssueCredit', ...c, actor: supervisor, amount: 120, currency: 'EUR' });
  const url = `https://status.example/reports/${nonce}`;
  freeTexts.push(url);
  await onCase({
    type: 'SendIncidentReport',
    ...c,
    actor: agent,
    reportUrl: url,
  });
  await onCase({ type: 'SendSurvey', ...c, actor: system, surveyId: surveyIdFor(caseId, 2) });
  await onCase({
    type: 'AnswerSurvey',
    ...c,
    actor: customer,
    rating: 2,
    comment: said('Slow, and Ada had to call twice'),
  });
  await onCase({ type: 'CloseCase', ...c, actor: system });
  await onIncident({ type: 'ResolveIncident', incidentId, actor: supervisor, endedAt: at() });

  return {
    nonce,
    caseId,
    incidentId,
    intakeIds: [requestingIntake, deflectedIntake, attachedIntake, abandonedIntake],
    tenant,
    freeTexts,
    emails: [email],
    personIds: Object.values(people).map((p) => p.id),
    eventTypes,
    unpublishedEventTypes,
    intakeEventTypes,
  };
};
