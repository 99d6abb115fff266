import { createCalendar, parseSlaPolicy } from '@app/business-time';
import { toCaseStreamId } from '@app/case-domain';
import { SlaService } from '@app/sla';
import { waitFor } from '@app/testing';
import type { EventStoreHandle } from '@app/event-store';
import { standaloneDoor } from '@app/commands';
import { fireTimer } from '../scheduler/timer-firing';
import { claimDue, timersOf } from '../store/timer-table';
import { surveyMailsOf } from '../store/survey-mail-table';
import { timersHarness, type TimersBackend, type TimersHarness } from './timers-harness';

const H = 3_600_000;
const DAY = 24 * H;
/** one business day after Monday 10:00 Paris: Tuesday 10:00 Paris */
const FIRST_RESPONSE_DUE = '2026-03-03T09:00:00.000Z';

/**
 * R11: a short test calendar, so that business days are easy to count by hand: 09:00–12:00
 * UTC on weekdays (a business day is 3 h), and Wednesday 4 March 2026 a holiday.
 */
const shortWeekSla = (): SlaService => {
  const morning = ['09:00-12:00'];
  const calendar = createCalendar({
    id: 'short-week',
    version: 1,
    timeZone: 'UTC',
    week: { mon: morning, tue: morning, wed: morning, thu: morning, fri: morning, sat: [], sun: [] },
    holidays: [{ date: '2026-03-04', name: 'A test holiday' }],
  });
  const calendars = new Map([[calendar.id, calendar]]);
  const policy = parseSlaPolicy(
    {
      version: 'short-1',
      firstResponseBusinessDays: { P1: 1, P2: 1, P3: 1, P4: 1 },
      calendarByRegion: {},
      defaultCalendar: 'short-week',
    },
    'short test policy',
    calendars,
  );
  return new SlaService(calendars, policy);
};

/**
 * The timers' behaviour, run against every backend (docs/conventions.md's contract-suite pattern):
 * PGlite in unit tests, PostgreSQL in integration tests, where two schedulers really run
 * side by side on their own connections.
 */
export const timersScenarios = (
  name: string,
  makeBackend: (options: { persistent: boolean }) => Promise<TimersBackend>,
): void =>
  describe(`durable timers on ${name}`, () => {
    let backend: TimersBackend;
    let handle: EventStoreHandle;
    let t: TimersHarness;

    beforeEach(async () => {
      backend = await makeBackend({ persistent: false });
      handle = await backend.connect();
      t = await timersHarness(handle);
    });
    afterEach(async () => {
      await handle.store.close();
      await backend.dispose();
    });

    it('R10: records SlaBreached once, at the due moment (not a millisecond before, within 5 s after)', async () => {
      const scheduler = t.scheduler();
      const caseId = await t.open(); // P2: a first-response target, no resolution target
      await scheduler.tick();
      expect(await timersOf(handle.db, toCaseStreamId(caseId))).toMatchObject([
        { kind: 'sla-breach', state: 'pending', dueAt: new Date(Date.parse(FIRST_RESPONSE_DUE) + 1) },
      ]);

      t.clock.set(FIRST_RESPONSE_DUE); // the target is used up, not exceeded
      expect((await scheduler.tick()).fired).toEqual([]);
      expect(await t.eventsOf(caseId, 'SlaBreached')).toEqual([]);

      t.clock.advance(1);
      expect((await scheduler.tick()).fired).toEqual([
        expect.objectContaining({ kind: 'sla-breach', outcome: 'recorded' }),
      ]);
      const [breach] = await t.eventsOf(caseId, 'SlaBreached');
      expect(breach.data).toMatchObject({
        clock: 'first-response',
        cycle: 1,
        priority: 'P2',
        dueAt: FIRST_RESPONSE_DUE,
        targetMs: 8 * H,
        calendarId: 'europe-paris',
        policyVersion: 'test-1',
        byId: 'system:sla-timer',
      });
      expect(Date.parse(breach.data.at) - Date.parse(FIRST_RESPONSE_DUE)).toBeLessThanOrEqual(5_000);

      t.clock.advance(DAY);
      expect((await scheduler.tick()).fired).toEqual([]);
      expect(await t.eventsOf(caseId, 'SlaBreached')).toHaveLength(1);
      expect(await timersOf(handle.db, toCaseStreamId(caseId))).toMatchObject([{ state: 'done' }]);
    });

    it('R10: a first response before the due time cancels the breach timer; no breach is ever recorded', async () => {
      const scheduler = t.scheduler();
      const caseId = await t.open();
      await scheduler.tick();
      t.clock.set('2026-03-03T08:59:59.999Z');
      await t.respond(caseId);
      await scheduler.tick();
      expect(await timersOf(handle.db, toCaseStreamId(caseId))).toMatchObject([
        { kind: 'sla-breach', state: 'cancelled' },
      ]);
      t.clock.advance(7 * DAY);
      expect((await scheduler.tick()).fired).toEqual([]);
      expect(await t.typesOf(caseId)).toEqual(['Opened', 'AgentResponded']);
    });

    it('plans every case of a batch from the log’s events, without reading the cases’ streams', async () => {
      const scheduler = t.scheduler();
      const cases = await Promise.all(Array.from({ length: 30 }, () => t.open()));
      const reads = jest.spyOn(handle.store, 'readStream');
      await scheduler.tick();
      expect(reads).not.toHaveBeenCalled(); // new cases: their first events are in the batch
      for (const caseId of cases.slice(0, 15)) await t.respond(caseId);
      reads.mockClear();
      await scheduler.tick();
      expect(reads).not.toHaveBeenCalled();
      reads.mockRestore();
      for (const [i, caseId] of cases.entries())
        expect(await timersOf(handle.db, toCaseStreamId(caseId))).toMatchObject([
          { kind: 'sla-breach', state: i < 15 ? 'cancelled' : 'pending' },
        ]);
    });

    it('R11: waiting on the customer pauses the resolution clock; the answer moves its due time, and the breach fires then', async () => {
      const scheduler = t.scheduler();
      const caseId = await t.open({
        impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: false },
      }); // P1
      await scheduler.tick();
      const pending = () =>
        timersOf(handle.db, toCaseStreamId(caseId)).then((ts) => ts.filter((x) => x.state === 'pending'));
      expect((await pending()).map((x) => x.id)).toEqual([
        `sla-breach:${caseId}:1:first-response`,
        `sla-breach:${caseId}:1:resolution`,
      ]);

      t.clock.set('2026-03-02T11:00:00.000Z'); // Monday 12:00 Paris: 2 h used
      await t.requestInfo(caseId);
      await scheduler.tick();
      // no breach timer while paused: only the wait's own (R11, below)
      expect((await pending()).map((x) => x.kind)).toEqual(['waiting-reminder', 'waiting-auto-close']);

      t.clock.set('2026-03-04T09:00:00.000Z'); // Wednesday 10:00 Paris: when it would have been due, unpaused
      expect((await scheduler.tick()).fired).toEqual([]);
      await t.provideInfo(caseId); // 14 h left: Wednesday 7 h, Thursday 7 h → Thursday 17:00 Paris
      await scheduler.tick();
      expect(await pending()).toMatchObject([
        { id: `sla-breach:${caseId}:1:resolution`, dueAt: new Date('2026-03-05T16:00:00.001Z') },
      ]);

      t.clock.set('2026-03-05T16:00:00.000Z');
      expect((await scheduler.tick()).fired).toEqual([]);
      t.clock.advance(1);
      await scheduler.tick();
      expect((await t.eventsOf(caseId, 'SlaBreached')).map((e) => [e.data.clock, e.data.dueAt])).toEqual([
        ['resolution', '2026-03-05T16:00:00.000Z'],
      ]);
    });

    it('R11: on the case’s calendar, WAITING_REMINDER business days into the wait the customer is reminded, WAITING_AUTO_CLOSE days in the case is resolved no-customer-answer; an answer before that cancels it', async () => {
      const w = await timersHarness(handle, { sla: shortWeekSla(), waitingReminderDays: 2, waitingAutoCloseDays: 4 });
      const scheduler = w.scheduler();
      const silent = await w.open();
      const answering = await w.open();
      const WAIT_START = '2026-03-02T10:00:00.000Z'; // Monday 10:00: 2 h of the first business day left
      w.clock.set(WAIT_START);
      await w.requestInfo(silent);
      await w.requestInfo(answering);
      await scheduler.tick();
      const waitingTimers = async (caseId: string) =>
        (await timersOf(handle.db, toCaseStreamId(caseId))).filter((x) => x.kind.startsWith('waiting-'));
      expect(await waitingTimers(silent)).toMatchObject([
        // 6 business hours: Monday 2, Tuesday 3, (Wednesday a holiday), Thursday 1
        { kind: 'waiting-reminder', state: 'pending', dueAt: new Date('2026-03-05T10:00:00.000Z') },
        // 12: and Thursday 2 more, Friday 3, (the weekend), Monday 1
        { kind: 'waiting-auto-close', state: 'pending', dueAt: new Date('2026-03-09T10:00:00.000Z') },
      ]);

      w.clock.set('2026-03-05T09:59:59.999Z');
      expect((await scheduler.tick()).fired).toEqual([]);
      w.clock.advance(1);
      expect((await scheduler.tick()).fired.map((f) => [f.kind, f.outcome])).toEqual([
        ['waiting-reminder', 'recorded'],
        ['waiting-reminder', 'recorded'],
      ]);
      for (const caseId of [silent, answering])
        expect((await w.eventsOf(caseId, 'CustomerReminded')).map((e) => e.data)).toEqual([
          { caseId, at: '2026-03-05T10:00:00.000Z', byId: 'system:waiting-timer', cycle: 1, waitingSince: WAIT_START },
        ]);

      w.clock.set('2026-03-06T11:00:00.000Z'); // Friday: one customer answers before the deadline
      await w.provideInfo(answering);
      await scheduler.tick();
      expect(await waitingTimers(answering)).toMatchObject([
        { kind: 'waiting-reminder', state: 'done' },
        { kind: 'waiting-auto-close', state: 'cancelled' },
      ]);

      w.clock.set('2026-03-09T09:59:59.999Z');
      expect((await scheduler.tick()).fired).toEqual([]);
      w.clock.advance(1);
      expect((await scheduler.tick()).fired).toEqual([
        {
          timerId: `waiting-auto-close:${silent}:1:${WAIT_START}`,
          kind: 'waiting-auto-close',
          outcome: 'recorded',
        },
      ]);
      const [resolved] = await w.eventsOf(silent, 'Resolved');
      expect(resolved.data).toMatchObject({
        outcome: 'no-customer-answer',
        byId: 'system:waiting-timer',
        at: '2026-03-09T10:00:00.000Z',
        cycle: 1,
      });
      expect(resolved.data.summary).toContain('had no answer within 4 business days');

      w.clock.set('2026-03-31T10:00:00.000Z'); // long after: nothing more of the waits, once each
      await scheduler.tick();
      expect(await w.typesOf(silent)).toEqual([
        'Opened',
        'InfoRequested',
        'CustomerReminded',
        'Resolved',
        'SurveySent', // R15: the resolution goes on as any other: the survey, then the auto-close
        'Closed',
      ]);
      expect(await w.typesOf(answering)).toEqual(['Opened', 'InfoRequested', 'CustomerReminded', 'InfoProvided']);
    });

    it('R11: two schedulers on their own connections: each wait is reminded once and resolved once, the reminder first', async () => {
      const other = await backend.connect();
      try {
        const a = t.scheduler({ owner: 'scheduler-a', batchSize: 2 });
        const b = t.scheduler({ owner: 'scheduler-b', batchSize: 2, handle: other });
        const cases: string[] = [];
        for (let i = 0; i < 4; i++) {
          const caseId = await t.open();
          await t.requestInfo(caseId);
          cases.push(caseId);
        }
        await Promise.all([a.tick(), b.tick()]);
        t.clock.set('2026-03-20T09:00:00.000Z'); // both timers of every wait due at once: the timers were down
        const ticks = await Promise.all([a.tick(), b.tick()]);
        t.clock.advance(1_000); // an auto-close that found its reminder not yet recorded waits a second
        ticks.push(...(await Promise.all([a.tick(), b.tick()])));
        const recorded = ticks.flatMap((x) => x.fired).filter((f) => f.outcome === 'recorded');
        expect(recorded.map((f) => f.kind).sort()).toEqual([
          ...Array(4).fill('waiting-auto-close'),
          ...Array(4).fill('waiting-reminder'),
        ]);
        for (const caseId of cases)
          expect(await t.typesOf(caseId)).toEqual(['Opened', 'InfoRequested', 'CustomerReminded', 'Resolved']);
      } finally {
        await other.store.close();
      }
    });

    it('R10/R13: with auto-escalation, a P1 breach escalates to the supervisors in the same append; a P3 breach does not', async () => {
      const scheduler = t.scheduler({ autoEscalateOnBreach: true });
      const p1 = await t.open({
        impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: false },
      });
      const p3 = await t.open({ workaround: 'available' });
      await scheduler.tick();
      t.clock.set('2026-03-03T09:00:00.001Z');
      await scheduler.tick();
      expect(await t.typesOf(p1)).toEqual(['Opened', 'SlaBreached', 'Escalated']);
      expect((await t.eventsOf(p1, 'Escalated'))[0].data).toMatchObject({
        target: 'supervisor',
        byId: 'system:sla-timer',
      });
      expect(await t.typesOf(p3)).toEqual(['Opened', 'SlaBreached']);
    });

    it('R15: the survey goes out SURVEY_DELAY after the resolution, once, and is e-mailed once with a link that names it', async () => {
      const scheduler = t.scheduler({ surveyDelayMs: DAY });
      const caseId = await t.open();
      await t.respond(caseId);
      t.clock.set('2026-03-02T15:00:00.000Z');
      await t.resolve(caseId);
      await scheduler.tick();
      t.clock.set('2026-03-03T14:59:59.999Z');
      expect((await scheduler.tick()).fired).toEqual([]);
      expect(await t.eventsOf(caseId, 'SurveySent')).toEqual([]);

      t.clock.advance(1);
      const tick = await scheduler.tick();
      expect(tick.fired).toEqual([expect.objectContaining({ kind: 'send-survey', outcome: 'recorded' })]);
      expect(tick.mailed).toEqual([{ surveyId: `${caseId}:survey:1`, outcome: 'sent', recipient: 'ana@acme.example' }]);
      const [sent] = await t.eventsOf(caseId, 'SurveySent');
      expect(sent.data).toMatchObject({ surveyId: `${caseId}:survey:1`, cycle: 1, at: '2026-03-03T15:00:00.000Z' });

      const [mail] = t.transport.sent;
      expect(mail).toMatchObject({ to: 'ana@acme.example', from: 'Support <support@desk.example>' });
      const token = /https:\/\/support\.example\/console\/survey\/([\w.-]+)/.exec(mail.text)![1];
      expect(await t.tokens.verify(token, t.clock.now())).toMatchObject({ caseId, surveyId: sent.data.surveyId });

      t.clock.advance(DAY);
      expect(await scheduler.tick()).toMatchObject({ fired: [], mailed: [] });
      expect(await t.eventsOf(caseId, 'SurveySent')).toHaveLength(1);
      expect(t.transport.sent).toHaveLength(1);
      expect(await surveyMailsOf(handle.db, toCaseStreamId(caseId))).toMatchObject([{ state: 'sent', attempts: 1 }]);
    });

    it('R15: a resolved case left alone closes AUTO_CLOSE_DAYS later; a reopen cancels that and the next resolution counts anew', async () => {
      const scheduler = t.scheduler({ surveyDelayMs: 0, autoCloseDays: 7 });
      const caseId = await t.open();
      await t.respond(caseId);
      await t.resolve(caseId); // Monday 09:00Z
      await scheduler.tick();
      t.clock.set('2026-03-06T09:00:00.000Z');
      await t.reopen(caseId);
      await t.respond(caseId);
      t.clock.set('2026-03-07T09:00:00.000Z');
      await t.resolve(caseId);
      t.clock.set('2026-03-09T09:00:00.000Z'); // 7 days after the first resolution
      await scheduler.tick();
      expect(await t.eventsOf(caseId, 'Closed')).toEqual([]);
      t.clock.set('2026-03-14T08:59:59.999Z');
      await scheduler.tick();
      expect(await t.eventsOf(caseId, 'Closed')).toEqual([]);
      t.clock.advance(1);
      await scheduler.tick();
      const closed = await t.eventsOf(caseId, 'Closed');
      expect(closed.map((e) => [e.data.cycle, e.data.at, e.data.byId])).toEqual([
        [2, '2026-03-14T09:00:00.000Z', 'system:auto-close'],
      ]);
      expect((await t.eventsOf(caseId, 'SurveySent')).map((e) => e.data.cycle)).toEqual([1, 2]);
    });

    it('two schedulers on their own connections: every timer of every kind fires exactly once, the survey before the close', async () => {
      const other = await backend.connect();
      try {
        // small batches, so that the two schedulers' claims interleave
        const a = t.scheduler({ owner: 'scheduler-a', batchSize: 2, surveyDelayMs: DAY, autoCloseDays: 7 });
        const b = t.scheduler({
          owner: 'scheduler-b',
          batchSize: 2,
          surveyDelayMs: DAY,
          autoCloseDays: 7,
          handle: other,
        });
        const open = [];
        const resolved = [];
        for (let i = 0; i < 8; i++) open.push(await t.open());
        for (let i = 0; i < 6; i++) {
          const caseId = await t.open();
          await t.respond(caseId);
          await t.resolve(caseId);
          resolved.push(caseId);
        }
        await Promise.all([a.tick(), b.tick()]);
        t.clock.set('2026-03-09T09:00:00.000Z'); // all due: 8 breaches, 6 surveys, 6 closes
        const ticks = await Promise.all([a.tick(), b.tick()]);
        // a close that found its survey not yet sent waits a second for it
        t.clock.advance(1_000);
        ticks.push(...(await Promise.all([a.tick(), b.tick()])));
        const recorded = ticks.flatMap((x) => x.fired).filter((f) => f.outcome === 'recorded');
        expect(recorded.map((f) => f.kind).sort()).toEqual([
          ...Array(6).fill('auto-close'),
          ...Array(6).fill('send-survey'),
          ...Array(8).fill('sla-breach'),
        ]);
        expect(new Set(recorded.map((f) => f.timerId)).size).toBe(20);
        expect(new Set(ticks.flatMap((x) => x.fired).map((f) => f.timerId)).size).toBe(20);
        for (const caseId of open) expect(await t.typesOf(caseId)).toEqual(['Opened', 'SlaBreached']);
        for (const caseId of resolved)
          expect(await t.typesOf(caseId)).toEqual(['Opened', 'AgentResponded', 'Resolved', 'SurveySent', 'Closed']);
        expect(ticks.flatMap((x) => x.mailed).filter((m) => m.outcome === 'sent')).toHaveLength(6);
        expect(t.transport.sent).toHaveLength(6);
      } finally {
        await other.store.close();
      }
    });

    it('two schedulers firing the very same timer at the same moment: one records, the other finds it done', async () => {
      const other = await backend.connect();
      try {
        const caseId = await t.open();
        await t.scheduler().tick();
        t.clock.set('2026-03-03T09:00:00.001Z');
        // both hold the timer, as when a lease ran out while its first owner was still at work
        const [timer] = await claimDue(handle.db, 'first-owner', t.clock.now(), t.clock.now(), 1);
        const settings = { sla: t.sla, surveyDelayMs: DAY, autoCloseMs: 7 * DAY, autoEscalateOnBreach: true };
        const outcomes = await Promise.all([
          fireTimer(
            timer,
            standaloneDoor({ store: handle.store, clock: t.clock, sla: t.sla, surveyDelayMs: DAY }),
            settings,
          ),
          fireTimer(
            timer,
            standaloneDoor({ store: other.store, clock: t.clock, sla: t.sla, surveyDelayMs: DAY }),
            settings,
          ),
        ]);
        expect(outcomes.map((o) => o.kind).sort()).toEqual(['already', 'recorded']);
        // the escalation (P2, auto-escalation on) rides on the breach's append: once as well
        expect(await t.typesOf(caseId)).toEqual(['Opened', 'SlaBreached', 'Escalated']);
      } finally {
        await other.store.close();
      }
    });

    it('a scheduler that died holding a timer: another takes it over when the lease runs out', async () => {
      const scheduler = t.scheduler({ leaseMs: 30_000 });
      const caseId = await t.open();
      await scheduler.tick();
      t.clock.set('2026-03-03T09:00:00.001Z');
      const [held] = await claimDue(
        handle.db,
        'dead-scheduler',
        t.clock.now(),
        new Date(t.clock.now().getTime() + 30_000),
        10,
      );
      expect(held.id).toBe(`sla-breach:${caseId}:1:first-response`);
      expect((await scheduler.tick()).fired).toEqual([]);
      t.clock.advance(30_000);
      expect((await scheduler.tick()).fired).toEqual([
        expect.objectContaining({ timerId: held.id, outcome: 'recorded' }),
      ]);
      const [breach] = await t.eventsOf(caseId, 'SlaBreached');
      expect(breach.data.dueAt).toBe(FIRST_RESPONSE_DUE);
    });

    it('runs on its own: the loop fires a due timer once the clock passes it, with no tick() from the test', async () => {
      const scheduler = t.scheduler();
      const caseId = await t.open();
      scheduler.start(10);
      try {
        await waitFor(
          async () => (await timersOf(handle.db, toCaseStreamId(caseId))).length === 1,
          () => 'the loop did not index the case',
        );
        t.clock.set('2026-03-03T09:00:00.001Z');
        await waitFor(
          async () => (await t.eventsOf(caseId, 'SlaBreached')).length === 1,
          () => 'the loop did not record the breach',
        );
      } finally {
        await scheduler.stop();
      }
      expect(await t.typesOf(caseId)).toEqual(['Opened', 'SlaBreached']);
    });
  });

/** Across a restart: the due times and the indexer's place are in the database. */
export const timersRestartScenario = (
  name: string,
  makeBackend: (options: { persistent: boolean }) => Promise<TimersBackend>,
): void =>
  describe(`durable timers across a restart on ${name}`, () => {
    it('a restarted process finds the due times of every kind in the database and fires them on time, once', async () => {
      const backend = await makeBackend({ persistent: true });
      try {
        const first = await backend.connect();
        const before = await timersHarness(first);
        const caseId = await before.open();
        before.clock.set('2026-03-02T15:00:00.000Z');
        const surveyCase = await before.open();
        await before.respond(surveyCase);
        await before.resolve(surveyCase);
        expect((await before.scheduler().tick()).indexed).toBe(4);
        await first.store.close(); // the process stops: nothing survives in memory

        const second = await backend.connect();
        try {
          const after = await timersHarness(second);
          const restarted = after.scheduler({ owner: 'after-restart' });
          after.clock.set('2026-03-03T09:00:00.001Z');
          const tick = await restarted.tick();
          expect(tick.fired).toEqual([
            expect.objectContaining({ timerId: `sla-breach:${caseId}:1:first-response`, outcome: 'recorded' }),
          ]);
          // it read only the breach it recorded itself: it resumed from its checkpoint, not from the start
          expect(tick.indexed).toBe(1);
          after.clock.set('2026-03-03T15:00:00.000Z');
          expect((await restarted.tick()).fired).toEqual([
            expect.objectContaining({ timerId: `send-survey:${surveyCase}:1`, outcome: 'recorded' }),
          ]);
          after.clock.set('2026-03-09T15:00:00.000Z');
          expect((await restarted.tick()).fired).toEqual([
            expect.objectContaining({ timerId: `auto-close:${surveyCase}:1`, outcome: 'recorded' }),
          ]);
          expect(await after.eventsOf(caseId, 'SlaBreached')).toHaveLength(1);
          expect(await after.typesOf(surveyCase)).toEqual([
            'Opened',
            'AgentResponded',
            'Resolved',
            'SurveySent',
            'Closed',
          ]);
        } finally {
          await second.store.close();
        }
      } finally {
        await backend.dispose();
      }
    });
  });
