import { randomUUID } from 'node:crypto';
import { waitFor } from '@app/testing';
import { readChainHeads, readChainLinks, readHashedLog, readUnchainedThrough } from '../chain-reads';
import { eventHash, genesisHash } from '../event-hash';
import { EXACT_COUNT_LIMIT } from '../log-reads';
import { LOG_START, type NewEvent, type ReadCategoriesAsOfOptions, type RecordedEvent } from '../event-store.port';
import type { SqlEventStore } from '../sql-event-store';
import type { EventStoreFixture } from './sql-event-store.fixture';

/** a fresh stream category (lower-case letters and digits, as categories are) */
const newCategory = (): string => `c${randomUUID().replace(/-/g, '').slice(0, 12)}`;

const ev = (type: string, data: unknown = {}, metadata: NewEvent['metadata'] = {}): NewEvent => ({
  type,
  data,
  metadata,
});

const at = (e: RecordedEvent): string => `${e.streamId.split('-').slice(1).join('-')}:${e.streamVersion}`;

/**
 * The store's reads beyond the stream and the follower (LogReader, chain-reads.ts): run by
 * {@link eventStoreContract} on every adapter, on the store's pool and inside a caller's
 * transaction. The suite's tests run one after another, so "the events after a checkpoint
 * taken here" are this test's.
 */
export const logReadsContract = (fixture: () => EventStoreFixture): void =>
  describe('log reads (LogReader) and the hash chain reads', () => {
    const store = () => fixture().store;

    /** everything in the category, read to the end with the never-skip rule (polling: the server may hold it back) */
    const categoryEvents = async (category: string, types?: readonly string[]): Promise<RecordedEvent[]> => {
      const found: RecordedEvent[] = [];
      for (let after = LOG_START; ;) {
        const { events, checkpoint } = await store().reader().readCategory(category, { after, limit: 2, types });
        if (events.length === 0) return found;
        found.push(...events);
        after = checkpoint;
      }
    };

    it('readRange returns (after, upTo] in log order, at most limit; countAfter counts what follows a checkpoint', async () => {
      const start = (await store().head()) ?? LOG_START;
      const stream = `range-${randomUUID()}`;
      const first = await store().appendToStream(stream, [ev('A', 1), ev('B', 2)], 'no-stream');
      const second = await store().appendToStream(stream, [ev('C', 3)], first.nextExpectedVersion);
      const range = await store().reader().readRange({ after: start, upTo: second.checkpoint });
      expect(range.map((e) => e.data)).toEqual([1, 2, 3]);
      expect(
        (await store().reader().readRange({ after: start, upTo: second.checkpoint, limit: 2 })).map((e) => e.data),
      ).toEqual([1, 2]);
      expect((await store().reader().readRange({ after: start, upTo: first.checkpoint })).map((e) => e.data)).toEqual([
        1, 2,
      ]);
      expect(await store().reader().readRange({ after: second.checkpoint, upTo: second.checkpoint })).toEqual([]);

      const { events: all } = await store().readStream(stream);
      expect(await store().reader().countAfter(start)).toEqual({ events: 3, oldest: all[0].recordedAt });
      expect(await store().reader().countAfter(first.checkpoint)).toEqual({ events: 1, oldest: all[2].recordedAt });
      expect(await store().reader().countAfter(second.checkpoint)).toEqual({ events: 0, oldest: undefined });
    });

    it('countAfter counts up to EXACT_COUNT_LIMIT, and beyond it tells the positions between (no count of the whole tail)', async () => {
      const start = (await store().head()) ?? LOG_START;
      const many = EXACT_COUNT_LIMIT + 50;
      const stream = `many-${randomUUID()}`;
      await store().appendToStream(
        stream,
        Array.from({ length: many }, (_, i) => ev('A', i)),
        'no-stream',
      );
      const { events: all } = await store().readStream(stream, { toVersion: 1 });
      expect(await store().reader().countAfter(start)).toEqual({ events: many, oldest: all[0].recordedAt });
    });

    it('checkpointAt gives a global position its place in the log; an unknown position has none', async () => {
      const appended = await store().appendToStream(`at-${randomUUID()}`, [ev('A'), ev('B')], 'no-stream');
      expect(await store().reader().checkpointAt(appended.globalPositions[1])).toEqual(appended.checkpoint);
      expect(await store().reader().checkpointAt(appended.globalPositions[0])).toEqual({
        transactionId: appended.checkpoint.transactionId,
        globalPosition: appended.globalPositions[0],
      });
      expect(await store().reader().checkpointAt(9_000_000_000)).toBeUndefined();
    });

    it('readCategory reads one category in log order, by type if asked, from a checkpoint, and refuses a bad category', async () => {
      const category = newCategory();
      await store().appendToStream(`${category}-a`, [ev('Opened', 'a1'), ev('Noted', 'a2')], 'no-stream');
      await store().appendToStream(`${category}x-b`, [ev('Opened', 'other category')], 'no-stream');
      await store().appendToStream(`${category}-b`, [ev('Opened', 'b1')], 'no-stream');
      await store().appendToStream(`${category}-a`, [ev('Noted', 'a3')], 2);
      await waitFor(
        async () => (await categoryEvents(category)).length === 4,
        () => 'the category to reach the global log',
      );
      const events = await categoryEvents(category);
      expect(events.map((e) => e.data)).toEqual(['a1', 'a2', 'b1', 'a3']);
      expect((await categoryEvents(category, ['Opened'])).map((e) => e.data)).toEqual(['a1', 'b1']);
      const after = { transactionId: events[1].transactionId, globalPosition: events[1].globalPosition };
      const rest = await store().reader().readCategory(category, { after });
      expect(rest.events.map((e) => e.data)).toEqual(['b1', 'a3']);
      expect(rest.checkpoint).toEqual({
        transactionId: events[3].transactionId,
        globalPosition: events[3].globalPosition,
      });
      const none = await store().reader().readCategory(category, { after: rest.checkpoint });
      expect(none).toEqual({ events: [], checkpoint: rest.checkpoint });
      await expect(store().reader().readCategory("case' OR 1=1 --")).rejects.toThrow('Not stream categories');
    });

    it('readCategory holds back a commit behind an older open transaction, unless committedNow', async () => {
      const fx = fixture();
      if (!fx.concurrentWriters) return; // one connection: no transaction can be open beside another
      const category = newCategory();
      const start = (await store().head()) ?? LOG_START;
      let heldBack: RecordedEvent[] = [];
      let committedNow: RecordedEvent[] = [];
      await fx.appendHoldingOpen(`${category}-open`, [ev('Opened', 'open')], 'no-stream', async () => {
        await fx.twin.appendToStream(`${category}-later`, [ev('Opened', 'later')], 'no-stream');
        heldBack = (await store().reader().readCategory(category, { after: start })).events;
        committedNow = (await store().reader().readCategory(category, { after: start, committedNow: true })).events;
      });
      expect(heldBack).toEqual([]);
      expect(committedNow.map((e) => e.data)).toEqual(['later']);
    });

    it('readCategoriesAsOf pages some categories in stream order, by type, up to a moment', async () => {
      const [one, two] = [newCategory(), newCategory()];
      await store().appendToStream(
        `${one}-b`,
        [ev('Opened', 'b1'), ev('Noted', 'b2'), ev('Closed', 'b3')],
        'no-stream',
      );
      await store().appendToStream(`${one}-a`, [ev('Opened', 'a1')], 'no-stream');
      await store().appendToStream(`${two}-c`, [ev('Opened', 'c1')], 'no-stream');
      await store().appendToStream(`${newCategory()}-d`, [ev('Opened', 'elsewhere')], 'no-stream');
      const read = (options: Partial<ReadCategoriesAsOfOptions>) =>
        store()
          .reader()
          .readCategoriesAsOf({
            categories: [one, two],
            recordedUpTo: new Date(Date.now() + 60_000),
            types: ['Opened', 'Closed'],
            limit: 100,
            ...options,
          });
      const all = await read({});
      // streams in bytewise order of their ids, each in version order
      expect(all.map((e) => e.data)).toEqual(one < two ? ['a1', 'b1', 'b3', 'c1'] : ['c1', 'a1', 'b1', 'b3']);
      expect((await read({ limit: 2 })).map(at)).toEqual(all.slice(0, 2).map(at));
      const after = { streamId: all[1].streamId, streamVersion: all[1].streamVersion };
      expect((await read({ after })).map(at)).toEqual(all.slice(2).map(at));
      expect(await read({ recordedUpTo: new Date(0) })).toEqual([]);
      expect((await read({ types: ['Noted'] })).map((e) => e.data)).toEqual(['b2']);
      await expect(read({ categories: ['Case'] })).rejects.toThrow('Not stream categories');
    });

    it('readAllOfTypes looks through a window of the log and returns its events of some types, with the window end', async () => {
      const start = (await store().head()) ?? LOG_START;
      const category = newCategory();
      const [kept, other] = [`K${category}`, `O${category}`];
      const first = await store().appendToStream(
        `${category}-a`,
        [ev(kept, 1), ev(other, 2), ev(other, 3)],
        'no-stream',
      );
      const last = await store().appendToStream(`${category}-b`, [ev(other, 4), ev(kept, 5)], 'no-stream');
      await waitFor(
        async () => (await store().readAll({ after: start, limit: 10 })).events.length === 5,
        () => 'the appends to reach the global log',
      );
      const windows: { data: unknown[]; at: number; end: boolean }[] = [];
      for (let after = start, end = false; !end;) {
        const read = await store()
          .reader()
          .readAllOfTypes({ after, types: [kept], window: 2 });
        windows.push({ data: read.events.map((e) => e.data), at: read.checkpoint.globalPosition, end: read.end });
        ({ checkpoint: after, end } = read);
      }
      const [p4, p5] = last.globalPositions;
      // two events of the log a window, whatever their types; the last window is short and ends the log
      expect(windows).toEqual([
        { data: [1], at: first.globalPositions[1], end: false },
        { data: [], at: p4, end: false },
        { data: [5], at: p5, end: true },
      ]);
      const atEnd = await store()
        .reader()
        .readAllOfTypes({ after: last.checkpoint, types: [kept], window: 2 });
      expect(atEnd).toEqual({ events: [], checkpoint: last.checkpoint, end: true });
      await expect(
        store()
          .reader()
          .readAllOfTypes({ types: [kept], window: 0 }),
      ).rejects.toThrow('window must be a positive integer');
    });

    it('committedHead is the last event readAll hands out; readWholeStreams reads whole streams in stream order up to it', async () => {
      const category = newCategory();
      const [kept, other] = [`K${category}`, `O${category}`];
      const a = await store().appendToStream(
        `${category}-a`,
        [ev(kept, 'a1'), ev(other, 'a2'), ev(kept, 'a3')],
        'no-stream',
      );
      await store().appendToStream(`${category}-c`, [ev(kept, 'c1')], 'no-stream');
      const b = await store().appendToStream(`${category}-b`, [ev(kept, 'b1'), ev(kept, 'b2')], 'no-stream');
      // nothing else is appended meanwhile (the suite's tests run one after another)
      let head: unknown;
      await waitFor(
        async () => {
          head = await store().reader().committedHead();
          return JSON.stringify(head) === JSON.stringify(b.checkpoint);
        },
        () => `committedHead ${JSON.stringify(head)}, last append ${JSON.stringify(b.checkpoint)}`,
      );
      const through = b.checkpoint;
      // after the place read up to: left out
      await store().appendToStream(`${category}-a`, [ev(kept, 'a4')], a.nextExpectedVersion);

      const walk = async (events: number) => {
        const calls: string[][] = [];
        for (let afterStream: string | null = `${category}-`; afterStream?.startsWith(`${category}-`);) {
          const read = await store()
            .reader()
            .readWholeStreams({ afterStream, through, types: [kept], events });
          calls.push(read.events.map((e) => e.data as string));
          afterStream = read.next;
        }
        return calls;
      };
      // stream by stream, each stream whole in one call, only the kept type, up to `through`
      expect((await walk(1000)).flat()).toEqual(['a1', 'a3', 'b1', 'b2', 'c1']);
      // two events of the log a call: a's three come together (never cut), then b's two, then c
      expect((await walk(2)).slice(0, 2)).toEqual([
        ['a1', 'a3'],
        ['b1', 'b2'],
      ]);
      expect((await walk(1)).flat()).toEqual(['a1', 'a3', 'b1', 'b2', 'c1']);
      await expect(
        store()
          .reader()
          .readWholeStreams({ through, types: [kept], events: 0 }),
      ).rejects.toThrow('events must be a positive integer');
    });

    it('readStreamsOpenedWith reads the streams opened with a field of a value (trimmed, any case), up to a moment', async () => {
      const category = newCategory();
      await store().appendToStream(
        `${category}-fr`,
        [ev('Opened', { language: ' FR ' }), ev('Noted', 'n'), ev('Assigned', 'x')],
        'no-stream',
      );
      await store().appendToStream(
        `${category}-en`,
        [ev('Opened', { language: 'en' }), ev('Assigned', 'y')],
        'no-stream',
      );
      const read = (equals: string, recordedUpTo = new Date(Date.now() + 60_000)) =>
        store()
          .reader()
          .readStreamsOpenedWith({
            category,
            openedBy: 'Opened',
            field: 'language',
            equals,
            recordedUpTo,
            types: ['Opened', 'Assigned'],
          });
      expect((await read('fr')).map(at)).toEqual(['fr:1', 'fr:3']);
      expect((await read('en')).map((e) => e.data)).toEqual([{ language: 'en' }, 'y']);
      expect(await read('de')).toEqual([]);
      const cut = await store()
        .reader()
        .readStreamsOpenedWith({
          category,
          openedBy: 'Opened',
          field: 'language',
          equals: 'fr',
          recordedUpTo: new Date(Date.now() + 60_000),
          types: ['Opened'],
          fields: ['language', 'missing'],
        });
      expect(cut.map((e) => [e.data, e.metadata])).toEqual([[{ language: ' FR ', missing: null }, {}]]);
      await expect(
        store()
          .reader()
          .readStreamsOpenedWith({
            category,
            openedBy: 'Opened',
            field: 'language',
            equals: 'fr',
            recordedUpTo: new Date(),
            types: [],
            fields: ["x' || 1"],
          }),
      ).rejects.toThrow('Not a data field');
      expect(await read('fr', new Date(0))).toEqual([]);
    });

    it('readStreamVersions and lastOfType read chosen events of one stream', async () => {
      const stream = `pick-${randomUUID()}`;
      await store().appendToStream(stream, [ev('A', 1), ev('B', 2), ev('A', 3), ev('C', 4)], 'no-stream');
      expect((await store().reader().readStreamVersions(stream, [3, 1])).map((e) => e.data)).toEqual([1, 3]);
      expect(await store().reader().readStreamVersions(stream, [])).toEqual([]);
      expect((await store().reader().lastOfType(stream, 'A'))?.streamVersion).toBe(3);
      expect(await store().reader().lastOfType(stream, 'D')).toBeUndefined();
    });

    it("reads inside a caller's transaction see its own uncommitted append, and do not wait for it", async () => {
      const fx = fixture();
      const sql = store() as unknown as SqlEventStore;
      const stream = `in-tx-${randomUUID()}`;
      const start = (await store().head()) ?? LOG_START;
      const seen = await fx.db.transaction(async (tx) => {
        const appended = await sql.appendInTransaction(tx, stream, [ev('A', 'mine')], 'no-stream');
        const reader = store().reader(tx);
        return {
          appended,
          versions: await reader.readStreamVersions(stream, [1]),
          range: await reader.readRange({ after: start, upTo: appended.checkpoint }),
          count: await reader.countAfter(start),
          at: await reader.checkpointAt(appended.globalPositions[0]),
          head: await reader.head(),
        };
      });
      expect(seen.versions.map((e) => e.data)).toEqual(['mine']);
      expect(seen.range.map((e) => e.data)).toEqual(['mine']);
      expect(seen.count.events).toBe(1);
      expect(seen.at).toEqual(seen.appended.checkpoint);
      expect(seen.head).toEqual(seen.appended.checkpoint);
      // and outside it, once committed, the same
      expect((await store().reader().readStreamVersions(stream, [1])).map((e) => e.data)).toEqual(['mine']);
    });

    it('chain reads: links carry the stored hashes, the heads digest moves with an append, the hashed log filters', async () => {
      const { db } = fixture();
      const stream = `chained-${randomUUID()}`;
      const before = await readChainHeads(db);
      const type = `Chained${randomUUID().slice(0, 8)}`;
      await store().appendToStream(
        stream,
        [
          ev(type, { n: 1 }, { tenant: 'acme' }),
          ev('Other', { n: 2 }, { tenant: 'acme' }),
          ev(type, { n: 3 }, { tenant: 'globex' }),
        ],
        'no-stream',
      );
      const { events } = await store().readStream(stream);

      const links = await readChainLinks(db, {
        streamId: stream,
        after: { streamId: stream, streamVersion: 0 },
        limit: 10,
      });
      let previous: Uint8Array = genesisHash(stream);
      for (const [i, link] of links.entries()) {
        expect(link).toMatchObject({ streamId: stream, streamVersion: i + 1, type: events[i].type, covered: null });
        expect(new Date(link.recordedAtMs)).toEqual(events[i].recordedAt);
        const expected = eventHash(previous, events[i]);
        expect(Buffer.from(link.hash ?? [])).toEqual(expected);
        previous = expected;
      }
      expect(links).toHaveLength(3);
      const page = await readChainLinks(db, {
        streamId: stream,
        after: { streamId: stream, streamVersion: 1 },
        limit: 1,
      });
      expect(page.map((l) => l.streamVersion)).toEqual([2]);
      const covered = await readChainLinks(db, {
        streamId: stream,
        after: { streamId: stream, streamVersion: 0 },
        limit: 10,
        coveredBelow: '0',
      });
      expect(covered.map((l) => l.covered)).toEqual([false, false, false]);

      // the digest covers what every older transaction of the server has left behind: on a
      // shared PostgreSQL another suite's open transaction holds the fresh append back a moment
      await waitFor(
        async () => {
          const heads = await readChainHeads(db);
          return heads.events >= before.events + 3 && (heads.throughGlobalPosition ?? 0) >= events[2].globalPosition;
        },
        () => 'the appended events to be covered by a heads digest',
      );
      const after = await readChainHeads(db);
      expect(after.streams).toBeGreaterThan(before.streams);
      expect(after.headsDigest).not.toBe(before.headsDigest);
      expect(after.headsDigest).toMatch(/^[0-9a-f]{64}$/);
      expect(after.throughGlobalPosition).toBeGreaterThanOrEqual(events[2].globalPosition);

      const hashed = (filter: { tenant?: string; type?: string }) =>
        readHashedLog(db, { after: LOG_START, limit: 100_000, ...filter }).then((all) =>
          all.filter((e) => e.streamId === stream),
        );
      await waitFor(
        async () => (await hashed({})).length === 3,
        () => 'the appended events to reach the hashed log',
      );
      expect((await hashed({})).map((e) => e.hash)).toEqual(
        links.map((l) => Buffer.from(l.hash ?? []).toString('hex')),
      );
      expect((await hashed({ tenant: 'acme' })).map((e) => e.streamVersion)).toEqual([1, 2]);
      expect((await hashed({ type })).map((e) => e.streamVersion)).toEqual([1, 3]);
      expect((await hashed({ type, tenant: 'globex' })).map((e) => e.data)).toEqual([{ n: 3 }]);
      const recordedAt = events[0].recordedAt;
      expect(await readHashedLog(db, { after: LOG_START, limit: 10, recordedBefore: new Date(0) })).toEqual([]);
      expect((await hashed({})).every((e) => e.recordedAt.getTime() >= recordedAt.getTime())).toBe(true);
      expect(await readUnchainedThrough(db)).toBeNull(); // a store created with the chain
    });
  });
