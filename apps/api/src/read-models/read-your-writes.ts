import type { ProjectionRegistry } from '@app/projections';

/** How long a read waits for a read model to reach the caller's own write (x-log-position). */
export const READ_YOUR_WRITES_TIMEOUT_MS = 2_000;

/**
 * Waits until the projection has applied the event at global position `after` (a write's
 * `x-log-position`), at most {@link READ_YOUR_WRITES_TIMEOUT_MS}. Resolves false when it
 * had not by then: the read then answers with what there is, and says so (`caughtUp`).
 */
export const caughtUpWith = async (
  registry: ProjectionRegistry,
  projection: string,
  after?: number,
): Promise<boolean> =>
  after === undefined || (await registry.get(projection).waitForPosition(after, READ_YOUR_WRITES_TIMEOUT_MS));
