import { createEventStore, LOG_START, type EventStore, type NewEvent, type SqlDatabase } from '@app/event-store';
import { createTestDatabase, waitFor } from '@app/testing';
import { takeAuditCheckpoint } from '../audit-checkpoint';
import { verifyHashChains as verifyInProcess } from '../chain-verifier';

export interface TamperingFixture {
  readonly store: EventStore;
  readonly db: SqlDatabase;
  close(): Promise<void>;
}

/** A fresh database of the PostgreSQL server at `serverUrl` with a store on it, dropped on close. */
export const postgresTamperingFixture = async (
  serverUrl: string,
): Promise<TamperingFixture & { readonly databaseUrl: string }> => {
  const database = await createTestDatabase(serverUrl);
  const handle = await createEventStore({ databaseUrl: database.url, poolSize: 4 });
  return {
    ...handle,
    databaseUrl: database.url,
    close: async () => {
      await handle.store.close();
      await database.drop();
    },
  };
};

const logged = (n: number, extra: Partial<NewEvent> = {}): NewEvent => ({
  type: 'Logged',
  data: { n, note: `event ${n}` },
  metadata: { tenant: 'acme.example', actor: { id: 'eve', role: 'agent' } },
  ...extra,
});

/**
 * What verification must find when someone with write access to the database changes
 * history behind the store's back. A fresh store per test: a checkpoint covers every stream.
 * `verifyHashChains`: the verifier under test (by default this build's, as it is; a suite
 * may pass one with other options, or another build of it).
 */
export const verifiesTampering = (
  adapter: string,
  open: () => Promise<TamperingFixture>,
  verifyHashChains: typeof verifyInProcess = verifyInProcess,
): void =>
  describe(`${adapter}: verification finds tampering`, () => {
    let fx: TamperingFixture;
    let store: EventStore;
    let db: SqlDatabase;
    const hashOf = async (streamId: string, version: number) =>
      (
        await db.query<{ hash: string }>(
          `SELECT encode(hash, 'hex') AS hash FROM events WHERE stream_id = $1 AND stream_version = $2`,
          [streamId, version],
        )
      ).rows[0].hash;
    /** three streams of five events: one batch, singles at a version, and 'any' */
    const seed = async () => {
      await store.appendToStream(
        'case-a',
        [1, 2, 3].map((n) => logged(n)),
        'no-stream',
      );
      await store.appendToStream('case-a', [logged(4)], 3);
      await store.appendToStream('case-a', [logged(5)], 'any');
      for (const id of ['case-b', 'case-c'])
        for (let n = 1; n <= 5; n += 1) await store.appendToStream(id, [logged(n)], n - 1);
    };

    /**
     * Waits until the global log holds `count` events. A checkpoint covers only events of
     * transactions older than every one still in flight on the server (the log's rule), and
     * other suites' transactions may be in flight: so wait for the events to settle.
     */
    const settled = async (count: number) => {
      const inLog = async () => {
        let seen = 0;
        for (let after = LOG_START; ;) {
          const page = await store.readAll({ after, limit: 1000 });
          if (page.events.length === 0) return seen;
          seen += page.events.length;
          after = page.checkpoint;
        }
      };
      await waitFor(
        async () => (await inLog()) >= count,
        () => `${count} events in the global log`,
      );
    };

    beforeEach(async () => {
      fx = await open();
      ({ store, db } = fx);
      await seed();
      await settled(15);
    });
    afterEach(() => fx?.close());

    it('finds every chain intact after appends of every kind', async () => {
      expect(await verifyHashChains(db)).toMatchObject({
        ok: true,
        streams: 3,
        events: 15,
        unchained: 0,
        firstBreak: null,
        breaks: [],
        checkpoint: null,
      });
    });

    it('names the event whose data was changed in the database, with the expected and the found hash', async () => {
      const found = await hashOf('case-b', 3);
      await db.query(
        `UPDATE events SET data = jsonb_set(data, '{note}', '"edited"') WHERE stream_id = 'case-b' AND stream_version = 3`,
      );
      const { rows } = await db.query<{ event_id: string; global_position: number | string }>(
        `SELECT event_id::text AS event_id, global_position FROM events WHERE stream_id = 'case-b' AND stream_version = 3`,
      );
      const report = await verifyHashChains(db);
      expect(report.ok).toBe(false);
      expect(report.firstBreak).toEqual({
        kind: 'altered',
        streamId: 'case-b',
        version: 3,
        eventId: rows[0].event_id,
        globalPosition: Number(rows[0].global_position),
        expectedHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        foundHash: found,
        detail: expect.stringContaining('case-b version 3 (Logged'),
      });
      expect(report.firstBreak?.expectedHash).not.toBe(found);
      // one altered event is one break: the next link still holds, and other streams are intact
      expect(report.breaks).toHaveLength(1);
      expect((await verifyHashChains(db, { streamId: 'case-b' })).firstBreak).toEqual(report.firstBreak);
      expect((await verifyHashChains(db, { streamId: 'case-c' })).ok).toBe(true);
    });

    it.each([
      ['its metadata', `metadata = jsonb_set(metadata, '{tenant}', '"globex.example"')`],
      ['the moment it was recorded', `recorded_at = recorded_at - interval '1 millisecond'`],
      ['its type', `event_type = 'Forged'`],
      ['its schema version', 'schema_version = 2'],
    ])('names the event when %s was changed', async (_what, change) => {
      await db.query(`UPDATE events SET ${change} WHERE stream_id = 'case-c' AND stream_version = 4`);
      const report = await verifyHashChains(db);
      expect(report.breaks).toEqual([expect.objectContaining({ kind: 'altered', streamId: 'case-c', version: 4 })]);
    });

    it('names the next link when the altered event got a hash that matches its new content', async () => {
      const { eventHash, genesisHash } = await import('@app/event-store');
      const { rows } = await db.query<{ data: unknown; metadata: unknown; recorded_at: Date }>(
        `SELECT data, metadata, recorded_at FROM events WHERE stream_id = 'case-a' AND stream_version = 1`,
      );
      const forged = eventHash(genesisHash('case-a'), {
        type: 'Logged',
        streamVersion: 1,
        schemaVersion: 1,
        data: { n: 1, note: 'forged' },
        metadata: rows[0].metadata,
        recordedAt: new Date(rows[0].recorded_at),
      });
      await db.query(
        `UPDATE events SET data = '{"n": 1, "note": "forged"}', hash = $1 WHERE stream_id = 'case-a' AND stream_version = 1`,
        [forged],
      );
      const report = await verifyHashChains(db);
      expect(report.breaks).toEqual([
        expect.objectContaining({
          kind: 'altered',
          streamId: 'case-a',
          version: 2,
          detail: expect.stringContaining('the link from version 1'),
        }),
      ]);
    });

    it('names the gap when an event is deleted from the middle of a stream', async () => {
      await db.query(`DELETE FROM events WHERE stream_id = 'case-b' AND stream_version = 3`);
      const report = await verifyHashChains(db);
      expect(report.ok).toBe(false);
      expect(report.breaks).toEqual([
        {
          kind: 'gap',
          streamId: 'case-b',
          version: 3,
          expectedHash: null,
          foundHash: null,
          detail: 'version 3 is missing: version 2 is followed at version 4',
        },
      ]);
    });

    it('names the gap when the first events of a stream are deleted', async () => {
      await db.query(`DELETE FROM events WHERE stream_id = 'case-c' AND stream_version <= 2`);
      expect((await verifyHashChains(db)).firstBreak).toMatchObject({
        kind: 'gap',
        streamId: 'case-c',
        version: 1,
        detail: 'versions 1 to 2 are missing: the stream starts at version 3',
      });
    });

    it("breaks a stream's first link when its events are moved to another stream id", async () => {
      await db.query(`UPDATE events SET stream_id = 'case-z' WHERE stream_id = 'case-a'`);
      expect((await verifyHashChains(db)).breaks).toEqual([
        expect.objectContaining({ kind: 'altered', streamId: 'case-z', version: 1 }),
      ]);
    });

    it('finds a truncated tail through the latest checkpoint, which later appends do not upset', async () => {
      const taken = await takeAuditCheckpoint(store, db, { now: new Date() });
      expect(taken).toMatchObject({ taken: true, checkpoint: { streams: 3, events: 15 } });
      // appends after the checkpoint leave it valid
      await store.appendToStream('case-a', [logged(6)], 5);
      await store.appendToStream('case-d', [logged(1)], 'no-stream');
      const before = await verifyHashChains(db);
      expect(before).toMatchObject({ ok: true, checkpoint: { matches: true, found: { streams: 3, events: 15 } } });

      // the last event of case-c is removed: its chain is still a chain, the checkpoint is not
      await db.query(`DELETE FROM events WHERE stream_id = 'case-c' AND stream_version = 5`);
      const after = await verifyHashChains(db);
      expect(after.ok).toBe(false);
      expect(after.breaks).toEqual([
        expect.objectContaining({
          kind: 'checkpoint',
          streamId: null,
          expectedHash: taken.checkpoint.headsDigest,
          detail: expect.stringContaining('1 of the 15 events it covers are gone'),
        }),
      ]);
      expect(after.checkpoint).toMatchObject({ matches: false, recorded: { events: 15 }, found: { events: 14 } });
    });

    it('takes no checkpoint when nothing but the last checkpoint was recorded since', async () => {
      expect((await takeAuditCheckpoint(store, db, { now: new Date() })).taken).toBe(true);
      await settled(16);
      expect(await takeAuditCheckpoint(store, db, { now: new Date() })).toMatchObject({
        taken: false,
        reason: 'nothing was recorded since the last checkpoint',
      });
      await store.appendToStream('case-b', [logged(6)], 5);
      await settled(17);
      const third = await takeAuditCheckpoint(store, db, { now: new Date() });
      // it covers the first checkpoint event too: checkpoints are chained and covered like any stream
      expect(third).toMatchObject({ taken: true, checkpoint: { streams: 4, events: 17 } });
      expect(await verifyHashChains(db)).toMatchObject({ ok: true, checkpoint: { matches: true } });
    });
  });
