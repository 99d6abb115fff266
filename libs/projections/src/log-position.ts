import { logReader, type LogCheckpoint, type SqlQueryable } from '@app/event-store';

/**
 * A global position's place in the log (what `?after=` and the live stream's `Last-Event-ID`
 * name), or undefined: the store's `checkpointAt` on `q`.
 */
export const checkpointOfPosition = (q: SqlQueryable, globalPosition: number): Promise<LogCheckpoint | undefined> =>
  logReader(q).checkpointAt(globalPosition);
