import { randomUUID } from 'node:crypto';
import { toCaseStreamId } from '@app/case-domain';
import { createEventStore, type RecordedEvent } from '@app/event-store';
import { createTestDatabase, describeWithService, testGates, waitFor } from '@app/testing';
import { countingProjection } from './testing/counting.projection';
import { withFault } from './testing/faulty.projection';
import { projectionRunnerSuite } from './testing/projection-runner.suite';
import { caseStory, countRows, type ProjectionTestDatabase } from './testing/projection-test-kit';
import { deskHistory } from '@app/case-domain/testing';
import { appendHistory } from '@app/testing';
import { runnerTestContext } from './testing/runner-test-context';

/** what the database reports on its own (a transaction's connection lost…), beside what callers get */
const databaseErrors: Error[] = [];

const openDatabase = async (serverUrl: string): Promise<ProjectionTestDatabase> => {
  const database = await createTestDatabase(serverUrl);
  const { store, db } = await createEventStore({
    databaseUrl: database.url,
    poolSize: 8,
    onError: (e) => databaseErrors.push(e),
  });
  return {
    store,
    db,
    concurrent: true,
    // another pool on the same database: what a second process would have
    secondProcess: async () => {
      const other = await createEventStore({ databaseUrl: database.url, poolSize: 4 });
      return { ...other, close: () => other.store.close() };
    },
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
};

describeWithService('DATABASE_URL', 'PostgreSQL', 'projection runner on PostgreSQL', (serverUrl) => {
  projectionRunnerSuite('PostgreSQL', () => openDatabase(serverUrl));

  describe('with real connections', () => {
    // a test that fails before opening its gates must not leave a transaction open (see testGates)
    const gates = testGates();
    beforeEach(() => {
      databaseErrors.length = 0;
    });
    const t = runnerTestContext(() => openDatabase(serverUrl), { beforeStop: () => gates.openAll() });
    const { runner, errors } = t;
    const expectExactCounts = async (events: number) => {
      const counts = await countRows(t.db);
      for (const row of counts) expect(row.applied).toBe(row.lastVersion);
      expect(counts.reduce((sum, row) => sum + row.applied, 0)).toBe(events);
    };

    it('a connection killed in the middle of a batch is retried without double counting', async () => {
      const history = await appendHistory(t.store, deskHistory({ events: 1_000, seed: 21 }));
      const killed = new Set<number>();
      // the server ends the batch's own connection, in the middle of a batch of 50
      const projection = withFault(countingProjection(), async (event, tx) => {
        if (event.globalPosition % 130 === 0 && !killed.has(event.globalPosition)) {
          killed.add(event.globalPosition);
          await tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
        }
      });
      const live = runner(projection, { batchSize: 50 });
      await live.start();
      await live.catchUp({ timeoutMs: 120_000 });
      expect(killed.size).toBe(7);
      expect(errors.map((e) => (e.cause as { code?: string } | undefined)?.code)).toContain('57P01');
      expect(errors.length).toBeGreaterThanOrEqual(7);
      // the database reported each lost connection too (and the process lived on: pg's 'error' was heard)
      expect(databaseErrors.length).toBeGreaterThanOrEqual(7);
      expect(new Set(databaseErrors.map((e) => (e as { code?: string }).code))).toEqual(
        new Set(['EVENT_STORE.CONNECTION_LOST']),
      );
      await expectExactCounts(history.events);
    });

    it('waitForPosition orders by transaction id: a larger position can come first in the log', async () => {
      // A takes its transaction id first but inserts last; B inserts first and commits first.
      // The log then holds A's event (larger position) before B's (smaller position).
      const [a, b] = [randomUUID(), randomUUID()];
      // both gates hold a transaction open: afterEach opens them if the test fails first
      const aMayInsert = gates.gate();
      const aTookId = gates.gate();
      const store = t.store as Awaited<ReturnType<typeof createEventStore>>['store'];
      const appendA = t.db.transaction(async (tx) => {
        await tx.query('SELECT pg_current_xact_id()');
        aTookId.open();
        await aMayInsert.opened;
        return store.appendInTransaction(tx, toCaseStreamId(a), caseStory(a).slice(0, 1), 'no-stream');
      });
      appendA.catch(() => undefined); // awaited below; when the test fails before that, nobody else listens
      await aTookId.opened;
      const appendedB = await t.store.appendToStream(toCaseStreamId(b), caseStory(b).slice(0, 1), 'no-stream');
      aMayInsert.open();
      const appendedA = await appendA;
      const [positionA, positionB] = [appendedA.globalPositions[0], appendedB.globalPositions[0]];
      expect(positionA).toBeGreaterThan(positionB);
      expect(BigInt(appendedA.checkpoint.transactionId)).toBeLessThan(BigInt(appendedB.checkpoint.transactionId));

      // hold B's event in the middle of its batch
      const bMayApply = gates.gate();
      const gated = withFault(countingProjection(), async (event: RecordedEvent) => {
        if (event.globalPosition === positionB) await bMayApply.opened;
      });
      const live = runner(gated, { batchSize: 1 });
      await live.start();
      expect(await live.waitForPosition(positionA, 10_000)).toBe(true);
      // the checkpoint's position is past B's, but B's event is not applied: not passed
      expect((await live.checkpoint()).globalPosition).toBe(positionA);
      expect(await live.waitForPosition(positionB, 200)).toBe(false);
      bMayApply.open();
      expect(await live.waitForPosition(positionB, 10_000)).toBe(true);
    });

    it('when the active runner dies, its lease expires and the standby takes over', async () => {
      const [first, second] = [await t.database.secondProcess(), await t.database.secondProcess()];
      try {
        const options = { batchSize: 20, lease: { durationMs: 1_500, standbyPollMs: 20 } };
        const a = runner(countingProjection(), { ...options, ...first, onError: () => undefined });
        const b = runner(countingProjection(), { ...options, ...second });
        await a.start();
        await waitFor(
          () => a.status() === 'active',
          () => `a is ${a.status()}`,
        );
        await b.start();
        await waitFor(
          () => b.status() === 'standby',
          () => `b is ${b.status()}`,
        );
        const before = await appendHistory(t.store, deskHistory({ events: 200, seed: 31 }));
        await a.catchUp();

        await first.close(); // a's process loses its database: it renews nothing any more
        await waitFor(
          () => b.status() === 'active',
          () => `b is ${b.status()}`,
        );
        const after = await appendHistory(t.store, deskHistory({ events: 200, seed: 32 }));
        await b.catchUp();
        await expectExactCounts(before.events + after.events);
        expect(b.stats().batches).toBeGreaterThan(0);
        expect(errors).toEqual([]);
        await b.stop();
      } finally {
        await first.close();
        await second.close();
      }
    });

    it('follows concurrent writers without skipping or doubling an event', async () => {
      const live = runner(countingProjection(), { batchSize: 25 });
      await live.start();
      const writers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          appendHistory(t.store, deskHistory({ events: 300, seed: 100 + i, maxPerAppend: 4 })),
        ),
      );
      await live.catchUp({ timeoutMs: 120_000 });
      await expectExactCounts(writers.reduce((sum, w) => sum + w.events, 0));
      expect(errors).toEqual([]);
      expect(databaseErrors).toEqual([]);
    });
  });
});
