import { PRIORITIES, queueIdOf, type CaseEvent, type CaseStatus, type Instant, type Priority } from '@app/case-domain';

/**
 * One row of `case_queue`: what the queues need to know of a case (R16: per language and
 * priority; R4: routed to one vendor). Every case has a row, queued or not; a case is in a
 * queue while it is open and unassigned (see {@link isQueued}).
 */
export interface QueuedCase {
  readonly caseId: string;
  readonly tenant: string;
  /** lower-cased BCP 47 tag */
  readonly language: string;
  readonly priority: Priority;
  readonly status: CaseStatus;
  readonly assigneeId: string | null;
  /** the vendor of the latest `Routed` (null: not routed yet, or no vendor speaks the language) */
  readonly vendorId: string | null;
  /** whether a `Routed` was recorded at all (the re-router routes cases that have none) */
  readonly routed: boolean;
  /** `<language>-<priority>` now */
  readonly queueId: string;
  /** the customer's region (from the SLA terms), for routing again */
  readonly region: string | null;
  readonly subject: string;
  readonly openedAt: Instant;
  /** the first-response due time of the current cycle when an event gave one (the SLA terms of Opened, or of Reopened for a later cycle) */
  readonly firstResponseDueAt: Instant | null;
  /** an SLA of the current cycle was breached (SlaBreached) */
  readonly breached: boolean;
  readonly cycle: number;
  /** stream version of the latest event folded in: the idempotency guard */
  readonly version: number;
}

/**
 * The event types whose data the fold reads (the cases of {@link evolveQueuedCase}'s switch,
 * and `Opened`). Any other case event only moves the row's `version` (and a due time, if a
 * later schema gives one: see `dueAtOf`), so a reader that needs no version may replay just
 * these: the auditors' queue as of a moment does (libs/audit, audit-log.reader.ts, which
 * also fetches only the fields read here: keep the two in step; its tests compare it with
 * this fold on random desk histories).
 */
export const QUEUE_EVENT_TYPES = [
  'Opened',
  'Routed',
  'PriorityChanged',
  'AgentAssigned',
  'InfoRequested',
  'InfoProvided',
  'CustomerReplied',
  'SlaBreached',
  'Resolved',
  'Reopened',
  'Closed',
] as const satisfies readonly CaseEvent['type'][];

/** A case event as the log gives it: the domain event and its stream version. */
export type QueueInput = CaseEvent & { readonly streamVersion: number };

/** In a queue: open (not awaiting the customer, not resolved or closed) and held by nobody. */
export const isQueued = (c: Pick<QueuedCase, 'status' | 'assigneeId'>): boolean =>
  c.status === 'open' && c.assigneeId === null;

const dueAtOf = (data: object): string | null | undefined => {
  // "use it when present": a later schema (or a reopen's new terms) may carry a new due time
  const direct = (data as { firstResponseDueAt?: unknown }).firstResponseDueAt;
  const terms = (data as { sla?: { firstResponseDueAt?: unknown } }).sla?.firstResponseDueAt;
  const due = typeof direct === 'string' ? direct : typeof terms === 'string' ? terms : undefined;
  return due === undefined || Number.isNaN(Date.parse(due)) ? undefined : new Date(due).toISOString();
};

/**
 * Folds one case event into the case's queue row (pure; time comes from the events, so a
 * rebuild gives the same rows). Returns null for an event of a case never opened: a hole
 * the runner parks. Transitions follow the case's own `evolve`.
 */
export const evolveQueuedCase = (doc: QueuedCase | null, event: QueueInput): QueuedCase | null => {
  if (event.type === 'Opened') return doc ? { ...doc, version: event.streamVersion } : opened(event);
  if (!doc) return null;
  const next: QueuedCase = { ...doc, version: event.streamVersion };
  const due = dueAtOf(event.data);
  const withDue = due === undefined ? next : { ...next, firstResponseDueAt: due };
  switch (event.type) {
    case 'Routed':
      return { ...withDue, vendorId: event.data.vendorId, routed: true };
    case 'PriorityChanged':
      return { ...withDue, priority: event.data.to, queueId: queueIdOf(next.language, event.data.to) };
    case 'AgentAssigned':
      return { ...withDue, assigneeId: event.data.agentId };
    case 'InfoRequested':
      return { ...withDue, status: 'awaiting-customer' };
    case 'InfoProvided':
    case 'CustomerReplied':
      return next.status === 'awaiting-customer' ? { ...withDue, status: 'open' } : withDue;
    case 'SlaBreached':
      return event.data.cycle === next.cycle ? { ...withDue, breached: true } : withDue;
    case 'Resolved':
      return { ...withDue, status: 'resolved' };
    case 'Reopened':
      // a new cycle: its clocks start again; its due time is in Reopened.sla (R10, R15), absent
      // only from reopens recorded before the reopen carried it (those sort last, as before)
      return { ...next, status: 'open', cycle: event.data.cycle, breached: false, firstResponseDueAt: due ?? null };
    case 'Closed':
      return { ...withDue, status: 'closed' };
    default:
      return withDue;
  }
};

const opened = ({ data, streamVersion }: Extract<QueueInput, { type: 'Opened' }>): QueuedCase => {
  const language = data.language.trim().toLowerCase();
  return {
    caseId: data.caseId,
    tenant: data.tenant,
    language,
    priority: data.priority,
    status: 'open',
    assigneeId: null,
    vendorId: null,
    routed: false,
    queueId: queueIdOf(language, data.priority),
    region: data.sla?.region ?? null,
    subject: data.subject,
    openedAt: data.at,
    firstResponseDueAt: dueAtOf(data) ?? null,
    breached: false,
    cycle: 1,
    version: streamVersion,
  };
};

/** P1 → 1 … P4 → 4: the queue order's priority rank. */
export const priorityRank = (priority: Priority): number => PRIORITIES.indexOf(priority) + 1;
