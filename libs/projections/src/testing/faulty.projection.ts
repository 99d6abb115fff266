import type { RecordedEvent, SqlQueryable } from '@app/event-store';
import type { Projection } from '../projection';

/** An error that says a retry helps, as a dropped connection does (`pg` reports ECONNRESET). */
export class ConnectionLostForTest extends Error {
  readonly code = 'ECONNRESET';
  constructor() {
    super('Connection terminated unexpectedly (simulated)');
  }
}

/** A bug in a projection: not retriable, so the event is parked. */
export class PoisonEventForTest extends Error {
  constructor(event: RecordedEvent) {
    super(`cannot apply ${event.type} #${event.streamVersion}`);
  }
}

/**
 * The same projection, but `before` runs ahead of each event of a batch (all of them before
 * the batch is applied), inside the batch's transaction, and may throw (or act on the
 * connection) to simulate a failure there.
 */
export const withFault = <T extends string>(
  projection: Projection<T>,
  before: (event: RecordedEvent, tx: SqlQueryable) => void | Promise<void>,
  overrides: Partial<Pick<Projection<T>, 'name' | 'version'>> = {},
): Projection<T> => {
  const { applyNewStreams } = projection;
  return {
    ...projection,
    ...overrides,
    applyBatch: async (tx, events, tables) => {
      for (const event of events) await before(event, tx);
      await projection.applyBatch(tx, events, tables);
    },
    // a rebuild's pass stream by stream meets the same faults
    ...(applyNewStreams && {
      applyNewStreams: async (tx, events, tables) => {
        for (const event of events) await before(event, tx);
        await applyNewStreams.call(projection, tx, events, tables);
      },
    }),
  };
};

/**
 * The same projection, but its connection is lost once, at the `nth` event it applies
 * (counting from 1, across batches); `lost` resolves at that moment.
 */
export const connectionLostAt = <T extends string>(
  projection: Projection<T>,
  nth: number,
): { readonly projection: Projection<T>; readonly lost: Promise<void> } => {
  let applied = 0;
  let markLost!: () => void;
  const lost = new Promise<void>((resolve) => (markLost = resolve));
  const dying = withFault(projection, () => {
    applied += 1;
    if (applied === nth) {
      markLost();
      throw new ConnectionLostForTest();
    }
  });
  return { projection: dying, lost };
};
