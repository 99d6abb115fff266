import { randomUUID } from 'node:crypto';
import { waitFor } from '@app/testing';
import { eventHash, genesisHash } from '../event-hash';
import { EventIdConflict, ExpectedVersionConflict, InvalidAppend } from '../event-store.errors';
import {
  LOG_START,
  type AppendResult,
  type EventStore,
  type LogCheckpoint,
  type NewEvent,
  type RecordedEvent,
} from '../event-store.port';
import { runConcurrentLog } from './concurrent-log.scenario';
import { logReadsContract } from './log-reads.contract';
import type { EventStoreFixture } from './sql-event-store.fixture';

/** Every event of the global log whose stream id starts with `prefix`, read to the end. */
const logEventsOf = async (store: EventStore, prefix: string): Promise<RecordedEvent[]> => {
  const found: RecordedEvent[] = [];
  for (let after = LOG_START; ;) {
    const { events, checkpoint } = await store.readAll({ after, limit: 1000 });
    if (events.length === 0) return found;
    found.push(...events.filter((e) => e.streamId.startsWith(prefix)));
    after = checkpoint;
  }
};

const rejection = async (attempt: Promise<unknown>): Promise<unknown> =>
  attempt.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

/**
 * The behaviour every EventStore adapter must show (Emmett's one-suite-many-stores).
 * Each test uses its own stream ids, so the suite can share one store per adapter.
 */
export const eventStoreContract = (adapter: string, createFixture: () => Promise<EventStoreFixture>): void =>
  describe(`${adapter} honours the EventStore contract`, () => {
    let fx: EventStoreFixture;
    let store: EventStore;
    const streamOf = (name: string) => `${name}-${randomUUID()}`;
    const logged = (data: unknown, extra: Partial<NewEvent> = {}): NewEvent => ({ type: 'Logged', data, ...extra });

    beforeAll(async () => {
      fx = await createFixture();
      store = fx.store;
    });

    /**
     * The stream's links whose stored hash is not SHA-256(previous stored hash ‖ JCS of the
     * event as read back), recomputed here from the port's own read; [] when the chain holds.
     */
    const brokenLinks = async (streamId: string): Promise<string[]> => {
      const { rows } = await fx.db.query<{ stream_version: number | string; hash: Uint8Array | null }>(
        'SELECT stream_version, hash FROM events WHERE stream_id = $1 ORDER BY stream_version',
        [streamId],
      );
      const { events } = await store.readStream(streamId);
      expect(rows.map((r) => Number(r.stream_version))).toEqual(events.map((e) => e.streamVersion));
      let previous: Uint8Array = genesisHash(streamId);
      const broken: string[] = [];
      events.forEach((event, i) => {
        const found = rows[i].hash ? Buffer.from(rows[i].hash) : null;
        const expected = eventHash(previous, event);
        if (!found || !expected.equals(found)) broken.push(`version ${event.streamVersion}`);
        previous = found ?? expected;
      });
      return broken;
    };
    afterAll(() => fx?.close());

    it('reads back every field of what it appended, in the stream and in the global log', async () => {
      const streamId = streamOf('round-trip');
      const given: NewEvent[] = [
        {
          eventId: randomUUID(),
          type: 'Opened',
          schemaVersion: 2,
          data: { title: 'Printer on fire 🔥', tags: ['hw', 'ü'], nested: { n: 1.5, ok: true, none: null } },
          metadata: {
            actor: { id: 'agent-1', role: 'agent' },
            tenant: 'acme',
            correlationId: randomUUID(),
            causationId: 'c-1',
          },
        },
        { eventId: randomUUID(), type: 'AgentAssigned', data: { agentId: 'agent-2' }, metadata: { tenant: 'acme' } },
        { type: 'Noted', data: 'plain text' },
      ];
      const before = Date.now();
      const result = await store.appendToStream(streamId, given, 'no-stream');
      const after = Date.now();

      expect(result).toEqual({
        streamId,
        nextExpectedVersion: 3,
        globalPositions: [expect.any(Number), expect.any(Number), expect.any(Number)],
        checkpoint: { transactionId: expect.stringMatching(/^\d+$/), globalPosition: result.globalPositions[2] },
        duplicate: false,
      });
      const [p1, p2, p3] = result.globalPositions;
      expect(p1 < p2 && p2 < p3).toBe(true);

      const { events, currentVersion } = await store.readStream(streamId);
      expect(currentVersion).toBe(3);
      expect(events).toEqual(
        given.map((e, i) => ({
          eventId: e.eventId ?? expect.stringMatching(/^[0-9a-f-]{36}$/),
          type: e.type,
          schemaVersion: e.schemaVersion ?? 1,
          data: e.data,
          metadata: e.metadata ?? {},
          streamId,
          streamVersion: i + 1,
          globalPosition: result.globalPositions[i],
          transactionId: result.checkpoint.transactionId,
          recordedAt: events[0].recordedAt,
        })),
      );
      expect(events[0].recordedAt).toBeInstanceOf(Date);
      expect(events[0].recordedAt.getTime()).toBeGreaterThanOrEqual(before);
      expect(events[0].recordedAt.getTime()).toBeLessThanOrEqual(after);
      expect(await store.streamVersion(streamId)).toBe(3);
      // the global log may wait for other transactions on the server: poll, do not sleep
      await waitFor(
        async () => (await logEventsOf(store, streamId)).length === 3,
        () => 'the three events to reach the global log',
      );
      expect(await logEventsOf(store, streamId)).toEqual(events);
    });

    it('chains every event to the one before it in its stream: SHA-256(previous hash ‖ JCS of the event)', async () => {
      const streamId = streamOf('chain');
      // values whose JSON text jsonb rewrites (number forms, key order, escapes) must still
      // hash the same when read back: the chain is over JCS, not over any one rendering
      const awkward = {
        z: 1e21,
        a: [0.1, -0, 5e-324, 1.7976931348623157e308, 123456789012345680000],
        é: 'ünïcödé 🔥 "quoted" \\ \u2028',
        '\u{1F600}': { '': null, b: true, '10': 'ten', '9': 'nine' },
        date: new Date('2026-03-02T09:30:00.5Z'),
      };
      await store.appendToStream(streamId, [logged(awkward), logged('b'), logged(null)], 'no-stream');
      await store.appendToStream(
        streamId,
        [logged({ n: 4 }, { metadata: { tenant: 'acme', actor: { id: 'a', role: 'agent' } } })],
        3,
      );
      await store.appendToStream(streamId, [logged(5, { schemaVersion: 3 })], 'any');
      await store.appendToStream(streamId, [logged(6), logged(7)], 'any');
      await fx.appendHoldingOpen(streamId, [logged(8)], 7, async () => undefined);
      expect(await store.streamVersion(streamId)).toBe(8);
      expect(await brokenLinks(streamId)).toEqual([]);
      const { rows } = await fx.db.query<{ hash: Uint8Array }>(
        'SELECT hash FROM events WHERE stream_id = $1 AND stream_version = 1',
        [streamId],
      );
      const [first] = (await store.readStream(streamId, { toVersion: 1 })).events;
      expect(Buffer.from(rows[0].hash).toString('hex')).toBe(
        eventHash(genesisHash(streamId), {
          type: 'Logged',
          streamVersion: 1,
          schemaVersion: 1,
          data: JSON.parse(JSON.stringify(awkward)),
          metadata: {},
          recordedAt: first.recordedAt,
        }).toString('hex'),
      );
    });

    it('keeps each chain unbroken while writers race on one stream, at a version or with any', async () => {
      const raced = streamOf('chain-race');
      const anyStream = streamOf('chain-any');
      for (let version = 0; version < 4; version += 1) {
        await Promise.allSettled(
          Array.from({ length: 6 }, (_, w) => store.appendToStream(raced, [logged({ w, version })], version)),
        );
      }
      await Promise.all(
        Array.from({ length: 8 }, (_, w) => store.appendToStream(anyStream, [logged(w), logged(w + 0.5)], 'any')),
      );
      expect(await store.streamVersion(raced)).toBe(4);
      expect(await store.streamVersion(anyStream)).toBe(16);
      expect(await brokenLinks(raced)).toEqual([]);
      expect(await brokenLinks(anyStream)).toEqual([]);
    });

    it('chains from the real head whatever a process knows of it: two stores take turns on one stream', async () => {
      const streamId = streamOf('chain-twins');
      const other = fx.twin;
      await store.appendToStream(streamId, [logged(1), logged(2)], 'no-stream'); // store knows head 2
      await other.appendToStream(streamId, [logged(3)], 2); // the twin does not: chained in SQL
      // store's head is stale now: its append at 2 is a conflict, not a second version 3
      const stale = await rejection(store.appendToStream(streamId, [logged('fork')], 2));
      expect(stale).toMatchObject({ streamId, expected: 2, actual: 3 });
      await store.appendToStream(streamId, [logged(4), logged(5)], 3);
      await other.appendToStream(streamId, [logged(6)], 'any');
      await other.appendToStream(streamId, [logged(7)], 6); // known from its own append
      expect(await rejection(store.appendToStream(streamId, [logged('fork')], 5))).toBeInstanceOf(
        ExpectedVersionConflict,
      );
      await other.readStream(streamId); // a read to the end teaches the head too
      await store.appendToStream(streamId, [logged(8)], 'any');
      await fx.appendHoldingOpen(streamId, [logged(9)], 8, async () => undefined);
      await other.appendToStream(streamId, [logged(10)], 9);
      const { events } = await store.readStream(streamId);
      expect(events.map((e) => e.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(await brokenLinks(streamId)).toEqual([]);
    });

    it('does not take a rolled-back append for the head of its stream', async () => {
      const streamId = streamOf('chain-rollback');
      await store.appendToStream(streamId, [logged(1)], 'no-stream');
      const undone = new Error('rolled back on purpose');
      await expect(
        fx.appendHoldingOpen(streamId, [logged('undone')], 1, async () => {
          throw undone;
        }),
      ).rejects.toBe(undone);
      await store.appendToStream(streamId, [logged(2)], 1);
      await store.appendToStream(streamId, [logged(3)], 2);
      expect((await store.readStream(streamId)).events.map((e) => e.data)).toEqual([1, 2, 3]);
      expect(await brokenLinks(streamId)).toEqual([]);
    });

    it('refuses an append at a stale expected version, saying which version the stream is at', async () => {
      const streamId = streamOf('stale');
      await store.appendToStream(streamId, [logged(1)], 'no-stream');
      const cases = [
        ['no-stream', 1],
        [0, 1],
        [5, 1],
      ] as const;
      for (const [expected, actual] of cases) {
        const error = await rejection(store.appendToStream(streamId, [logged(2)], expected));
        expect(error).toBeInstanceOf(ExpectedVersionConflict);
        expect(error).toMatchObject({
          code: 'EVENT_STORE.VERSION_CONFLICT',
          retriable: true,
          streamId,
          expected,
          actual,
        });
      }
      expect((await store.appendToStream(streamId, [logged(3)], 'any')).nextExpectedVersion).toBe(2);
      expect((await store.appendToStream(streamId, [logged(4)], 2)).nextExpectedVersion).toBe(3);
      expect((await store.readStream(streamId)).events.map((e) => e.data)).toEqual([1, 3, 4]);
    });

    it('lets exactly one of 8 concurrent appenders win each version; the others learn the actual version', async () => {
      const streamId = streamOf('race');
      for (let version = 0; version < 5; version += 1) {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, (_, w) => store.appendToStream(streamId, [logged({ w, version })], version)),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
        expect(won).toHaveLength(1);
        expect(won[0].value.nextExpectedVersion).toBe(version + 1);
        expect(lost).toHaveLength(7);
        for (const error of lost) {
          expect(error).toBeInstanceOf(ExpectedVersionConflict);
          expect(error).toMatchObject({ streamId, expected: version, actual: version + 1 });
        }
      }
      const { events } = await store.readStream(streamId);
      expect(events.map((e) => [e.streamVersion, (e.data as { version: number }).version])).toEqual(
        [1, 2, 3, 4, 5].map((v) => [v, v - 1]),
      );
    });

    it("lands every one of 8 concurrent appends expecting 'any', each on its own version", async () => {
      const streamId = streamOf('any');
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, w) => store.appendToStream(streamId, [logged(w)], 'any')),
      );
      expect(results.map((r) => r.nextExpectedVersion).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(await store.streamVersion(streamId)).toBe(8);
    });

    it('answers a retry with the original result and writes nothing, even after the stream moved on', async () => {
      const streamId = streamOf('retry');
      const batch = [logged('a', { eventId: randomUUID() }), logged('b', { eventId: randomUUID() })];
      const original = await store.appendToStream(streamId, batch, 'no-stream');
      const asRetry = { ...original, duplicate: true };

      expect(await store.appendToStream(streamId, batch, 'no-stream')).toEqual(asRetry);
      await store.appendToStream(streamId, [logged('c')], 2);
      expect(await store.appendToStream(streamId, batch, 'no-stream')).toEqual(asRetry);
      expect(await store.appendToStream(streamId, batch, 3)).toEqual(asRetry);
      expect(await store.appendToStream(streamId, batch, 'any')).toEqual(asRetry);
      // upper-case ids are the same UUIDs
      const shouted = batch.map((e) => ({ ...e, eventId: e.eventId?.toUpperCase() }));
      expect(await store.appendToStream(streamId, shouted, 'no-stream')).toEqual(asRetry);
      expect((await store.readStream(streamId)).events.map((e) => e.data)).toEqual(['a', 'b', 'c']);
    });

    it('answers 8 concurrent copies of one append with one result: one writes, seven are retries', async () => {
      const streamId = streamOf('retry-race');
      const batch = [logged('a', { eventId: randomUUID() }), logged('b', { eventId: randomUUID() })];
      const results = await Promise.all(
        Array.from({ length: 8 }, () => store.appendToStream(streamId, batch, 'no-stream')),
      );
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      const original = results.find((r) => !r.duplicate);
      for (const r of results) expect(r).toEqual({ ...original, duplicate: r.duplicate });
      expect(await store.streamVersion(streamId)).toBe(2);
    });

    it('refuses event ids stored in another stream, or a batch of which only part is stored', async () => {
      const first = streamOf('ids');
      const other = streamOf('ids-other');
      const stored = logged('x', { eventId: randomUUID() });
      await store.appendToStream(first, [stored], 'no-stream');
      const elsewhere = await rejection(store.appendToStream(other, [stored], 'no-stream'));
      expect(elsewhere).toBeInstanceOf(EventIdConflict);
      expect(elsewhere).toMatchObject({
        code: 'EVENT_STORE.EVENT_ID_CONFLICT',
        retriable: false,
        eventIds: [stored.eventId],
      });
      const partial = await rejection(store.appendToStream(first, [stored, logged('y', { eventId: randomUUID() })], 1));
      expect(partial).toBeInstanceOf(EventIdConflict);
      expect((partial as Error).message).toMatch(/only 1 of the batch's 2 events/);
      expect(await store.streamVersion(first)).toBe(1);
      expect(await store.streamVersion(other)).toBe(0);
    });

    it('reads a stream from a version, up to a version, and as of a moment', async () => {
      const streamId = streamOf('ranges');
      const recorded: Date[] = [];
      for (let i = 1; i <= 5; i += 1) {
        // one millisecond apart at least, so "as of" can tell them apart: wait on the clock
        const last = recorded[recorded.length - 1]?.getTime() ?? 0;
        await waitFor(
          () => Date.now() > last,
          () => 'the clock to move',
          { intervalMs: 1 },
        );
        await store.appendToStream(streamId, [logged(i)], i - 1);
        recorded.push((await store.readStream(streamId, { fromVersion: i })).events[0].recordedAt);
      }
      const versions = async (options: Parameters<EventStore['readStream']>[1]) => {
        const { events, currentVersion } = await store.readStream(streamId, options);
        expect(currentVersion).toBe(5);
        return events.map((e) => e.streamVersion);
      };
      expect(await versions({ fromVersion: 3 })).toEqual([3, 4, 5]);
      expect(await versions({ toVersion: 2 })).toEqual([1, 2]);
      expect(await versions({ fromVersion: 2, toVersion: 4 })).toEqual([2, 3, 4]);
      expect(await versions({ fromVersion: 6 })).toEqual([]);
      expect(await versions({ asOf: recorded[2] })).toEqual([1, 2, 3]);
      expect(await versions({ asOf: new Date(recorded[0].getTime() - 1) })).toEqual([]);
      expect(await versions({ fromVersion: 2, asOf: recorded[3] })).toEqual([2, 3, 4]);
      expect(await store.readStream(streamOf('never-written'))).toEqual({ events: [], currentVersion: 0 });
    });

    it('round-trips a 1 MB event', async () => {
      const streamId = streamOf('big');
      const lines = Array.from(
        { length: 12_000 },
        (_, i) => `line ${i}: "quoted" \\ ünïcödé ${'abcdefghij'.repeat(6)}`,
      );
      const data = { lines, nested: { lines: lines.slice(0, 10) } };
      expect(JSON.stringify(data).length).toBeGreaterThan(1_000_000);
      await store.appendToStream(streamId, [logged(data)], 'no-stream');
      expect((await store.readStream(streamId)).events[0].data).toEqual(data);
      await waitFor(
        async () => (await logEventsOf(store, streamId)).length === 1,
        () => 'the event to reach the global log',
      );
      expect((await logEventsOf(store, streamId))[0].data).toEqual(data);
    });

    describe('refuses bad input with a clear error and writes nothing', () => {
      const circular: Record<string, unknown> = { a: 1 };
      circular.self = circular;
      const cases: [string, string | null, unknown, unknown, RegExp][] = [
        ['an empty stream id', '', [logged(1)], 'no-stream', /stream id is empty/],
        ['a blank stream id', ' \t', [logged(1)], 'no-stream', /stream id is empty/],
        ['no events', null, [], 'no-stream', /no events/],
        ['a BigInt', null, [logged({ amount: 10n })], 'no-stream', /event 1 \(Logged\): data .*BigInt at key "amount"/],
        ['a function', null, [logged({ f: () => 1 })], 'no-stream', /function at key "f"/],
        ['a circular reference', null, [logged(circular)], 'no-stream', /circular reference/],
        ['undefined data', null, [logged(1), logged(undefined)], 'no-stream', /event 2 \(Logged\): data is undefined/],
        ['NaN', null, [logged({ n: NaN })], 'no-stream', /NaN at key "n"/],
        ['a NUL character', null, [logged({ s: 'a\u0000b' })], 'no-stream', /NUL character/],
        ['a bad event id', null, [logged(1, { eventId: 'not-a-uuid' })], 'no-stream', /not a UUID: "not-a-uuid"/],
        [
          'a repeated event id',
          null,
          [logged(1, { eventId: REPEATED_ID }), logged(2, { eventId: REPEATED_ID })],
          0,
          /repeats the event id/,
        ],
        ['a negative expected version', null, [logged(1)], -1, /expected version .* not -1/],
        ['a fractional expected version', null, [logged(1)], 1.5, /expected version .* not 1.5/],
        ['an unknown expected version', null, [logged(1)], 'latest', /expected version .* not "latest"/],
        ['an event without type', null, [{ data: 1 }], 'no-stream', /event 1 has no type/],
        ['a schema version 0', null, [logged(1, { schemaVersion: 0 })], 'no-stream', /schema version/],
      ];
      it.each(cases)('refuses %s', async (_name, givenStream, events, expected, message) => {
        const streamId = givenStream ?? streamOf('bad');
        const append = store.appendToStream.bind(store) as (...args: unknown[]) => Promise<unknown>;
        const error = await rejection(append(streamId, events, expected));
        expect(error).toBeInstanceOf(InvalidAppend);
        expect(error).toMatchObject({ code: 'EVENT_STORE.INVALID_APPEND', retriable: false });
        expect((error as Error).message).toMatch(message);
        expect(await store.readStream(streamId)).toEqual({ events: [], currentVersion: 0 });
      });
    });

    it('catches up in batches, wakes for new events, and ends when the signal aborts', async () => {
      const streamId = streamOf('follow');
      await store.appendToStream(
        streamId,
        [1, 2, 3, 4, 5].map((n) => logged(n)),
        'no-stream',
      );
      const controller = new AbortController();
      const batches: number[][] = [];
      const following = (async () => {
        for await (const { events } of store.follow({ limit: 2, signal: controller.signal })) {
          const ours = events.filter((e) => e.streamId === streamId).map((e) => e.data as number);
          if (ours.length > 0) batches.push(ours);
        }
      })();
      const seen = () => batches.flat();
      await waitFor(
        () => seen().length === 5,
        () => `saw ${JSON.stringify(batches)}`,
      );
      expect(batches.length).toBeGreaterThanOrEqual(3);
      await store.appendToStream(streamId, [logged(6)], 5);
      await waitFor(
        () => seen().length === 6,
        () => `saw ${JSON.stringify(batches)} after the 6th append`,
      );
      controller.abort();
      await following;
      expect(seen()).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('with lingerMs, gathers the appends made while it lingers into one batch', async () => {
      const streamId = streamOf('linger');
      await store.appendToStream(streamId, [logged(1)], 'no-stream');
      const controller = new AbortController();
      const batches: number[][] = [];
      const following = (async () => {
        // long enough that the three appends below surely land within it, even on a loaded machine
        for await (const { events } of store.follow({ signal: controller.signal, lingerMs: 2_000 })) {
          const ours = events.filter((e) => e.streamId === streamId).map((e) => e.data as number);
          if (ours.length > 0) batches.push(ours);
        }
      })();
      await waitFor(
        () => batches.length === 1,
        () => `saw ${JSON.stringify(batches)}`,
      );
      for (const n of [2, 3, 4]) await store.appendToStream(streamId, [logged(n)], n - 1);
      await waitFor(
        () => batches.flat().length === 4,
        () => `saw ${JSON.stringify(batches)}`,
      );
      controller.abort();
      await following;
      expect(batches).toEqual([[1], [2, 3, 4]]);
    });

    it('lets a follower see every event exactly once, each stream in order, while 8 writers append to 200 streams', async () => {
      const report = await runConcurrentLog(fx, { writers: 8, streams: 200, rounds: 3 });
      expect(report.written.size).toBe(600);
      // while a transaction was open, readAll showed nothing committed after it
      expect(report.leaks).toEqual([]);
      const missed = [...report.written].filter((id) => !report.deliveries.has(id));
      expect({ missed: missed.length, of: report.written.size }).toEqual({ missed: 0, of: 600 });
      expect([...report.deliveries.keys()].sort()).toEqual([...report.written].sort());
      expect([...report.deliveries.values()].filter((n) => n !== 1)).toEqual([]);
      expect(report.orderFaults).toEqual([]);
      // on a server, prove the scenario happened: transactions did commit out of order
      if (fx.concurrentWriters) expect(report.outOfOrderCommits).toBeGreaterThan(0);
    });

    it('head: the last committed event; it shows a commit that readAll holds back behind an older open transaction', async () => {
      const first = await store.appendToStream(streamOf('head'), [logged(1)], 'no-stream');
      expect(await store.head()).toEqual(first.checkpoint);
      if (!fx.concurrentWriters) return; // one connection: no transaction can be open beside another
      let later: AppendResult | undefined;
      let readAllThen: RecordedEvent[] = [];
      let headThen: LogCheckpoint | undefined;
      await fx.appendHoldingOpen(streamOf('head-open'), [logged('open')], 'no-stream', async () => {
        later = await fx.twin.appendToStream(streamOf('head-later'), [logged('later')], 'no-stream');
        headThen = await store.head();
        readAllThen = (await store.readAll({ after: first.checkpoint })).events;
      });
      expect(headThen).toEqual(later?.checkpoint);
      expect(readAllThen.map((e) => e.data)).toEqual([]); // held back: the open transaction is older
      expect(await store.head()).toEqual(later?.checkpoint); // the held one, now committed, is earlier in log order
    });

    logReadsContract(() => fx);

    it('treats migrations run again as a no-op', async () => {
      const streamId = streamOf('migrate');
      await store.appendToStream(streamId, [logged(1)], 'no-stream');
      expect(await fx.migrateAgain()).toEqual([]);
      expect(await fx.migrateAgain()).toEqual([]);
      await expect(store.ping()).resolves.toBeUndefined();
      expect((await store.readStream(streamId)).events.map((e) => e.data)).toEqual([1]);
    });
  });

const REPEATED_ID = '0b8a0b9e-1d4e-4c8f-9d1e-2b4c6a8e0f11';
