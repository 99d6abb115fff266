import type {
  Attachment,
  Channel,
  CycleSlaTerms,
  EscalationTarget,
  Impact,
  InfoItem,
  Instant,
  Outcome,
  Priority,
  Requester,
  SlaClock,
  SlaTerms,
  Workaround,
} from './case.types';
import type { RoutingCandidate, RoutingReason, RoutingTrigger } from '../routing/routing.types';

/**
 * Events of the case stream (`case-<id>`). Names are the policy's (docs/domain-model.md)
 * and never change: a new shape gets a new `schemaVersion` and an upcaster on read
 * (docs/conventions.md). Every event's data says which case (`caseId`), when (`at`, ISO
 * UTC) and who (`byId`, the actor's id), so a reader needs nothing but the event. Data
 * holds only JSON values: it must come back from the store's jsonb column equal to what
 * was written.
 */
export const CASE_EVENT_SCHEMA_VERSIONS = {
  Opened: 1,
  PriorityChanged: 1,
  AgentAssigned: 1,
  AgentResponded: 1,
  InfoRequested: 1,
  InfoProvided: 1,
  CustomerReplied: 1,
  Escalated: 1,
  SlaBreached: 1,
  LinkedToIncident: 1,
  Resolved: 1,
  Reopened: 1,
  CreditRequested: 1,
  CreditIssued: 1,
  IncidentReportRequested: 1,
  IncidentReportSent: 1,
  SurveySent: 1,
  SurveyAnswered: 1,
  Closed: 1,
  NotificationsChanged: 1,
  Routed: 1,
  InternalNoteAdded: 1,
  CustomerReminded: 1,
} as const;

export type CaseEventType = keyof typeof CASE_EVENT_SCHEMA_VERSIONS;
export const CASE_EVENT_TYPES = Object.keys(CASE_EVENT_SCHEMA_VERSIONS) as CaseEventType[];

interface CaseEventBase {
  readonly caseId: string;
  readonly at: Instant;
  readonly byId: string;
}

export interface CaseEventDataMap {
  Opened: CaseEventBase & {
    readonly tenant: string;
    readonly requester: Requester;
    readonly subject: string;
    readonly description: string;
    readonly product: string;
    readonly language: string;
    readonly channel: Channel;
    readonly impact: Impact;
    readonly workaround: Workaround;
    readonly relatedCaseId?: string;
    /** the help assistant's intake that asked for the case (R5–R8); absent for `POST /v1/cases` */
    readonly intakeId?: string;
    /** derived from the intake by `priorityFor` (R9) */
    readonly priority: Priority;
    /** R10: the calendar and policy that measure the case, and the first-response due time */
    readonly sla?: SlaTerms;
  };
  PriorityChanged: CaseEventBase & { readonly from: Priority; readonly to: Priority; readonly reason: string };
  AgentAssigned: CaseEventBase & {
    readonly agentId: string;
    readonly previousAgentId?: string;
    /** true when the case was taken from another agent (a supervisor's reassignment) */
    readonly forced: boolean;
  };
  /** `firstResponse`: the first agent response of this resolution cycle (R10's clock stops). */
  AgentResponded: CaseEventBase & {
    readonly agentId: string;
    readonly message: string;
    readonly firstResponse: boolean;
  };
  InfoRequested: CaseEventBase & {
    readonly agentId: string;
    readonly items: readonly InfoItem[];
    readonly message: string;
    readonly firstResponse: boolean;
  };
  /** `endsWait`: the case was awaiting the customer and goes back to the agents (R11). */
  InfoProvided: CaseEventBase & {
    readonly message: string;
    readonly attachments: readonly Attachment[];
    readonly endsWait: boolean;
  };
  /** `attachments`: only when the reply has some (events written before had none), as `InfoProvided`'s */
  CustomerReplied: CaseEventBase & {
    readonly message: string;
    readonly attachments?: readonly Attachment[];
    readonly endsWait: boolean;
  };
  Escalated: CaseEventBase & { readonly target: EscalationTarget; readonly reason: string };
  /**
   * R10: a clock of a resolution cycle ran past its target without stopping. Recorded by the
   * scheduler when it happens (`at`, within seconds of `dueAt`), once per clock and cycle,
   * with the figures it was judged on so that reports never need to recompute it.
   */
  SlaBreached: CaseEventBase & {
    readonly clock: SlaClock;
    readonly cycle: number;
    readonly priority: Priority;
    /** the last instant at which the clock was still within its target */
    readonly dueAt: Instant;
    readonly targetMs: number;
    readonly calendarId: string;
    readonly calendarVersion: number | string;
    readonly policyVersion: number | string;
  };
  LinkedToIncident: CaseEventBase & { readonly incidentId: string };
  Resolved: CaseEventBase & {
    readonly outcome: Outcome;
    readonly summary: string;
    readonly recommendations?: string;
    readonly featureRequestUrl?: string;
    readonly incidentId?: string;
    /** the resolution cycle this ends (1, then 2 after a reopen…) */
    readonly cycle: number;
  };
  /**
   * R15: a new resolution cycle; `cycle` is the cycle this reopen starts. `sla` (when the
   * case has SLA terms): the new cycle's first-response target and due time, computed by
   * the shell as `Opened.sla`'s.
   */
  Reopened: CaseEventBase & { readonly reason: string; readonly cycle: number; readonly sla?: CycleSlaTerms };
  CreditRequested: CaseEventBase & { readonly incidentId: string; readonly reason?: string };
  CreditIssued: CaseEventBase & { readonly incidentId: string; readonly amount: number; readonly currency: string };
  IncidentReportRequested: CaseEventBase & { readonly incidentId: string };
  IncidentReportSent: CaseEventBase & { readonly incidentId: string; readonly reportUrl: string };
  SurveySent: CaseEventBase & { readonly surveyId: string; readonly cycle: number };
  SurveyAnswered: CaseEventBase & {
    readonly surveyId: string;
    readonly rating: number;
    readonly comment?: string;
    /** the cycle the answered survey was sent for */
    readonly cycle: number;
  };
  Closed: CaseEventBase & { readonly outcome: Outcome; readonly cycle: number };
  /** The customer turned the case's notification e-mails off (`enabled` false) or on again (docs/notifications.md). */
  NotificationsChanged: CaseEventBase & { readonly enabled: boolean };
  /**
   * R4, R16: the case goes to a vendor's queue. Recorded right after `Opened`, and again
   * when the decision changes (the vendor's shift ended with the case unassigned), so the
   * history shows who could see the case and why. Only the named vendor's agents see it.
   */
  Routed: CaseEventBase & {
    /** null when no vendor speaks the case's language: then only supervisors see it */
    readonly vendorId: string | null;
    /** `<language>-<priority>` when it was routed, e.g. `fr-P2` */
    readonly queueId: string;
    readonly reason: RoutingReason;
    readonly trigger: RoutingTrigger;
    /** every vendor speaking the language, best first, with whether it was at work */
    readonly candidates: readonly RoutingCandidate[];
    /** the vendor it had before (absent on the first routing) */
    readonly previousVendorId?: string | null;
  };
  /** Staff's note on the case: shown to staff only, never to the customer, on Kafka or in an e-mail. */
  InternalNoteAdded: CaseEventBase & { readonly message: string };
  /**
   * R11: the customer was reminded that the case awaits their answer (the waiting timer,
   * WAITING_REMINDER business days into the wait); once per wait. The reminder e-mail goes
   * out from this event.
   */
  CustomerReminded: CaseEventBase & {
    /** the resolution cycle of the wait */
    readonly cycle: number;
    /** when the wait began: the `InfoRequested` that started it (`pendingInfoRequest.since`) */
    readonly waitingSince: Instant;
  };
}

export type CaseEventOf<T extends CaseEventType> = {
  readonly type: T;
  readonly schemaVersion: (typeof CASE_EVENT_SCHEMA_VERSIONS)[T];
  readonly data: CaseEventDataMap[T];
};

/** Structurally a `NewEvent` of `@app/event-store`; the API adds `metadata` (actor, tenant, correlation). */
export type CaseEvent = { [T in CaseEventType]: CaseEventOf<T> }[CaseEventType];

/** Builds an event with its type's schema version. */
export const caseEvent = <T extends CaseEventType>(type: T, data: CaseEventDataMap[T]): CaseEventOf<T> => ({
  type,
  schemaVersion: CASE_EVENT_SCHEMA_VERSIONS[type],
  data,
});

export type Opened = CaseEventOf<'Opened'>;
export type Resolved = CaseEventOf<'Resolved'>;
export type CreditIssued = CaseEventOf<'CreditIssued'>;
export type SlaBreached = CaseEventOf<'SlaBreached'>;
export type Routed = CaseEventOf<'Routed'>;
