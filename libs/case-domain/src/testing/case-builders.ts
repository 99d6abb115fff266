/**
 * Builders of one case's commands and events, with sensible defaults, each overridable.
 * Given events are stamped `EARLIER`; `when` runs at SPEC_NOW, so expected events use `AT`.
 * Another case, another time: `opened({ caseId, at, language })`, `ev(type, { caseId, at, … })`.
 */
import type * as C from '../case/case.commands';
import { caseEvent, type CaseEventDataMap, type CaseEventOf } from '../case/case.events';
import type { Actor } from '../shared/decider';

export const CASE_ID = 'case-0001';
export const EARLIER = '2026-03-02T08:00:00.000Z';
/** SPEC_NOW of @app/testing, the default `now` of `when` (index.spec.ts checks they agree) */
export const AT = '2026-03-02T09:30:00.000Z';
/** a first-response due time between EARLIER and AT: a breach decided at AT is late */
export const BREACH_DUE = '2026-03-02T09:00:00.000Z';

export const customer: Actor = { id: 'admin-1', role: 'support-admin' };
export const agent: Actor = { id: 'agent-1', role: 'agent' };
export const otherAgent: Actor = { id: 'agent-2', role: 'agent' };
export const supervisor: Actor = { id: 'super-1', role: 'supervisor' };
export const system: Actor = { id: 'system:timer', role: 'system' };

/** R4: the assignee facts of an agent of north-desk speaking French and English */
export const northDeskAgent: C.Assignee = { kind: 'agent', vendorId: 'north-desk', languages: ['en', 'fr'] };

// ── commands ───────────────────────────────────────────────────────────────
export const cmd = {
  open: (o: Partial<C.OpenCase> = {}): C.OpenCase => ({
    type: 'OpenCase',
    caseId: CASE_ID,
    actor: customer,
    tenant: 'org-acme',
    requester: { id: 'admin-1', email: 'admin@acme.example' },
    subject: 'SSO login fails',
    description: 'Nobody in the sales team can sign in since 9:00.',
    product: 'cloud-identity-premium',
    language: 'fr',
    channel: 'email',
    impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: false },
    workaround: 'none',
    ...o,
  }),
  /** an agent of `north-desk` speaking fr, the vendor {@link routed} gives the case (R4) */
  assign: (agentId = agent.id, o: Partial<C.AssignCase> = {}): C.AssignCase => ({
    type: 'AssignCase',
    caseId: CASE_ID,
    actor: agent,
    agentId,
    byId: agent.id,
    assignee: northDeskAgent,
    ...o,
  }),
  respond: (o: Partial<C.RespondToCase> = {}): C.RespondToCase => ({
    type: 'RespondToCase',
    caseId: CASE_ID,
    actor: agent,
    agentId: agent.id,
    message: 'We are looking into it.',
    ...o,
  }),
  requestInfo: (o: Partial<C.RequestInfo> = {}): C.RequestInfo => ({
    type: 'RequestInfo',
    caseId: CASE_ID,
    actor: agent,
    agentId: agent.id,
    items: ['logs'],
    message: 'Please send the logs.',
    ...o,
  }),
  provideInfo: (o: Partial<C.ProvideInfo> = {}): C.ProvideInfo => ({
    type: 'ProvideInfo',
    caseId: CASE_ID,
    actor: customer,
    message: 'Logs attached.',
    ...o,
  }),
  reply: (o: Partial<C.ReplyToCase> = {}): C.ReplyToCase => ({
    type: 'ReplyToCase',
    caseId: CASE_ID,
    actor: customer,
    message: 'Any news?',
    ...o,
  }),
  escalate: (o: Partial<C.EscalateCase> = {}): C.EscalateCase => ({
    type: 'EscalateCase',
    caseId: CASE_ID,
    actor: agent,
    target: 'product-team',
    reason: 'Needs a code fix.',
    ...o,
  }),
  changePriority: (o: Partial<C.ChangePriority> = {}): C.ChangePriority => ({
    type: 'ChangePriority',
    caseId: CASE_ID,
    actor: supervisor,
    priority: 'P2',
    reason: 'Only one team is affected.',
    ...o,
  }),
  resolve: (o: Partial<C.ResolveCase> = {}): C.ResolveCase => ({
    type: 'ResolveCase',
    caseId: CASE_ID,
    actor: agent,
    outcome: 'solved',
    summary: 'SAML certificate renewed.',
    ...o,
  }),
  reopen: (o: Partial<C.ReopenCase> = {}): C.ReopenCase => ({
    type: 'ReopenCase',
    caseId: CASE_ID,
    actor: customer,
    reason: 'It fails again.',
    ...o,
  }),
  link: (incidentId = 'inc-1'): C.LinkToIncident => ({
    type: 'LinkToIncident',
    caseId: CASE_ID,
    actor: agent,
    incidentId,
  }),
  requestCredit: (o: Partial<C.RequestCredit> = {}): C.RequestCredit => ({
    type: 'RequestCredit',
    caseId: CASE_ID,
    actor: customer,
    ...o,
  }),
  issueCredit: (o: Partial<C.IssueCredit> = {}): C.IssueCredit => ({
    type: 'IssueCredit',
    caseId: CASE_ID,
    actor: supervisor,
    amount: 120,
    currency: 'EUR',
    ...o,
  }),
  requestReport: (): C.RequestIncidentReport => ({ type: 'RequestIncidentReport', caseId: CASE_ID, actor: customer }),
  sendReport: (reportUrl = 'https://status.example/reports/inc-1'): C.SendIncidentReport => ({
    type: 'SendIncidentReport',
    caseId: CASE_ID,
    actor: agent,
    reportUrl,
  }),
  sendSurvey: (surveyId = 'survey-1'): C.SendSurvey => ({
    type: 'SendSurvey',
    caseId: CASE_ID,
    actor: system,
    surveyId,
  }),
  answerSurvey: (o: Partial<C.AnswerSurvey> = {}): C.AnswerSurvey => ({
    type: 'AnswerSurvey',
    caseId: CASE_ID,
    actor: customer,
    rating: 4,
    ...o,
  }),
  close: (): C.CloseCase => ({ type: 'CloseCase', caseId: CASE_ID, actor: system }),
  /** R11: the waiting timer's reminder */
  remind: (o: Partial<C.RemindCustomer> = {}): C.RemindCustomer => ({
    type: 'RemindCustomer',
    caseId: CASE_ID,
    actor: system,
    cycle: 1,
    ...o,
  }),
  /** R11: the waiting timer resolves a case the customer never answered */
  resolveUnanswered: (o: Partial<C.ResolveCase> = {}): C.ResolveCase => ({
    type: 'ResolveCase',
    caseId: CASE_ID,
    actor: system,
    outcome: 'no-customer-answer',
    summary: 'Information was requested and no answer came within 10 business days.',
    ...o,
  }),
  note: (o: Partial<C.AddInternalNote> = {}): C.AddInternalNote => ({
    type: 'AddInternalNote',
    caseId: CASE_ID,
    actor: agent,
    message: 'Customer runs an old connector; checked with the product team.',
    ...o,
  }),
  /** the customer turns the case's notification e-mails off (or on) */
  setNotifications: (enabled = false): C.SetNotifications => ({
    type: 'SetNotifications',
    caseId: CASE_ID,
    actor: customer,
    enabled,
  }),
  route: (vendorId: string | null = 'north-desk'): C.RouteCase => ({
    type: 'RouteCase',
    caseId: CASE_ID,
    actor: { id: 'system:router', role: 'system' },
    trigger: 'opened',
    decision: {
      queueId: 'fr-P1',
      vendorId,
      reason: vendorId === null ? 'no-eligible-vendor' : 'follow-the-sun',
      candidates: vendorId === null ? [] : [{ vendorId, atWork: true }],
    },
  }),
  recordBreach: (o: Partial<C.RecordSlaBreach> = {}): C.RecordSlaBreach => ({
    type: 'RecordSlaBreach',
    caseId: CASE_ID,
    actor: system,
    clock: 'first-response',
    cycle: 1,
    dueAt: BREACH_DUE,
    targetMs: 28_800_000,
    calendarId: 'europe-paris',
    calendarVersion: 1,
    policyVersion: 1,
    ...o,
  }),
};

// ── events ─────────────────────────────────────────────────────────────────
/** an event's data; its case, time and author default to CASE_ID, EARLIER and the builder's actor */
export type EventData<T extends keyof CaseEventDataMap> = Omit<CaseEventDataMap[T], 'caseId' | 'at' | 'byId'> &
  Partial<Pick<CaseEventDataMap[T], 'caseId' | 'at' | 'byId'>>;
type Data<T extends keyof CaseEventDataMap> = EventData<T>;

/** An event of this case, stamped EARLIER unless `at` is given. */
export const ev = <T extends keyof CaseEventDataMap>(type: T, data: Data<T>, byId = agent.id): CaseEventOf<T> =>
  caseEvent(type, { caseId: CASE_ID, at: EARLIER, byId, ...data } as CaseEventDataMap[T]);

const { type: _t, caseId: _c, actor: _a, ...openData } = cmd.open();
/**
 * The case opened (by the customer, stamped EARLIER): {@link cmd}.open's request, priority P1,
 * no SLA terms; any field overridable (`opened({ caseId, at, language: 'de', sla })`).
 */
export const opened = (o: Partial<Data<'Opened'>> = {}): CaseEventOf<'Opened'> =>
  ev('Opened', { ...openData, priority: 'P1', ...o }, customer.id);
/** R4, R16: the router gave the case to a vendor (null: to nobody) */
export const routed = (vendorId: string | null = 'north-desk') =>
  ev(
    'Routed',
    {
      vendorId,
      queueId: 'fr-P1',
      reason: vendorId === null ? 'no-eligible-vendor' : 'follow-the-sun',
      trigger: 'opened',
      candidates: vendorId === null ? [] : [{ vendorId, atWork: true }],
    },
    'system:router',
  );
export const assigned = (agentId = agent.id) => ev('AgentAssigned', { agentId, forced: false }, agentId);
export const responded = ev('AgentResponded', { agentId: agent.id, message: 'Looking.', firstResponse: true });
export const infoRequested = ev('InfoRequested', {
  agentId: agent.id,
  items: ['logs'],
  message: 'Logs please.',
  firstResponse: true,
});
/** R11: the customer was reminded of the wait that began at `waitingSince` (EARLIER: {@link infoRequested}'s) */
export const reminded = (waitingSince = EARLIER, cycle = 1) =>
  ev('CustomerReminded', { cycle, waitingSince }, system.id);
export const linked = (incidentId = 'inc-1') => ev('LinkedToIncident', { incidentId });
export const resolved = (o: Partial<Data<'Resolved'>> = {}) =>
  ev('Resolved', { outcome: 'solved', summary: 'Fixed.', cycle: 1, ...o });
export const reopened = (cycle = 2) => ev('Reopened', { reason: 'Not fixed.', cycle }, customer.id);
export const noted = (message = 'An internal note.', byId = agent.id) => ev('InternalNoteAdded', { message }, byId);
export const closed = (cycle = 1) => ev('Closed', { outcome: 'solved', cycle }, system.id);
export const notificationsChanged = (enabled = false) => ev('NotificationsChanged', { enabled }, customer.id);
export const creditRequested = (incidentId = 'inc-1') => ev('CreditRequested', { incidentId }, customer.id);
export const creditIssued = (incidentId = 'inc-1') =>
  ev('CreditIssued', { incidentId, amount: 120, currency: 'EUR' }, supervisor.id);
export const reportRequested = (incidentId = 'inc-1') => ev('IncidentReportRequested', { incidentId }, customer.id);
export const reportSent = (reportUrl = 'https://status.example/reports/inc-1') =>
  ev('IncidentReportSent', { incidentId: 'inc-1', reportUrl });
export const surveySent = (surveyId = 'survey-1', cycle = 1) => ev('SurveySent', { surveyId, cycle }, system.id);
export const surveyAnswered = (surveyId = 'survey-1') =>
  ev('SurveyAnswered', { surveyId, rating: 5, cycle: 1 }, customer.id);
export const slaBreached = (o: Partial<Data<'SlaBreached'>> = {}) =>
  ev(
    'SlaBreached',
    {
      clock: 'first-response',
      cycle: 1,
      priority: 'P1',
      dueAt: BREACH_DUE,
      targetMs: 28_800_000,
      calendarId: 'europe-paris',
      calendarVersion: 1,
      policyVersion: 1,
      ...o,
    },
    system.id,
  );

/** An event stamped AT (SPEC_NOW): what `when` is expected to produce. */
export const evNow = <T extends keyof CaseEventDataMap>(type: T, data: Data<T>, byId = agent.id): CaseEventOf<T> =>
  ev(type, { ...data, at: AT }, byId);
