import type {
  CaseStatus,
  Channel,
  EscalationTarget,
  Impact,
  InfoItem,
  Instant,
  Outcome,
  Priority,
  Requester,
  Workaround,
} from './case.types';
import type { SlaFacts } from './sla/sla.facts';
import type { CaseRouting } from '../routing/routing.types';

/**
 * The state `decide` needs, folded from the case's events by `evolve`. A union on
 * `status`: before `Opened` the case does not exist. `version` counts the events folded,
 * which is the stream version (the expected version of the next append).
 */
export interface UnopenedCase {
  readonly status: 'not-opened';
  readonly version: number;
}

export interface Escalation {
  readonly target: EscalationTarget;
  readonly reason: string;
  readonly at: Instant;
  readonly byId: string;
}

/** Staff's internal note: shown to staff only (docs/domain-model.md, "Audiences"). */
export interface InternalNote {
  readonly message: string;
  readonly at: Instant;
  readonly byId: string;
}

export interface Resolution {
  readonly outcome: Outcome;
  readonly summary: string;
  readonly recommendations?: string;
  readonly featureRequestUrl?: string;
  readonly at: Instant;
  readonly byId: string;
}

export interface OpenedCase {
  readonly status: CaseStatus;
  readonly version: number;
  readonly id: string;
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
  /** R5–R8: the intake that asked for the case */
  readonly intakeId?: string;
  readonly priority: Priority;
  readonly openedAt: Instant;
  readonly assigneeId?: string;
  /** the first agent response ever (an answer or an information request, R10) */
  readonly firstRespondedAt?: Instant;
  /** resolution cycle: 1 at opening, +1 at each reopen (R15) */
  readonly cycle: number;
  readonly cycleStartedAt: Instant;
  /** the first agent response of the current cycle: the R10 clock of this cycle stopped */
  readonly cycleFirstRespondedAt?: Instant;
  /**
   * set while awaiting the customer (R11): the items asked for so far, since when (the wait's
   * start, which identifies it: a second request during the wait keeps it) and when the
   * customer was reminded (`CustomerReminded`, once per wait)
   */
  readonly pendingInfoRequest?: {
    readonly items: readonly InfoItem[];
    readonly since: Instant;
    readonly remindedAt?: Instant;
  };
  readonly escalations: readonly Escalation[];
  /** staff's internal notes, oldest first; never shown to the customer */
  readonly notes: readonly InternalNote[];
  /** the current cycle's resolution; cleared by a reopen */
  readonly resolution?: Resolution;
  readonly closedAt?: Instant;
  readonly incidentId?: string;
  readonly creditRequest?: { readonly at: Instant; readonly reason?: string };
  readonly credit?: { readonly amount: number; readonly currency: string; readonly at: Instant; readonly byId: string };
  readonly incidentReport?: { readonly requestedAt: Instant; readonly sentAt?: Instant; readonly reportUrl?: string };
  /** ids of the surveys sent before the latest one: a survey id is used once per case */
  readonly earlierSurveyIds: readonly string[];
  /** the latest survey (one per resolution cycle) */
  readonly survey?: {
    readonly id: string;
    readonly cycle: number;
    readonly sentAt: Instant;
    readonly answer?: { readonly rating: number; readonly comment?: string; readonly at: Instant };
  };
  /** R10: what the SLA figures are computed from (terms, cycles, waits, breaches); see `slaReport` */
  readonly sla: SlaFacts;
  /** R4, R16: the vendor whose agents may see the case, and why (the latest `Routed`); absent before routing */
  readonly routing?: CaseRouting;
  /** the customer's notification e-mails (docs/notifications.md): on from the opening, `NotificationsChanged` turns them off or on */
  readonly notificationsEnabled: boolean;
}

export type CaseState = UnopenedCase | OpenedCase;

export const initialCaseState: CaseState = Object.freeze({ status: 'not-opened', version: 0 }) as UnopenedCase;

export const isOpenedCase = (state: CaseState): state is OpenedCase => state.status !== 'not-opened';
