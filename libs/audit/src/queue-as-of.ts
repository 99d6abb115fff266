import { caseIdFromStreamId, PRIORITIES, type CaseStatus, type Priority } from '@app/case-domain';
import { InvalidQueueId } from './audit.errors';

/**
 * Queues as they stood at a moment, folded from case events (R16: queues are per language
 * and priority). A queue holds the cases an agent could pick up: open (not awaiting the
 * customer, not resolved or closed), unassigned, of its language and priority, ordered by
 * priority then by opening time.
 *
 * Pure: the caller chooses the events (all of them, or those recorded up to `asOf`), in
 * stream order per case. Only the fields below are read, so a reader may fetch just those.
 * A routing feature extends this by wrapping {@link evolveQueuedCase} (vendors, regions,
 * due times) and reusing {@link queueAsOf}'s shape.
 */
export interface QueueEvent {
  readonly streamId: string;
  readonly type: string;
  readonly data: QueueEventData;
}

/** The fields of case event data the fold reads (a subset of @app/case-domain's events). */
export interface QueueEventData {
  readonly caseId?: string;
  readonly at?: string;
  readonly tenant?: string;
  readonly language?: string;
  readonly priority?: string;
  readonly subject?: string;
  /** PriorityChanged */
  readonly to?: string;
  /** AgentAssigned */
  readonly agentId?: string;
}

/** What the fold knows of one case. */
export interface QueuedCase {
  readonly caseId: string;
  readonly tenant: string;
  readonly language: string;
  readonly priority: Priority;
  readonly status: CaseStatus;
  readonly assigneeId?: string;
  readonly subject: string;
  readonly openedAt: string;
}

/** Every case the events opened, by case id. */
export type QueueBoard = ReadonlyMap<string, QueuedCase>;

export interface QueueId {
  readonly language: string;
  readonly priority: Priority;
}

/** The event types that can move a case into or out of a queue; the rest change nothing here. */
export const QUEUE_EVENT_TYPES = [
  'Opened',
  'PriorityChanged',
  'AgentAssigned',
  'InfoRequested',
  'InfoProvided',
  'CustomerReplied',
  'Resolved',
  'Reopened',
  'Closed',
] as const;

/** One event folded into one case; the same transitions as the case decider's `evolve`. */
export const evolveQueuedCase = (
  current: QueuedCase | undefined,
  { type, data }: QueueEvent,
): QueuedCase | undefined => {
  if (type === 'Opened') return current ?? opened(data);
  if (!current) return undefined; // nothing happens to a case before it is opened
  switch (type) {
    case 'PriorityChanged':
      return isPriority(data.to) ? { ...current, priority: data.to } : current;
    case 'AgentAssigned':
      return { ...current, assigneeId: data.agentId };
    case 'InfoRequested':
      return { ...current, status: 'awaiting-customer' };
    case 'InfoProvided':
    case 'CustomerReplied':
      return current.status === 'awaiting-customer' ? { ...current, status: 'open' } : current;
    case 'Resolved':
      return { ...current, status: 'resolved' };
    case 'Reopened':
      return { ...current, status: 'open' };
    case 'Closed':
      return { ...current, status: 'closed' };
    default:
      return current;
  }
};

/** Folds case events (each case's in stream order) into the board of all cases they opened. */
export const queueAsOf = (events: Iterable<QueueEvent>): QueueBoard => {
  const board = new Map<string, QueuedCase>();
  for (const event of events) {
    const caseId = caseIdFromStreamId(event.streamId);
    if (caseId === null) continue;
    const next = evolveQueuedCase(board.get(caseId), event);
    if (next) board.set(caseId, next);
  }
  return board;
};

/** In the queue: open, unassigned, of the queue's language and priority. */
export const isQueued = (c: QueuedCase, queue: QueueId): boolean =>
  c.status === 'open' &&
  c.assigneeId === undefined &&
  c.priority === queue.priority &&
  c.language.toLowerCase() === queue.language;

/** Priority first (P1 before P4), then the oldest opening first; the case id breaks ties. */
export const byPriorityThenOpened = (a: QueuedCase, b: QueuedCase): number =>
  PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority) ||
  Date.parse(a.openedAt) - Date.parse(b.openedAt) ||
  (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0);

/** The queue's cases, in the order an agent would take them. */
export const queueMembers = (board: QueueBoard, queue: QueueId): QueuedCase[] =>
  [...board.values()].filter((c) => isQueued(c, queue)).sort(byPriorityThenOpened);

const QUEUE_ID = /^([a-z]{2,3}(?:-[a-z0-9]{2,8})*)-(P[1-4])$/i;

/** `fr-P2` → { language: 'fr', priority: 'P2' }; language tags may hold hyphens (`pt-br-P1`). */
export const parseQueueId = (id: string): QueueId => {
  const match = QUEUE_ID.exec(id);
  if (!match) throw new InvalidQueueId(id);
  return { language: match[1].toLowerCase(), priority: match[2].toUpperCase() as Priority };
};

export const toQueueId = ({ language, priority }: QueueId): string => `${language}-${priority}`;

const isPriority = (value: unknown): value is Priority => (PRIORITIES as readonly unknown[]).includes(value);

const opened = (data: QueueEventData): QueuedCase | undefined => {
  if (!data.caseId || !data.language || !isPriority(data.priority)) return undefined;
  return {
    caseId: data.caseId,
    tenant: data.tenant ?? '',
    language: data.language,
    priority: data.priority,
    status: 'open',
    subject: data.subject ?? '',
    openedAt: data.at ?? '',
  };
};
