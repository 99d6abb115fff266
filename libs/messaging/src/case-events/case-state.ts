import type { CaseStatus } from '@app/case-domain';
import type { CaseEventEnvelope } from './case-event-envelope';

/**
 * The value of a message on the compacted `<prefix>.case-state.v1` topic: the latest
 * summary of one case, keyed by case id (`contracts/state/case-state.v1.schema.json`).
 * It is a fold of the case's *published* envelopes, so it can hold nothing that the
 * events topic does not already carry. Optional fields are absent until known.
 */
export interface CaseStateSummary {
  readonly caseId: string;
  readonly tenant: string | null;
  readonly status: CaseStatus;
  readonly priority?: string;
  readonly product?: string;
  readonly language?: string;
  readonly channel?: string;
  /** pseudonymised, like every person id on these topics */
  readonly assigneeId?: string;
  /** the support vendor whose queue has the case (R4, R16); absent while none speaks its language */
  readonly vendor?: string;
  /** `<language>-<priority>`, e.g. `fr-P2`, as routed */
  readonly queueId?: string;
  readonly openedAt?: string;
  /** the case's very first agent response */
  readonly firstRespondedAt?: string;
  /** the first-response due time (R10), when the case is measured against an SLA */
  readonly firstResponseDueAt?: string;
  /** the SLA clocks breached in the current cycle (`first-response`, `resolution`) */
  readonly slaBreaches?: readonly string[];
  readonly resolvedAt?: string;
  readonly closedAt?: string;
  readonly outcome?: string;
  readonly incidentId?: string;
  readonly escalations: number;
  /** the latest survey answer */
  readonly csat?: { readonly rating: number; readonly answeredAt: string; readonly cycle?: number };
  /** the resolution cycle: 1, then 2 after a reopen… */
  readonly cycle: number;
  /** events of the case folded so far (its stream version) */
  readonly version: number;
  /** global position of the last event folded */
  readonly position: number;
  /** when the last event folded happened */
  readonly updatedAt: string;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

type Draft = { -readonly [K in keyof CaseStateSummary]: CaseStateSummary[K] };

/** Sets a field only to a defined value: the summary never holds `undefined`, so it equals its JSON round trip. */
const set = <K extends keyof Draft>(draft: Draft, key: K, value: Draft[K] | undefined): void => {
  if (value !== undefined) draft[key] = value;
};

/** Fields a new resolution cycle clears. */
const CYCLE_FIELDS = new Set<string>(['resolvedAt', 'outcome', 'slaBreaches']);

/**
 * Folds one published case event into the summary (null before the case's first event).
 * Pure and total: an unknown event type only moves `version`, `position` and `updatedAt`.
 * One shallow copy per event (the relay folds every event it publishes).
 */
export const evolveCaseState = (
  summary: CaseStateSummary | null,
  envelope: CaseEventEnvelope,
  streamVersion: number,
): CaseStateSummary => {
  const d = envelope.data;
  const at = str(d.at) ?? envelope.occurredAt;
  const s: Draft = summary
    ? { ...summary }
    : {
        caseId: envelope.caseId ?? '',
        tenant: envelope.tenant,
        status: 'open',
        escalations: 0,
        cycle: 1,
        version: 0,
        position: 0,
        updatedAt: at,
      };
  s.tenant ??= envelope.tenant;
  s.version = streamVersion;
  s.position = envelope.position;
  s.updatedAt = at;
  const firstResponse = () => {
    if (d.firstResponse === true) s.firstRespondedAt ??= at;
  };
  switch (envelope.type) {
    case 'Opened':
      s.status = 'open';
      s.openedAt = at;
      set(s, 'priority', str(d.priority));
      set(s, 'product', str(d.product));
      set(s, 'language', str(d.language));
      set(s, 'channel', str(d.channel));
      set(s, 'firstResponseDueAt', str((d.sla as Record<string, unknown> | undefined)?.firstResponseDueAt));
      return s;
    case 'PriorityChanged':
      set(s, 'priority', str(d.to));
      return s;
    case 'Routed': {
      const { vendor: _previous, ...routed }: Draft = s;
      set(routed, 'vendor', str(d.vendorId));
      set(routed, 'queueId', str(d.queueId));
      return routed;
    }
    case 'AgentAssigned':
      set(s, 'assigneeId', str(d.agentId));
      return s;
    case 'AgentResponded':
      firstResponse();
      return s;
    case 'InfoRequested':
      s.status = 'awaiting-customer';
      firstResponse();
      return s;
    case 'InfoProvided':
    case 'CustomerReplied':
      if (s.status === 'awaiting-customer') s.status = 'open';
      return s;
    case 'Escalated':
      s.escalations += 1;
      return s;
    case 'SlaBreached': {
      const clock = str(d.clock);
      const cycle = num(d.cycle);
      const breaches = s.slaBreaches ?? [];
      if (clock && (cycle === undefined || cycle === s.cycle) && !breaches.includes(clock))
        s.slaBreaches = [...breaches, clock];
      return s;
    }
    case 'LinkedToIncident':
      set(s, 'incidentId', str(d.incidentId));
      return s;
    case 'Resolved':
      s.status = 'resolved';
      s.resolvedAt = at;
      set(s, 'outcome', str(d.outcome));
      return s;
    case 'Reopened': {
      const next = Object.fromEntries(Object.entries(s).filter(([key]) => !CYCLE_FIELDS.has(key))) as Draft;
      next.status = 'open';
      next.cycle = num(d.cycle) ?? s.cycle + 1;
      return next;
    }
    case 'SurveyAnswered': {
      const rating = num(d.rating);
      const cycle = num(d.cycle);
      if (rating !== undefined)
        s.csat = cycle === undefined ? { rating, answeredAt: at } : { rating, answeredAt: at, cycle };
      return s;
    }
    case 'Closed':
      s.status = 'closed';
      s.closedAt = at;
      set(s, 'outcome', str(d.outcome));
      return s;
    default:
      return s;
  }
};
