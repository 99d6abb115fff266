import type { Actor } from '../shared/decider';
import type { RouteCase } from '../routing/route-case.decide';

export type { RouteCase };
import type {
  Attachment,
  Channel,
  CycleSlaTerms,
  EscalationTarget,
  Impact,
  InfoItem,
  Outcome,
  Priority,
  Requester,
  SlaClock,
  SlaTerms,
  Workaround,
} from './case.types';

/**
 * Commands to the case aggregate, one per use case of the API. Every command names the
 * case and carries the `actor` so events can say who; whether that actor may send it is
 * the API's check (roles, tenancy: R1–R4), whether the case's state allows it is ours.
 */
interface CaseCommandOf<T extends string> {
  readonly type: T;
  readonly caseId: string;
  readonly actor: Actor;
}

/** R5–R9: the end of the intake funnel. The priority is derived, never typed in (R9). */
export interface OpenCase extends CaseCommandOf<'OpenCase'> {
  /** the customer organisation */
  readonly tenant: string;
  readonly requester: Requester;
  readonly subject: string;
  readonly description: string;
  readonly product: string;
  /** BCP 47 tag, e.g. `fr`, `en-GB` (R8) */
  readonly language: string;
  readonly channel: Channel;
  readonly impact: Impact;
  readonly workaround: Workaround;
  /** a case this one follows, e.g. after a closed case came back (R6, R15) */
  readonly relatedCaseId?: string;
  /** R5–R8: the help assistant's intake that asked for this case (none for an integration's open) */
  readonly intakeId?: string;
  /**
   * R3: the related case as the shell found it (its organisation), or null when there is no
   * such case; required with `relatedCaseId`. A case of another organisation is refused as
   * unknown, like one that does not exist.
   */
  readonly relatedCase?: { readonly tenant: string } | null;
  /**
   * R10: computed by the shell, which holds the calendars and the SLA policy (the domain
   * does no calendar arithmetic in `decide`); recorded as given in `Opened`.
   */
  readonly sla?: SlaTerms;
}

/**
 * R4: who would hold a case, as the shell knows them (the domain keeps no directory): an
 * agent's vendor and languages (from the agent's own token on a claim, from the agents
 * directory when a supervisor names someone), or a supervisor claiming it for themselves.
 */
export type Assignee =
  | { readonly kind: 'agent'; readonly vendorId: string; readonly languages: readonly string[] }
  | { readonly kind: 'supervisor' };

/** An agent claims a case, or a supervisor (re)assigns it; `force` takes it from its holder. */
export interface AssignCase extends CaseCommandOf<'AssignCase'> {
  readonly agentId: string;
  readonly byId: string;
  readonly force?: boolean;
  /** R4: who `agentId` is (required); null: no agent with that id is known */
  readonly assignee?: Assignee | null;
}

export interface RespondToCase extends CaseCommandOf<'RespondToCase'> {
  readonly agentId: string;
  readonly message: string;
}

/** R11 */
export interface RequestInfo extends CaseCommandOf<'RequestInfo'> {
  readonly agentId: string;
  readonly items: readonly InfoItem[];
  readonly message: string;
}

/** R11: the customer's answer, with attachments by reference. */
export interface ProvideInfo extends CaseCommandOf<'ProvideInfo'> {
  readonly message: string;
  readonly attachments?: readonly Attachment[];
}

/**
 * The customer writes on the case. On a resolved case within the reopen window (not closed
 * yet) the reply reopens it (R15: the survey e-mail says so): `Reopened`, then the reply.
 */
export interface ReplyToCase extends CaseCommandOf<'ReplyToCase'> {
  readonly message: string;
  /** files by reference (R11), as `ProvideInfo.attachments`; with some, the message may be empty */
  readonly attachments?: readonly Attachment[];
  /** R10: when the reply reopens the case, the new cycle's first-response terms (as `ReopenCase.sla`) */
  readonly sla?: CycleSlaTerms;
}

/** R13 */
export interface EscalateCase extends CaseCommandOf<'EscalateCase'> {
  readonly target: EscalationTarget;
  readonly reason: string;
}

/** R9: an agent or supervisor overrides the derived priority, with a reason. */
export interface ChangePriority extends CaseCommandOf<'ChangePriority'> {
  readonly priority: Priority;
  readonly reason: string;
}

/** R12 */
export interface ResolveCase extends CaseCommandOf<'ResolveCase'> {
  readonly outcome: Outcome;
  readonly summary: string;
  /** required for `cannot-reproduce` (R12: recommendations are given) */
  readonly recommendations?: string;
  /** only with `feature-request`: where the customer can propose the feature */
  readonly featureRequestUrl?: string;
}

/** R15: the customer says a resolved case is not solved. */
export interface ReopenCase extends CaseCommandOf<'ReopenCase'> {
  readonly reason: string;
  /** R10: the new cycle's first-response terms, computed by the shell; recorded in `Reopened.sla` */
  readonly sla?: CycleSlaTerms;
}

/** R14: the caller has checked that the incident exists. */
export interface LinkToIncident extends CaseCommandOf<'LinkToIncident'> {
  readonly incidentId: string;
}

/** R14 */
export interface RequestCredit extends CaseCommandOf<'RequestCredit'> {
  readonly reason?: string;
}

/** R14: a supervisor approves and issues the credit. */
export interface IssueCredit extends CaseCommandOf<'IssueCredit'> {
  readonly amount: number;
  /** ISO 4217 code, e.g. `EUR` */
  readonly currency: string;
}

/** R14 */
export type RequestIncidentReport = CaseCommandOf<'RequestIncidentReport'>;

/** R14 */
export interface SendIncidentReport extends CaseCommandOf<'SendIncidentReport'> {
  readonly reportUrl: string;
}

/** R15, system: see `afterCaseEvent` for the id. */
export interface SendSurvey extends CaseCommandOf<'SendSurvey'> {
  readonly surveyId: string;
}

/** R15 */
export interface AnswerSurvey extends CaseCommandOf<'AnswerSurvey'> {
  /** integer 1..5 */
  readonly rating: number;
  readonly comment?: string;
  /** the survey answered (from the e-mailed link's token); absent: the latest survey */
  readonly surveyId?: string;
}

/**
 * R10, system: the scheduler records that a clock ran past its target. It computes the
 * figures with `slaOf` (calendar and policy are the shell's); the domain checks the rules:
 * once per clock and cycle, never before `dueAt`, ignored when the clock had stopped or been
 * paused by then, or when the cycle is over.
 */
export interface RecordSlaBreach extends CaseCommandOf<'RecordSlaBreach'> {
  readonly clock: SlaClock;
  readonly cycle: number;
  readonly dueAt: string;
  readonly targetMs: number;
  readonly calendarId: string;
  readonly calendarVersion: number | string;
  readonly policyVersion: number | string;
  /** escalate to supervisors along with the breach when the case is P1 or P2 (AUTO_ESCALATE_ON_BREACH) */
  readonly escalate?: boolean;
}

/** R15, system: the auto-close timer, a configured number of days after resolution. */
export type CloseCase = CaseCommandOf<'CloseCase'>;

/**
 * The customer turns the case's notification e-mails off (or on again): with `enabled`
 * false, no e-mail is sent about the case's later events but the survey, the information
 * requests and their reminders (docs/notifications.md).
 */
export interface SetNotifications extends CaseCommandOf<'SetNotifications'> {
  readonly enabled: boolean;
}

/**
 * R11, system: the waiting timer reminds the customer that the case awaits their answer,
 * WAITING_REMINDER business days into the wait; once per wait (the wait is the one in
 * progress, identified by its start: `pendingInfoRequest.since`).
 */
export interface RemindCustomer extends CaseCommandOf<'RemindCustomer'> {
  /** the resolution cycle the wait belongs to */
  readonly cycle: number;
}

/**
 * Staff write a note on the case for each other (agents of the case's vendor, supervisors):
 * never shown to the customer, never published, never e-mailed (docs/domain-model.md, "Audiences").
 */
export interface AddInternalNote extends CaseCommandOf<'AddInternalNote'> {
  readonly message: string;
}

export type CaseCommand =
  | OpenCase
  | AssignCase
  | RespondToCase
  | RequestInfo
  | ProvideInfo
  | ReplyToCase
  | EscalateCase
  | RecordSlaBreach
  | ChangePriority
  | ResolveCase
  | ReopenCase
  | LinkToIncident
  | RequestCredit
  | IssueCredit
  | RequestIncidentReport
  | SendIncidentReport
  | SendSurvey
  | AnswerSurvey
  | CloseCase
  | SetNotifications
  | AddInternalNote
  | RemindCustomer
  /** R4, R16, system: the router's decision (routing/route-case.decide.ts) */
  | RouteCase;

export type CaseCommandType = CaseCommand['type'];
