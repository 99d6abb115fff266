import { caseIdFromStreamId, queueIdOf, type Priority } from '@app/case-domain';
import { compareQueued, evolveQueuedCase, isQueued, type QueuedCase, type QueueInput } from '@app/read-models';
import { InvalidQueueId } from './audit.errors';

/**
 * Queues as they stood at a moment, folded from case events (R16: queues are per language
 * and priority; R4: a case is in its vendor's queue, the vendor of its latest `Routed`).
 *
 * There is one definition of a queue: the live `case_queue` projection's fold
 * (`evolveQueuedCase` of @app/read-models), its membership (`isQueued`: open and unassigned)
 * and its order (`compareQueued`, the twin of the live query's `ORDER BY`: breached first,
 * then priority, first-response due time, opening). This module only feeds that fold with
 * the events recorded up to a moment instead of the whole log, so a replay as of now gives
 * the live queue, routing included.
 *
 * Pure: the caller chooses the events (all of them, or those recorded up to `asOf`), in
 * stream order per case.
 */

/** A recorded case event as the fold reads it: the event, its stream and its version there. */
export type QueueEvent = QueueInput & { readonly streamId: string };

/** What a replayed queue shows of a case: the live row without its idempotency guard (`version`). */
export type QueuedCaseAsOf = Omit<QueuedCase, 'version'>;

/** Every case the events opened, by case id. */
export type QueueBoard = ReadonlyMap<string, QueuedCase>;

export interface QueueId {
  readonly language: string;
  readonly priority: Priority;
}

export interface QueueFilter extends QueueId {
  /** only the cases routed to this vendor (what its agents saw); absent: every vendor's, and unrouted ones */
  readonly vendorId?: string;
}

/** Folds case events (each case's in stream order) into the board of all cases they opened. */
export const queueAsOf = (events: Iterable<QueueEvent>): QueueBoard => {
  const board = new Map<string, QueuedCase>();
  for (const event of events) {
    const caseId = caseIdFromStreamId(event.streamId);
    if (caseId === null) continue;
    const doc = board.get(caseId) ?? null;
    // the projection's own guard: an event already folded in changes nothing
    if (doc && event.streamVersion <= doc.version) continue;
    const next = evolveQueuedCase(doc, event);
    if (next) board.set(caseId, next); // null: an event before the case was opened (the projection parks it)
  }
  return board;
};

/** The queue's cases, in the order an agent would take them (the live queue's order). */
export const queueMembers = (board: QueueBoard, { language, priority, vendorId }: QueueFilter): QueuedCaseAsOf[] => {
  const queueId = queueIdOf(language, priority);
  return [...board.values()]
    .filter((c) => isQueued(c) && c.queueId === queueId && (vendorId === undefined || c.vendorId === vendorId))
    .sort(compareQueued)
    .map(({ version: _version, ...shown }) => shown);
};

const QUEUE_ID = /^([a-z]{2,3}(?:-[a-z0-9]{2,8})*)-(P[1-4])$/i;

/** `fr-P2` → { language: 'fr', priority: 'P2' }; language tags may hold hyphens (`pt-br-P1`). */
export const parseQueueId = (id: string): QueueId => {
  const match = QUEUE_ID.exec(id);
  if (!match) throw new InvalidQueueId(id);
  return { language: match[1].toLowerCase(), priority: match[2].toUpperCase() as Priority };
};

export const toQueueId = ({ language, priority }: QueueId): string => `${language}-${priority}`;
