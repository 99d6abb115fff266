import type { CaseState, Escalation, InternalNote } from './case.state';
import type { SlaReport } from './sla/sla.report';
import type { CaseStatus, Channel, Impact, InfoItem, Instant, Outcome, Priority, Workaround } from './case.types';
import { queueIdOf } from '../routing/routing.policy';
import type { RoutingReason } from '../routing/routing.types';

/**
 * The JSON shape of GET /v1/cases/{id}. Optional fields are left out when unset (never
 * `null`), so the body is the same whether it comes from a fold or from a projection.
 */
export interface CaseView {
  readonly id: string;
  readonly status: CaseStatus;
  readonly priority: Priority;
  readonly subject: string;
  readonly description: string;
  readonly product: string;
  readonly language: string;
  readonly channel: Channel;
  readonly impact: Impact;
  readonly workaround: Workaround;
  readonly relatedCaseId?: string;
  /** the help assistant's intake that asked for it (R5–R8) */
  readonly intakeId?: string;
  readonly tenant: string;
  readonly requesterId: string;
  readonly assigneeId?: string;
  readonly openedAt: Instant;
  readonly firstRespondedAt?: Instant;
  /** while awaiting the customer: what was asked, since when and when the customer was reminded (R11) */
  readonly pendingInfoRequest?: {
    readonly items: readonly InfoItem[];
    readonly since: Instant;
    readonly remindedAt?: Instant;
  };
  readonly resolvedAt?: Instant;
  readonly closedAt?: Instant;
  readonly outcome?: Outcome;
  readonly resolution?: {
    readonly summary: string;
    readonly recommendations?: string;
    readonly featureRequestUrl?: string;
  };
  readonly incidentId?: string;
  readonly escalations: readonly Escalation[];
  /** staff's internal notes, oldest first: in the staff's view only (`caseViewFor`, case-audience.ts) */
  readonly notes: readonly InternalNote[];
  readonly creditRequested: boolean;
  readonly credit?: { readonly amount: number; readonly currency: string; readonly issuedAt: Instant };
  readonly incidentReport: {
    readonly requested: boolean;
    readonly sent: boolean;
    readonly requestedAt?: Instant;
    readonly sentAt?: Instant;
    readonly reportUrl?: string;
  };
  readonly survey: {
    readonly sent: boolean;
    readonly answered: boolean;
    readonly surveyId?: string;
    readonly sentAt?: Instant;
    readonly rating?: number;
    readonly comment?: string;
    readonly answeredAt?: Instant;
  };
  /** the customer's notification e-mails about the case (docs/notifications.md): on unless turned off */
  readonly notifications: { readonly enabled: boolean };
  /** resolution cycle: 1, then +1 per reopen (R15) */
  readonly cycle: number;
  /** R10/R11: the SLA clocks and the time waiting on the customer, when the caller computed them (`slaReport`) */
  readonly sla?: SlaReport;
  /**
   * R4, R16: the vendor whose agents see the case (absent when none speaks its language),
   * why, since when, and the queue it is in now (`<language>-<priority>`); absent before routing
   */
  readonly routing?: {
    readonly vendorId?: string;
    readonly queueId: string;
    readonly reason: RoutingReason;
    readonly routedAt: Instant;
  };
  /** the stream version: the ETag the API sends (W/"<version>") */
  readonly version: number;
}

/** Drops the keys whose value is undefined, so optional fields are absent rather than undefined. */
const present = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/**
 * The case as the API shows it, or null when it was never opened (the API answers 404).
 * `version` defaults to the number of events folded into `state`. The SLA figures need a
 * calendar and the time, which the shell has: it passes `slaReport(state, …)` as `sla`.
 */
export const toCaseView = (state: CaseState, version: number = state.version, sla?: SlaReport): CaseView | null => {
  if (state.status === 'not-opened') return null;
  const { resolution, credit, incidentReport: report, survey } = state;
  return present<CaseView>({
    id: state.id,
    status: state.status,
    priority: state.priority,
    subject: state.subject,
    description: state.description,
    product: state.product,
    language: state.language,
    channel: state.channel,
    impact: state.impact,
    workaround: state.workaround,
    relatedCaseId: state.relatedCaseId,
    ...(state.intakeId === undefined ? {} : { intakeId: state.intakeId }),
    tenant: state.tenant,
    requesterId: state.requester.id,
    assigneeId: state.assigneeId,
    openedAt: state.openedAt,
    firstRespondedAt: state.firstRespondedAt,
    pendingInfoRequest: state.pendingInfoRequest,
    resolvedAt: resolution?.at,
    closedAt: state.closedAt,
    outcome: resolution?.outcome,
    resolution:
      resolution &&
      present({
        summary: resolution.summary,
        recommendations: resolution.recommendations,
        featureRequestUrl: resolution.featureRequestUrl,
      }),
    incidentId: state.incidentId,
    escalations: state.escalations,
    notes: state.notes,
    creditRequested: state.creditRequest !== undefined,
    credit: credit && { amount: credit.amount, currency: credit.currency, issuedAt: credit.at },
    incidentReport: present({
      requested: report !== undefined,
      sent: report?.sentAt !== undefined,
      requestedAt: report?.requestedAt,
      sentAt: report?.sentAt,
      reportUrl: report?.reportUrl,
    }),
    survey: present({
      sent: survey !== undefined,
      answered: survey?.answer !== undefined,
      surveyId: survey?.id,
      sentAt: survey?.sentAt,
      rating: survey?.answer?.rating,
      comment: survey?.answer?.comment,
      answeredAt: survey?.answer?.at,
    }),
    notifications: { enabled: state.notificationsEnabled },
    cycle: state.cycle,
    sla,
    routing:
      state.routing &&
      present({
        vendorId: state.routing.vendorId ?? undefined,
        queueId: queueIdOf(state.language, state.priority),
        reason: state.routing.reason,
        routedAt: state.routing.at,
      }),
    version,
  });
};
