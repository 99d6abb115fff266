/**
 * @app/case-domain: the pure core of the support desk (docs/architecture.md). Commands, events,
 * state, decide/evolve for cases and incidents, the priority policy (R9), the survey
 * process manager, stream ids, the case view and the SLA figures (`slaOf`, R10). Imports no
 * framework and does no I/O; its one dependency is the pure arithmetic of @app/business-time.
 * docs/domain-model.md describes the rules.
 */

// shared
export type { Actor, Decider } from './shared/decider';
export { foldEvents } from './shared/decider';
export { DomainRuleViolation, InvalidCommand, type ViolationKind } from './shared/domain-rule-violation';
export {
  CASE_STREAM_CATEGORY,
  INCIDENT_STREAM_CATEGORY,
  caseIdFromStreamId,
  incidentIdFromStreamId,
  toCaseStreamId,
  toIncidentStreamId,
} from './shared/stream-ids';

// case: vocabulary, commands, events, state
export * from './case/case.types';
export type * from './case/case.commands';
export {
  CASE_EVENT_SCHEMA_VERSIONS,
  CASE_EVENT_TYPES,
  caseEvent,
  type CaseEvent,
  type CaseEventDataMap,
  type CaseEventOf,
  type CaseEventType,
  type CreditIssued,
  type Opened,
  type Resolved,
  type SlaBreached,
  type Routed,
} from './case/case.events';
export {
  initialCaseState,
  isOpenedCase,
  type CaseState,
  type Escalation,
  type OpenedCase,
  type Resolution,
  type UnopenedCase,
} from './case/case.state';

// case: behaviour
export { caseDecider, decide, decide as decideCase } from './case/case.decide';
export { evolve, evolve as evolveCase } from './case/case.evolve';
export * from './case/case.errors';
export { priorityFor } from './case/priority.policy';
export { SURVEY_SENDER, afterCaseEvent, surveyIdFor } from './case/survey.process-manager';
export { toCaseView, type CaseView } from './case/case.view';
export * from './case/case-audience';
export { attachmentsOf, referencedAttachment } from './case/case.attachments';
export { REPLIED_WITH_ATTACHMENTS } from './case/decide/conversation.decide';

// case: SLA (R10, R11, R15)
export { slaOf, slaReport, type SlaClockFigures, type SlaCycleFigures, type SlaReport } from './case/sla/sla.report';
export type { CustomerWait, RecordedBreach, SlaCycleFacts, SlaFacts } from './case/sla/sla.facts';

// vendors and routing (R4, R16)
export { parseVendor, speaks, type Vendor } from './vendor/vendor.model';
export * from './vendor/vendor-directory';
export * from './routing/routing.types';
export { decideRouting, queueIdOf, type RoutingRequest } from './routing/routing.policy';
export { ROUTER, routeCase, type RouteCase } from './routing/route-case.decide';

// agents seen (R4: who a case may be assigned to)
export * from './agent/agent-profile';

// a customer's own e-mail preferences (notifications of all their cases)
export * from './contact/contact-preferences';

// incident
export * from './incident/incident.model';
export * from './incident/incident.errors';
export { decideIncident, evolveIncident, incidentDecider } from './incident/incident.decider';

// help-centre articles (R5: what the help assistant suggests before a case is opened)
export * from './article/article.model';
export * from './article/article.errors';
export { articleAtRevision, articleDecider, decideArticle, evolveArticle } from './article/article.decider';

// the help assistant's intake sessions (R5–R8: before a case exists)
export * from './intake/intake.model';
export * from './intake/intake.errors';
export { caseOpenFor, decideIntake, evolveIntake, intakeDecider } from './intake/intake.decider';
