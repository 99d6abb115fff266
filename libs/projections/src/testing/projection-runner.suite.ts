import { randomUUID } from 'node:crypto';
import { toCaseStreamId } from '@app/case-domain';
import { ManualClock } from '@app/clock';
import type { RecordedEvent } from '@app/event-store';
import { waitFor } from '@app/testing';
// the runner's realistic projection: the case summaries of @app/read-models
import { caseQueueProjection, caseSummariesProjection, listCaseSummaries } from '@app/read-models';
import type { Projection } from '../projection';
import { ProjectionRunner } from '../projection.runner';
import { countingProjection } from './counting.projection';
import { connectionLostAt, ConnectionLostForTest, PoisonEventForTest, withFault } from './faulty.projection';
import {
  caseStory,
  checkpointNames,
  countRows,
  foldedSummaries,
  physicalTables,
  summaryRows,
  type ProjectionTestDatabase,
} from './projection-test-kit';
import { deskHistory } from '@app/case-domain/testing';
import { appendHistory } from '@app/testing';
import { runnerTestContext } from './runner-test-context';

/** the case-summaries version this code writes, and the next one */
const V = caseSummariesProjection.version;
const NEXT = V + 1;

/**
 * The behaviour of the projection runner, run against PGlite (projection-runner.spec.ts)
 * and PostgreSQL (projection-runner.int-spec.ts). Each test gets a fresh database.
 */
export const projectionRunnerSuite = (
  adapter: string,
  createDatabase: () => Promise<ProjectionTestDatabase>,
  /** size of the rebuild-equality history: 10,000 on a server, where commits really interleave */
  { determinismEvents = 10_000 }: { determinismEvents?: number } = {},
): void =>
  describe(`ProjectionRunner on ${adapter}`, () => {
    const t = runnerTestContext(createDatabase);
    const { runner, errors } = t;

    it(`builds exactly the rows a rebuild from scratch builds (${determinismEvents.toLocaleString('en')} random events, batches of 7)`, async () => {
      const live = runner(caseSummariesProjection, { batchSize: 7 });
      await live.start();
      const history = await appendHistory(
        t.store,
        deskHistory({
          events: determinismEvents,
          seed: 20260302,
          concurrentCases: 80,
        }),
      );
      await live.catchUp({ timeoutMs: 240_000 });
      const incremental = await summaryRows(t.db);
      expect(incremental.length).toBe(history.caseIds.length);
      // the oracle: a plain fold of each stream
      expect(incremental).toEqual(await foldedSummaries(t.store, history.caseIds));

      const rebuilt = await live.rebuild({ batchSize: 500 });
      expect(rebuilt).toMatchObject({ generation: 2, version: V, swapped: true });
      expect(await summaryRows(t.db)).toEqual(incremental);
      expect(await physicalTables(t.db, 'case_summaries')).toEqual([`case_summaries_v${V}_g2`]);
      expect(await live.parked()).toEqual({ streams: 0, events: 0 });
      expect(errors).toEqual([]);
    });

    it('a runner killed in the middle of a batch leaves no partial effects; a new one resumes without double counting', async () => {
      const history = await appendHistory(t.store, deskHistory({ events: 1_500, seed: 7, concurrentCases: 40 }));
      // the connection "drops" at the 125th event applied: in the middle of the third batch of 50
      const dying = connectionLostAt(countingProjection(), 125);
      const first = runner(dying.projection, { batchSize: 50, retry: { initialMs: 60_000, maxMs: 60_000 } });
      await first.start();
      await dying.lost;
      await first.stop();

      // exactly the two committed batches are visible, nothing of the third
      const counts = await countRows(t.db);
      expect(counts.reduce((sum, row) => sum + row.applied, 0)).toBe(100);
      expect((await first.checkpoint()).globalPosition).toBeGreaterThan(0);
      expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('simulated')]);

      const second = runner(countingProjection(), { batchSize: 50 });
      await second.start();
      await second.catchUp();
      const final = await countRows(t.db);
      expect(final.length).toBe(history.caseIds.length);
      for (const row of final) expect(row.applied).toBe(row.lastVersion);
      expect(final.reduce((sum, row) => sum + row.applied, 0)).toBe(history.events);
    });

    it('retries after a lost connection, by itself, with the same result', async () => {
      const history = await appendHistory(t.store, deskHistory({ events: 600, seed: 11 }));
      const lost = new Set<number>();
      // each event of every 97th position fails once, as a lost connection would
      const flaky = withFault(countingProjection(), (event) => {
        if (event.globalPosition % 97 === 0 && !lost.has(event.globalPosition)) {
          lost.add(event.globalPosition);
          throw new ConnectionLostForTest();
        }
      });
      const live = runner(flaky, { batchSize: 40 });
      await live.start();
      await live.catchUp();
      const counts = await countRows(t.db);
      for (const row of counts) expect(row.applied).toBe(row.lastVersion);
      expect(counts.reduce((sum, row) => sum + row.applied, 0)).toBe(history.events);
      expect(errors.length).toBe(lost.size);
      expect(await live.parked()).toEqual({ streams: 0, events: 0 });
    });

    it('parks a poison event with the later events of its case; other cases go on; retry un-parks', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      const storyA = caseStory(a, 'assign', 'priority', 'escalate', 'resolve', 'reopen', 'close');
      const storyB = caseStory(b, 'assign', 'escalate', 'priority');
      let poisonPosition = 0;
      let broken = true;
      const projection = withFault(caseSummariesProjection, (event: RecordedEvent) => {
        if (broken && event.globalPosition === poisonPosition) throw new PoisonEventForTest(event);
      });
      const appendA = async (from: number, to: number) =>
        t.store.appendToStream(toCaseStreamId(a), storyA.slice(from, to), from);
      await appendA(0, 2);
      poisonPosition = (await appendA(2, 3)).globalPositions[0]; // PriorityChanged, version 3
      await appendA(3, 5);
      await t.store.appendToStream(toCaseStreamId(b), storyB.slice(0, 3), 'no-stream');

      const live = runner(projection, { batchSize: 4 });
      await live.start();
      await live.catchUp();
      const byCase = async () => new Map((await summaryRows(t.db)).map((s) => [s.caseId, s]));
      expect((await byCase()).get(a)).toMatchObject({ version: 2, priority: 'P3', assigneeId: 'agent-7' });
      expect((await byCase()).get(b)).toMatchObject({ version: 3, escalationCount: 1 });
      expect(await live.parked()).toEqual({ streams: 1, events: 3 });
      const parked = await live.listParked();
      expect(parked.map((p) => [p.streamVersion, p.reason])).toEqual([
        [3, 'failed'],
        [4, 'behind'],
        [5, 'behind'],
      ]);
      expect(parked[0].error).toContain('cannot apply PriorityChanged #3');

      // later events: A's join the park, B's flow
      await appendA(5, 6);
      await t.store.appendToStream(toCaseStreamId(b), storyB.slice(3), 3);
      await live.catchUp();
      expect((await byCase()).get(a)?.version).toBe(2);
      expect((await byCase()).get(b)?.version).toBe(4);
      expect(await live.parked()).toEqual({ streams: 1, events: 4 });

      // still broken: stays parked, one more attempt recorded
      expect(await live.retryParked()).toEqual({ streamsReleased: 0, streamsStillParked: 1, eventsApplied: 0 });
      expect((await live.listParked())[0]).toMatchObject({ reason: 'failed', attempts: 2 });

      broken = false;
      expect(await live.retryParked()).toEqual({ streamsReleased: 1, streamsStillParked: 0, eventsApplied: 4 });
      expect(await live.parked()).toEqual({ streams: 0, events: 0 });
      expect((await byCase()).get(a)).toMatchObject({ version: 6, priority: 'P1', status: 'open', cycle: 2 });

      // and A's next event is applied directly again
      await appendA(6, 7);
      await live.catchUp();
      expect((await byCase()).get(a)).toMatchObject({ version: 7, status: 'closed' });
      expect(await summaryRows(t.db)).toEqual(await foldedSummaries(t.store, [a, b]));
    });

    it('waitForPosition resolves once the checkpoint has passed the event, and false on timeout', async () => {
      const live = runner(caseSummariesProjection, { batchSize: 10 });
      const caseId = randomUUID();
      const appended = await t.store.appendToStream(toCaseStreamId(caseId), caseStory(caseId, 'assign'), 'no-stream');
      // not started: nobody applies it
      expect(await live.waitForPosition(appended.globalPositions[1], 50)).toBe(false);
      await live.start();
      expect(await live.waitForPosition(appended.globalPositions[1], 10_000)).toBe(true);
      // read your writes: the row is there as soon as it resolves
      expect((await listCaseSummaries(t.db)).items).toEqual([expect.objectContaining({ caseId, version: 2 })]);
      // a checkpoint works too, and a position that does not exist yet times out
      expect(await live.waitForPosition(appended.checkpoint, 1_000)).toBe(true);
      const started = Date.now();
      expect(await live.waitForPosition(appended.globalPositions[1] + 1_000_000, 100)).toBe(false);
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('rebuilds into fresh tables while a reader keeps reading the old rows, then swaps', async () => {
      const history = await appendHistory(t.store, deskHistory({ events: 400, seed: 5, concurrentCases: 20 }));
      const live = runner(caseSummariesProjection, { batchSize: 25 });
      await live.start();
      await live.catchUp();
      // a read model gone wrong: the rebuild must repair it
      await t.db.query(`UPDATE case_summaries SET subject = 'stale'`);
      const subjects = async () => {
        const rows = (await summaryRows(t.db)).filter((s) => history.caseIds.includes(s.caseId));
        return new Set(rows.map((s) => (s.subject === 'stale' ? 'old' : 'new')));
      };

      // a reader polls all along: every read is all old or all new, never a mix
      const seen: string[] = [];
      let reading = true;
      const reader = (async () => {
        while (reading) seen.push([...(await subjects())].join('+'));
      })();
      const late = randomUUID();
      let progressed = 0;
      const rebuilt = await live.rebuild({
        batchSize: 50,
        onProgress: async ({ afterStream }) => {
          if (++progressed !== 1) return;
          // case summaries are folded stream by stream first
          expect(afterStream).toMatch(/^case-/);
          expect(await subjects()).toEqual(new Set(['old']));
          // events keep coming during the rebuild; the live runner serves them from the old tables
          const appended = await t.store.appendToStream(toCaseStreamId(late), caseStory(late, 'assign'), 'no-stream');
          expect(await live.waitForPosition(appended.globalPositions[1], 10_000)).toBe(true);
          expect((await listCaseSummaries(t.db)).items.some((s) => s.caseId === late)).toBe(true);
        },
      });
      await waitFor(
        () => seen.length > 0 && seen[seen.length - 1] === 'new',
        () => `reads: ${seen.slice(-3)}`,
      );
      reading = false;
      await reader;

      expect(rebuilt).toMatchObject({ generation: 2, swapped: true });
      expect(seen.every((s) => s === 'old' || s === 'new')).toBe(true);
      expect(seen.lastIndexOf('old')).toBeLessThan(seen.indexOf('new'));
      expect(await summaryRows(t.db)).toEqual(await foldedSummaries(t.store, [...history.caseIds, late]));
      expect(await physicalTables(t.db, 'case_summaries')).toEqual([`case_summaries_v${V}_g2`]);
      expect(await checkpointNames(t.db)).toEqual([`projector:case-summaries:v${V}`]);
      // analysed (and vacuumed) before the swap: the planner knows the new table's rows (a
      // table never analysed has reltuples -1, or 0 from its indexes built while empty)
      const { rows: stats } = await t.db.query<{ reltuples: number }>(
        'SELECT reltuples::float8 AS reltuples FROM pg_class WHERE relname = $1',
        [`case_summaries_v${V}_g2`],
      );
      expect(stats[0].reltuples).toBeGreaterThan(0);
      // the live runner goes on, now on the new tables
      const next = await t.store.appendToStream(
        toCaseStreamId(late),
        caseStory(late, 'assign', 'escalate').slice(2),
        2,
      );
      expect(await live.waitForPosition(next.globalPositions[0], 10_000)).toBe(true);
      expect((await summaryRows(t.db)).find((s) => s.caseId === late)?.escalationCount).toBe(1);
    });

    it('a new version rebuilds beside the old tables, which serve until the swap', async () => {
      const history = await appendHistory(t.store, deskHistory({ events: 300, seed: 9, concurrentCases: 15 }));
      const v1 = runner(caseSummariesProjection);
      await v1.start();
      await v1.catchUp();
      await v1.stop();
      // the next version shouts its subjects
      const shout =
        (apply: Projection<'case_summaries'>['applyBatch']): Projection<'case_summaries'>['applyBatch'] =>
        async (tx, events, tables) => {
          await apply(tx, events, tables);
          await tx.query(
            `UPDATE ${tables.case_summaries} SET subject = upper(subject) WHERE subject <> upper(subject)`,
          );
        };
      const shouting: Projection<'case_summaries'> = {
        ...caseSummariesProjection,
        version: NEXT,
        applyBatch: shout(caseSummariesProjection.applyBatch),
        applyNewStreams: shout(caseSummariesProjection.applyNewStreams!),
      };
      const servedDuringRebuild: boolean[] = [];
      const v2 = runner(shouting, {
        batchSize: 100,
        rebuildBatchSize: 100,
        onRebuildProgress: async () => {
          const rows = await summaryRows(t.db);
          servedDuringRebuild.push(
            rows.length === history.caseIds.length && rows.every((s) => s.subject !== s.subject.toUpperCase()),
          );
        },
      });
      await v2.start();
      await v2.catchUp({ timeoutMs: 120_000 });
      expect(servedDuringRebuild.length).toBeGreaterThan(1);
      expect(servedDuringRebuild.every(Boolean)).toBe(true);
      const rows = await summaryRows(t.db);
      expect(rows.length).toBe(history.caseIds.length);
      expect(rows.every((s) => s.subject === s.subject.toUpperCase())).toBe(true);
      // the old tables are dropped after the swap, which catchUp does not wait for
      await waitFor(
        async () => (await physicalTables(t.db, 'case_summaries')).length === 1,
        () => 'the retired generation to be dropped',
      );
      expect(await physicalTables(t.db, 'case_summaries')).toEqual([`case_summaries_v${NEXT}_g2`]);
      expect(await checkpointNames(t.db)).toEqual([`projector:case-summaries:v${NEXT}`]);
    });

    it('a rebuild folds whole streams first and resumes that pass where it stopped; a poison event parks its stream', async () => {
      const history = await appendHistory(t.store, deskHistory({ events: 600, seed: 11, concurrentCases: 30 }));
      const poisoned = toCaseStreamId(history.caseIds[3]);
      const projection = withFault(caseSummariesProjection, (event: RecordedEvent) => {
        if (event.streamId === poisoned && event.streamVersion === 3) throw new PoisonEventForTest(event);
      });
      const live = runner(projection, { batchSize: 50 });
      await live.start();
      await live.catchUp();
      const parkedLive = (await live.listParked()).map((p) => [p.streamId, p.streamVersion, p.reason]);
      expect(parkedLive[0]).toEqual([poisoned, 3, 'failed']);

      // stopped after its second batch of the pass: the half-built generation stays
      const stop = new AbortController();
      const stoppedAt: string[] = [];
      await expect(
        live.rebuild({
          batchSize: 40,
          signal: stop.signal,
          onProgress: ({ afterStream, checkpoint }) => {
            // during the pass the new generation's checkpoint stays at the start of the log
            expect(checkpoint.globalPosition).toBe(0);
            stoppedAt.push(afterStream!);
            if (stoppedAt.length === 2) stop.abort();
          },
        }),
      ).rejects.toThrow();
      expect(stoppedAt).toEqual([expect.stringMatching(/^case-/), expect.stringMatching(/^case-/)]);
      expect(stoppedAt[0] < stoppedAt[1]).toBe(true);
      expect(await physicalTables(t.db, 'case_summaries')).toHaveLength(2);

      // resumed: on from the last stream it applied, not from the first
      const resumedFrom: string[] = [];
      const rebuilt = await live.rebuild({
        batchSize: 40,
        fresh: false,
        onProgress: ({ afterStream }) => void (afterStream !== undefined && resumedFrom.push(afterStream)),
      });
      expect(rebuilt).toMatchObject({ generation: 2, swapped: true });
      expect(resumedFrom.length).toBeGreaterThan(0);
      expect(resumedFrom.every((stream) => stream === '' || stream > stoppedAt[1])).toBe(true);

      // every case as a plain fold of its stream; the poisoned one up to its hole, parked as live
      const rows = await summaryRows(t.db);
      const oracle = await foldedSummaries(t.store, history.caseIds);
      const poisonedId = history.caseIds[3];
      expect(rows.filter((s) => s.caseId !== poisonedId)).toEqual(oracle.filter((s) => s.caseId !== poisonedId));
      expect(rows.find((s) => s.caseId === poisonedId)?.version).toBe(2);
      expect((await live.listParked()).map((p) => [p.streamId, p.streamVersion, p.reason])).toEqual(parkedLive);
    });

    it('rebuilds several projections with one read of the log, each as its own rebuild would; a stopped one resumes', async () => {
      const history = await appendHistory(t.store, deskHistory({ events: 500, seed: 13, concurrentCases: 25 }));
      const [summaries, queue, counting] = [
        runner(caseSummariesProjection, { batchSize: 60 }),
        runner(caseQueueProjection, { batchSize: 60 }),
        runner(countingProjection(), { batchSize: 60 }),
      ];
      for (const live of [summaries, queue, counting]) await live.catchUp();
      const queueRows = async () => (await t.db.query('SELECT * FROM case_queue ORDER BY case_id')).rows;
      const before = await queueRows();

      // stopped in the shared pass: both passes stream by stream move together, the counting one waits for its turn
      const stop = new AbortController();
      const seen: string[] = [];
      await expect(
        ProjectionRunner.rebuildAll([summaries, queue, counting], {
          batchSize: 40,
          signal: stop.signal,
          onProgress: ({ projection, afterStream }) => {
            seen.push(`${projection}:${afterStream === undefined ? 'log' : 'streams'}`);
            if (seen.length === 4) stop.abort();
          },
        }),
      ).rejects.toThrow();
      expect([...new Set(seen)].sort()).toEqual(['case-queue:streams', 'case-summaries:streams']);

      // resumed: each pass goes on alone from its own place, then the rest in log order and the swaps
      const late = randomUUID();
      const progressed = new Set<string>();
      const results = await ProjectionRunner.rebuildAll([summaries, queue, counting], {
        batchSize: 40,
        fresh: false,
        onProgress: async ({ projection }) => {
          if (progressed.size === 0)
            await t.store.appendToStream(toCaseStreamId(late), caseStory(late, 'assign'), 'no-stream');
          progressed.add(projection);
        },
      });
      expect(results.map((r) => [r.generation, r.swapped])).toEqual([
        [2, true],
        [2, true],
        [2, true],
      ]);
      expect(progressed).toEqual(new Set(['case-summaries', 'case-queue', 'event-counts']));
      for (const live of [summaries, queue, counting]) await live.catchUp();
      expect(await summaryRows(t.db)).toEqual(await foldedSummaries(t.store, [...history.caseIds, late]));
      const counts = await countRows(t.db);
      for (const row of counts) expect(row.applied).toBe(row.lastVersion);
      expect(counts.reduce((sum, row) => sum + row.applied, 0)).toBe(history.events + 2);
      // the queue as before, plus the late case; and as a rebuild of its own gives it
      const after = await queueRows();
      expect(after.filter((row) => row.case_id !== late)).toEqual(before);
      expect(after.some((row) => row.case_id === late)).toBe(true);
      await queue.rebuild({ batchSize: 40 });
      expect(await queueRows()).toEqual(after);
      expect(errors).toEqual([]);
    });

    it('one runner per projection is active; the other stands by and takes over when it stops', async () => {
      const other = await t.database.secondProcess();
      try {
        const options = { batchSize: 20, lease: { durationMs: 5_000, standbyPollMs: 10 } };
        const a = runner(countingProjection(), options);
        const b = runner(countingProjection(), { ...options, store: other.store, db: other.db });
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
        const first = await appendHistory(t.store, deskHistory({ events: 300, seed: 3 }));
        await a.catchUp();
        await waitFor(
          () => a.stats().events === 300,
          () => `a applied ${a.stats().events}`,
        );
        expect(b.status()).toBe('standby');
        expect(b.stats().batches).toBe(0);

        await a.stop();
        await waitFor(
          () => b.status() === 'active',
          () => `b is ${b.status()}`,
        );
        const second = await appendHistory(t.store, deskHistory({ events: 200, seed: 4 }));
        await b.catchUp();
        await waitFor(
          () => b.stats().events === 200,
          () => `b applied ${b.stats().events}`,
        );
        expect(a.stats().events).toBe(300);
        const counts = await countRows(t.db);
        expect(counts.length).toBe(first.caseIds.length + second.caseIds.length);
        for (const row of counts) expect(row.applied).toBe(row.lastVersion);
        await b.stop();
        expect(errors).toEqual([]);
      } finally {
        await other.close();
      }
    });

    it('reports lag in events and in seconds by the injected clock, and stamps the checkpoint with it', async () => {
      const clock = new ManualClock('2026-03-02T09:00:00Z');
      const live = runner(caseSummariesProjection, { clock });
      await live.prepare();
      expect(await live.lag()).toMatchObject({ events: 0, seconds: 0 });
      const caseId = randomUUID();
      await t.store.appendToStream(toCaseStreamId(caseId), caseStory(caseId, 'assign', 'escalate'), 'no-stream');
      const { events } = await t.store.readStream(toCaseStreamId(caseId));
      clock.set(new Date(events[0].recordedAt.getTime() + 90_000));
      expect(await live.lag()).toEqual({
        events: 3,
        seconds: 90,
        checkpoint: { transactionId: '0', globalPosition: 0 },
      });
      await live.catchUp();
      expect(await live.lag()).toMatchObject({
        events: 0,
        seconds: 0,
        checkpoint: { globalPosition: events[2].globalPosition },
      });
      const { rows } = await t.db.query<{ updated_at: Date }>(
        `SELECT updated_at FROM checkpoints WHERE component = 'projections' AND name = 'projector:case-summaries:v${V}'`,
      );
      expect(new Date(rows[0].updated_at).toISOString()).toBe(clock.now().toISOString());
    });
  });
