import type { CaseEvent, CaseStatus, Channel, Instant, Outcome, Priority } from '@app/case-domain';

/** One row of `case_summaries`: what a queue or a list of cases shows, one per case. */
export interface CaseSummary {
  readonly caseId: string;
  readonly tenant: string;
  readonly status: CaseStatus;
  readonly priority: Priority;
  readonly language: string;
  readonly channel: Channel;
  readonly subject: string;
  readonly product: string;
  readonly requesterId: string;
  readonly assigneeId: string | null;
  /**
   * R4: the vendor of the case's latest `Routed`, lower-cased (as `canSeeCase` compares it);
   * null until the case is routed, and when it was routed to nobody (no vendor speaks its
   * language). Only that vendor's agents see the case in lists.
   */
  readonly vendorId: string | null;
  readonly incidentId: string | null;
  /** of the current resolution cycle; cleared by a reopen */
  readonly outcome: Outcome | null;
  readonly openedAt: Instant;
  /** when the latest event happened (its `at`); not moved by an internal note, which customers never see */
  readonly updatedAt: Instant;
  readonly resolvedAt: Instant | null;
  readonly closedAt: Instant | null;
  readonly cycle: number;
  readonly escalationCount: number;
  readonly creditIssued: boolean;
  readonly surveyRating: number | null;
  /** the stream version of the latest event folded in: the idempotency guard */
  readonly version: number;
  readonly lastGlobalPosition: number;
}

/** A case event as the log gives it: the domain event plus its place. */
export type CaseSummaryInput = CaseEvent & { readonly streamVersion: number; readonly globalPosition: number };

/**
 * Folds one case event into the summary (pure, docs/conventions.md). Every event moves
 * `version`, `lastGlobalPosition` and `updatedAt`, also one that changes nothing else; but
 * an internal note leaves `updatedAt` (customers see the list: a note must not show).
 * Returns null for an event of a case that was never opened: there is nothing to show.
 * Time comes from the event, never from a clock, so a rebuild gives the same rows.
 */
export const evolveCaseSummary = (doc: CaseSummary | null, event: CaseSummaryInput): CaseSummary | null => {
  const { data } = event;
  const moved = { version: event.streamVersion, lastGlobalPosition: event.globalPosition, updatedAt: data.at };
  if (event.type === 'Opened') return doc ? { ...doc, ...moved } : opened(event, moved);
  if (!doc) return null;
  const next: CaseSummary = { ...doc, ...moved };
  switch (event.type) {
    case 'PriorityChanged':
      return { ...next, priority: event.data.to };
    case 'AgentAssigned':
      return { ...next, assigneeId: event.data.agentId };
    case 'Routed':
      // the latest decision wins, as in the case's own evolve (a re-route moves the case)
      return { ...next, vendorId: event.data.vendorId?.trim().toLowerCase() ?? null };
    case 'InfoRequested':
      return { ...next, status: 'awaiting-customer' };
    case 'InfoProvided':
    case 'CustomerReplied':
      // the customer's answer puts a waiting case back in the agents' hands (R11)
      return event.data.endsWait ? { ...next, status: 'open' } : next;
    case 'Escalated':
      return { ...next, escalationCount: next.escalationCount + 1 };
    case 'LinkedToIncident':
      return { ...next, incidentId: event.data.incidentId };
    case 'Resolved':
      return {
        ...next,
        status: 'resolved',
        outcome: event.data.outcome,
        resolvedAt: event.data.at,
        incidentId: event.data.incidentId ?? next.incidentId,
      };
    case 'Reopened':
      return { ...next, status: 'open', cycle: event.data.cycle, outcome: null, resolvedAt: null };
    case 'Closed':
      return { ...next, status: 'closed', outcome: event.data.outcome, closedAt: event.data.at };
    case 'CreditIssued':
      return { ...next, creditIssued: true };
    case 'SurveyAnswered':
      return { ...next, surveyRating: event.data.rating };
    case 'InternalNoteAdded':
      return { ...next, updatedAt: doc.updatedAt };
    default:
      // AgentResponded, CreditRequested, IncidentReport*, SurveySent: only the version moves
      return next;
  }
};

const opened = (
  { data }: Extract<CaseSummaryInput, { type: 'Opened' }>,
  moved: Pick<CaseSummary, 'version' | 'lastGlobalPosition' | 'updatedAt'>,
): CaseSummary => ({
  caseId: data.caseId,
  tenant: data.tenant,
  status: 'open',
  priority: data.priority,
  language: data.language,
  channel: data.channel,
  subject: data.subject,
  product: data.product,
  requesterId: data.requester.id,
  assigneeId: null,
  vendorId: null,
  incidentId: null,
  outcome: null,
  openedAt: data.at,
  resolvedAt: null,
  closedAt: null,
  cycle: 1,
  escalationCount: 0,
  creditIssued: false,
  surveyRating: null,
  ...moved,
});
