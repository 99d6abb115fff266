import { createEventStore, LOG_START, type EventStoreHandle } from '@app/event-store';
import { createTestDatabase, describeWithService, testGates, waitFor, type TestDatabase } from '@app/testing';
import { takeAuditCheckpoint } from './audit-checkpoint';
import { verifyHashChains } from './chain-verifier';
import { postgresTamperingFixture, verifiesTampering } from './testing/tampering.scenarios';

describeWithService('DATABASE_URL', 'PostgreSQL', 'audit hash chains on PostgreSQL', (serverUrl) => {
  // the same scenarios as on PGlite, each on a fresh database
  verifiesTampering('PostgreSQL', () => postgresTamperingFixture(serverUrl));

  describe('with concurrent writers', () => {
    let database: TestDatabase;
    let handle: EventStoreHandle;
    // a test that fails while it holds a transaction open must not leave it open (see testGates)
    const gates = testGates();
    beforeEach(async () => {
      database = await createTestDatabase(serverUrl);
      handle = await createEventStore({ databaseUrl: database.url, poolSize: 12 });
    });
    afterEach(async () => {
      gates.openAll();
      await handle?.store.close();
      await database?.drop();
    });

    it('covers only what had committed: a transaction open during the checkpoint does not upset it when it commits', async () => {
      const { store, db } = handle;
      await store.appendToStream('case-a', [{ type: 'T', data: 1 }], 'no-stream');
      // transaction ids are the server's: another database's transaction, older than this
      // append and still open (another suite's, on a shared server), would keep it out of
      // the log's committed part; once it is in, no later transaction can take it out
      await waitFor(
        async () => (await store.readAll({ after: LOG_START, limit: 10 })).events.length === 1,
        () => 'the first append to reach the committed part of the log',
      );
      const held = gates.gate();
      let inserted = false;
      const holding = db.transaction(async (tx) => {
        await store.appendInTransaction(tx, 'case-b', [{ type: 'T', data: 1 }], 'no-stream');
        inserted = true;
        await held.opened;
      });
      await waitFor(
        () => inserted,
        () => 'the held append to insert',
      );
      // committed after the held transaction began: also not covered (its transaction id is newer than xmin)
      await store.appendToStream('case-a', [{ type: 'T', data: 2 }], 1);
      const taken = await takeAuditCheckpoint(store, db, { now: new Date() });
      expect(taken).toMatchObject({ taken: true, checkpoint: { streams: 1, events: 1 } });
      held.open();
      await holding;
      const report = await verifyHashChains(db);
      expect(report).toMatchObject({
        ok: true,
        events: 4,
        checkpoint: { matches: true, found: { streams: 1, events: 1 } },
      });
    });

    it('finds every chain intact after 16 writers raced on 20 streams, with expected versions and with any', async () => {
      const { store, db } = handle;
      await Promise.all(
        Array.from({ length: 16 }, async (_, w) => {
          for (let i = 0; i < 25; i += 1) {
            const streamId = `race-${(w * 7 + i) % 20}`;
            if (w % 2 === 0)
              await store.appendToStream(
                streamId,
                [
                  { type: 'T', data: { w, i } },
                  { type: 'T', data: { w, i, two: true } },
                ],
                'any',
              );
            else {
              const version = await store.streamVersion(streamId);
              await store.appendToStream(streamId, [{ type: 'T', data: { w, i } }], version).catch(() => undefined);
            }
          }
        }),
      );
      const report = await verifyHashChains(db, { batchSize: 37 });
      expect(report).toMatchObject({ ok: true, streams: 20, breaks: [] });
      expect(report.events).toBeGreaterThanOrEqual(8 * 25 * 2);
    });
  });
});
