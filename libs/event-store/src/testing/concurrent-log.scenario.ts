import { randomUUID } from 'node:crypto';
import { waitFor } from '@app/testing';
import { compareCheckpoints } from '../event-rows';
import type { AppendResult, LogCheckpoint, RecordedEvent } from '../event-store.port';
import type { EventStoreFixture } from './sql-event-store.fixture';

export interface ConcurrentLogReport {
  readonly written: ReadonlySet<string>;
  /** how many times the follower delivered each event id of the scenario */
  readonly deliveries: ReadonlyMap<string, number>;
  /** a stream's event delivered out of version order */
  readonly orderFaults: readonly string[];
  /** held transactions that saw a later transaction commit before them */
  readonly outOfOrderCommits: number;
  /** events readAll returned past a transaction that was still open: a reader would skip it */
  readonly leaks: readonly string[];
}

/**
 * `writers` concurrent writers append `rounds` events to each of `streams` streams while
 * one follower reads the global log. Some appends hold their transaction open until a
 * later transaction has committed past them: exactly the case where a reader that goes
 * by position alone skips events. While held, readAll must not show the later events.
 */
export const runConcurrentLog = async (
  fx: EventStoreFixture,
  { writers = 8, streams = 200, rounds = 3, holds = 12, followTimeoutMs = 5_000 } = {},
): Promise<ConcurrentLogReport> => {
  const { store } = fx;
  const prefix = `log-${randomUUID()}-`;
  const total = streams * rounds;
  const deliveries = new Map<string, number>();
  const lastVersion = new Map<string, number>();
  const orderFaults: string[] = [];
  const leaks: string[] = [];
  const written = new Set<string>();
  let newest: LogCheckpoint | undefined; // the greatest checkpoint of a committed append
  let outOfOrderCommits = 0;
  let freeWriters = writers; // neither finished nor holding a transaction open

  const follow = new AbortController();
  const deliver = (e: RecordedEvent) => {
    if (!e.streamId.startsWith(prefix)) return;
    deliveries.set(e.eventId, (deliveries.get(e.eventId) ?? 0) + 1);
    const expected = (lastVersion.get(e.streamId) ?? 0) + 1;
    if (e.streamVersion !== expected)
      orderFaults.push(`${e.streamId}: version ${e.streamVersion} after ${expected - 1}`);
    lastVersion.set(e.streamId, e.streamVersion);
  };
  const follower = (async () => {
    for await (const batch of store.follow({ signal: follow.signal, limit: 100 })) batch.events.forEach(deliver);
  })();

  const committed = (result: AppendResult) => {
    if (!newest || compareCheckpoints(result.checkpoint, newest) > 0) newest = result.checkpoint;
  };
  const holdOpen = async (inserted: AppendResult) => {
    // PGlite has one connection: while this transaction is open nobody else can commit
    if (!fx.concurrentWriters) return;
    freeWriters -= 1;
    const passed = () => newest !== undefined && compareCheckpoints(newest, inserted.checkpoint) > 0;
    try {
      await waitFor(
        () => passed() || freeWriters === 0,
        () => 'a later transaction to commit',
      );
    } finally {
      freeWriters += 1;
    }
    if (!passed()) return;
    outOfOrderCommits += 1;
    const peek = await store.readAll({ after: inserted.checkpoint, limit: 10 });
    leaks.push(
      ...peek.events.map(
        (e) => `${e.streamId}@${e.streamVersion} shown while transaction ${inserted.checkpoint.transactionId} was open`,
      ),
    );
  };

  let holdsLeft = holds;
  const writer = async (w: number) => {
    for (let round = 0; round < rounds; round += 1) {
      for (let s = w; s < streams; s += writers) {
        const event = { eventId: randomUUID(), type: 'Logged', data: { s, round } };
        written.add(event.eventId);
        const streamId = `${prefix}${s}`;
        const hold = round === 0 && w < 2 && holdsLeft-- > 0;
        const result = hold
          ? await fx.appendHoldingOpen(streamId, [event], round, holdOpen)
          : await store.appendToStream(streamId, [event], round);
        committed(result);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: writers }, (_, w) => writer(w).finally(() => (freeWriters -= 1))));
    // a follower that skipped events never gets there: the report then shows what it missed
    await waitFor(
      () => deliveries.size >= total,
      () => '',
      { timeoutMs: followTimeoutMs },
    ).catch(() => undefined);
  } finally {
    follow.abort();
    await follower;
  }
  return { written, deliveries, orderFaults, outOfOrderCommits, leaks };
};
