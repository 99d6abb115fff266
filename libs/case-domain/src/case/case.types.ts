/**
 * The vocabulary of a case, shared by commands, events, state and view. Each closed set is
 * also exported as an array so the API can validate DTOs against the same list (`@IsIn`).
 */

/** The four statuses the API shows (exact strings). */
export const CASE_STATUSES = ['open', 'awaiting-customer', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** R9 */
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** R8 */
export const CHANNELS = ['chat', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

/** R9 intake answers */
export const SERVICE_STATES = ['unusable', 'not-as-expected', 'works-not-as-desired'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];
export const IMPACT_SCOPES = ['several-users', 'one-user'] as const;
export type ImpactScope = (typeof IMPACT_SCOPES)[number];
export const WORKAROUNDS = ['none', 'available'] as const;
export type Workaround = (typeof WORKAROUNDS)[number];

export interface Impact {
  readonly serviceState: ServiceState;
  readonly scope: ImpactScope;
  readonly collaborationHarmed: boolean;
}

/** The intake answers the priority is derived from (R9). */
export interface PriorityIntake {
  readonly impact: Impact;
  readonly workaround: Workaround;
}

/** R11 */
export const INFO_ITEMS = ['reproduction-steps', 'troubleshooting', 'logs', 'message-headers'] as const;
export type InfoItem = (typeof INFO_ITEMS)[number];

/** R13 */
export const ESCALATION_TARGETS = ['product-team', 'third-party', 'supervisor'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

/** R12: the outcomes staff choose when they resolve a case (the only ones `POST …/resolution` accepts) */
export const STAFF_OUTCOMES = [
  'solved',
  'feature-request',
  'cannot-reproduce',
  'third-party',
  'out-of-scope',
  'outage',
] as const;

/**
 * R11, R12: the case waited on the customer for WAITING_AUTO_CLOSE business days with no
 * answer, and the waiting timer resolved it. Recorded by the system only, never chosen by staff.
 */
export const NO_CUSTOMER_ANSWER = 'no-customer-answer';

/** Every outcome a resolution may record: staff's (R12) and the waiting auto-close's. */
export const OUTCOMES = [...STAFF_OUTCOMES, NO_CUSTOMER_ANSWER] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** R11: an attachment travels by reference; the bytes live elsewhere. */
export interface Attachment {
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
  /** hex SHA-256 of the content, 64 characters */
  readonly sha256: string;
}

export interface Requester {
  readonly id: string;
  readonly email: string;
}

/** ISO 8601 instant in UTC, as events store it (`Date#toISOString()`). */
export type Instant = string;

/**
 * R10: the SLA clocks of a resolution cycle. `first-response` runs from the cycle's start to
 * the first agent response or information request; `resolution` runs to the resolution and
 * is paused while the case waits on the customer (R11). docs/sla.md has the rules.
 */
export const SLA_CLOCKS = ['first-response', 'resolution'] as const;
export type SlaClock = (typeof SLA_CLOCKS)[number];

/** What GET /v1/cases/{id} shows of a clock. */
export const SLA_CLOCK_STATES = ['running', 'paused', 'met', 'breached'] as const;
export type SlaClockState = (typeof SLA_CLOCK_STATES)[number];

/**
 * R10: what measures a case, fixed at opening and recorded in `Opened`: the calendar of the
 * customer's region (id and version) and the SLA policy's version, so that every figure
 * can be recomputed later (`slaOf`). The shell computes them (it holds the calendars); the
 * domain records them.
 */
export interface SlaTerms {
  readonly calendarId: string;
  readonly calendarVersion: number | string;
  readonly policyVersion: number | string;
  /** the customer region the calendar was chosen for; absent when the policy's default applied */
  readonly region?: string;
  /** the first-response target of the priority at opening, in ms of business time */
  readonly firstResponseTargetMs: number;
  /** opening + that target in business time (`addBusinessTime`) */
  readonly firstResponseDueAt: Instant;
}

/**
 * R10, R15: the first-response terms of a resolution cycle a reopen starts, computed by the
 * shell as `SlaTerms` are (the calendar fixed at opening, the priority in force now) and
 * recorded in `Reopened.sla`, so that readers (the queues) know the new cycle's due time.
 */
export interface CycleSlaTerms {
  /** the first-response target of the priority in force at the reopen, in ms of business time */
  readonly firstResponseTargetMs: number;
  /** the reopen + that target in business time (`addBusinessTime`), in the case's calendar */
  readonly firstResponseDueAt: Instant;
}
