import type { EventStore, NewEvent } from '@app/event-store';

/** One append of a generated history (`deskHistory` of @app/case-domain/testing yields these). */
export interface HistoryAppend {
  readonly caseId: string;
  readonly streamId: string;
  readonly expectedVersion: number;
  readonly events: readonly NewEvent[];
}

/**
 * Appends a generated history to a store, one append after the other; resolves to the cases
 * that got events, in the order they first did, and the event count. `afterAppend` runs after
 * each append with the count so far (for example to stop a runner part way).
 */
export const appendHistory = async (
  store: EventStore,
  appends: Iterable<HistoryAppend>,
  afterAppend?: (appended: number) => void | Promise<void>,
): Promise<{ caseIds: string[]; events: number }> => {
  const caseIds = new Set<string>();
  let events = 0;
  for (const append of appends) {
    await store.appendToStream(append.streamId, append.events, append.expectedVersion);
    caseIds.add(append.caseId);
    events += append.events.length;
    await afterAppend?.(events);
  }
  return { caseIds: [...caseIds], events };
};
