import { toCaseStreamId, toIntakeStreamId } from '@app/case-domain';
import { ManualClock } from '@app/clock';
import { caseIdForIntake, idempotentEventId, intakeCaseClaim, standaloneDoor, type CommandDoor } from '@app/commands';
import { createEventStore, SqlEventStore, type EventStoreHandle } from '@app/event-store';
import { Metrics, sampleValue } from '@app/observability';
import { ProjectionRunner } from '@app/projections';
import { INTAKES_TABLE, intakesProjection } from '@app/read-models';
import { intakeSteps } from '../../../commands/src/testing/intake-steps';
import { testSla } from '../../../sla/src/testing/test-sla';
import { INTAKE_SWEEPER, IntakeSweep } from './intake-sweep';

const HOUR = 3_600_000;
const DAY_MS = 24 * HOUR;
/** Monday 2 March 2026 (day 2) and the days after, UTC */
const at = (time: string, day = 2) =>
  new Date(`2026-03-0${day}T${time.length === 5 ? `${time}:00` : time}Z`).toISOString();

/**
 * The help assistant's sweep (R5–R8) over PGlite, with a manual clock: the due times come
 * from the `intakes` read model, the decisions from each intake's own stream, the writes
 * through the door.
 */
describe('IntakeSweep: idle intakes abandoned, requested cases opened once', () => {
  let handle: EventStoreHandle;
  let clock: ManualClock;
  let door: CommandDoor;
  let runner: ProjectionRunner;
  let metrics: Metrics;
  let sweep: IntakeSweep;
  let step: ReturnType<typeof intakeSteps>;
  const errors: unknown[] = [];
  const newSweep = (commands: CommandDoor = door) =>
    new IntakeSweep({
      commands,
      store: handle.store,
      db: handle.db,
      clock,
      abandonAfterMs: DAY_MS,
      metrics,
      onError: (e) => errors.push(e),
    });
  const types = async (streamId: string) => (await handle.store.readStream(streamId)).events.map((e) => e.type);
  const statusOf = async (intakeId: string) =>
    (
      await handle.db.query<{ status: string; case_opened: boolean }>(
        `SELECT status, case_opened FROM ${INTAKES_TABLE} WHERE intake_id = $1`,
        [intakeId],
      )
    ).rows[0];
  /** one pass at `moment`, after the read model caught up with the log */
  const sweepAt = async (moment: string, s = sweep) => {
    clock.set(moment);
    await runner.catchUp();
    return s.tick();
  };

  beforeEach(async () => {
    clock = new ManualClock(at('08:00'));
    handle = await createEventStore({ clock });
    door = standaloneDoor({ store: handle.store, clock, sla: testSla(), surveyDelayMs: 0 });
    runner = new ProjectionRunner(intakesProjection, { store: handle.store, db: handle.db });
    metrics = new Metrics({ service: 'worker', defaultMetrics: false });
    sweep = newSweep();
    step = intakeSteps(door, clock);
    errors.length = 0;
  });
  afterEach(async () => {
    await sweep.stop();
    await runner.stop();
    await handle.store.close();
    expect(errors).toEqual([]);
  });

  it('abandons an intake INTAKE_ABANDON_AFTER after its last action, not a millisecond before', async () => {
    await step.start('a', { shown: ['kb-a'] }, at('09:00'));
    await step.start('b', { shown: ['kb-b'] }, at('10:00'));
    await step.searchAgain('b', ['kb-c'], at('11:00'));

    expect(await sweepAt(at('08:59:59.999', 3))).toEqual({ abandoned: [], casesOpened: [], examined: 0 });
    expect(await types(toIntakeStreamId('a'))).not.toContain('Abandoned');

    // exactly a day after a's last action; b's last action (its search) was at 11:00
    expect(await sweepAt(at('09:00', 3))).toEqual({ abandoned: ['a'], casesOpened: [], examined: 1 });
    const abandoned = (await handle.store.readStream(toIntakeStreamId('a'))).events.at(-1);
    expect(abandoned).toMatchObject({
      type: 'Abandoned',
      data: { intakeId: 'a', at: at('09:00', 3), byId: INTAKE_SWEEPER.id, idleSince: at('09:00') },
      metadata: { actor: INTAKE_SWEEPER, tenant: 'acme.example' },
    });
    expect(await sweepAt(at('10:59:59.999', 3))).toMatchObject({ abandoned: [], examined: 0 });
    expect(await sweepAt(at('11:00', 3))).toMatchObject({ abandoned: ['b'] });
    await runner.catchUp();
    expect(await statusOf('a')).toEqual({ status: 'abandoned', case_opened: false });
    expect(await statusOf('b')).toEqual({ status: 'abandoned', case_opened: false });
    // once: nothing is due any more
    expect(await sweepAt(at('12:00', 4))).toEqual({ abandoned: [], casesOpened: [], examined: 0 });
  });

  it('leaves an intake that moved meanwhile (the read model late) or that ended, and a restarted worker finds what is due', async () => {
    await step.start('late', { shown: ['kb-a'] }, at('09:00'));
    await step.start('done', { shown: ['kb-a'] }, at('09:00'));
    await step.deflect('done', 'kb-a', at('09:05'));
    await runner.catchUp();
    // an action the read model has not seen yet: the row still says 09:00
    await step.searchAgain('late', ['kb-b'], at('20:00'));
    clock.set(at('09:30', 3));
    expect(await sweep.tick()).toEqual({ abandoned: [], casesOpened: [], examined: 1 });
    expect(await types(toIntakeStreamId('late'))).not.toContain('Abandoned');
    expect(await types(toIntakeStreamId('done'))).not.toContain('Abandoned');

    // another process (a worker started afresh): the due time is in the database
    const restarted = newSweep(
      standaloneDoor({ store: new SqlEventStore(handle.db), clock, sla: testSla(), surveyDelayMs: 0 }),
    );
    expect(await sweepAt(at('20:00', 3), restarted)).toMatchObject({ abandoned: ['late'] });
    await runner.catchUp();
    expect(await statusOf('late')).toEqual({ status: 'abandoned', case_opened: false });
    expect(await statusOf('done')).toEqual({ status: 'deflected', case_opened: false });
  });

  it('opens the case of a request left without one after the grace, exactly once, as the API would have', async () => {
    await step.start('crashed', { product: 'drive', shown: ['kb-a'] }, at('12:00'));
    await step.requestCase('crashed', at('12:00'));
    // the API's own path: the case opened right after the request
    await step.start('fine', { product: 'drive', shown: ['kb-a'] }, at('12:00'));
    await step.openCase(await step.requestCase('fine', at('12:00')), at('12:00'));
    const caseId = caseIdForIntake('crashed');

    expect(await sweepAt(at('12:00:29.999'))).toEqual({ abandoned: [], casesOpened: [], examined: 0 });
    expect(await types(toCaseStreamId(caseId))).toEqual([]);

    expect(await sweepAt(at('12:00:30'))).toEqual({ abandoned: [], casesOpened: ['crashed'], examined: 1 });
    const opened = (await handle.store.readStream(toCaseStreamId(caseId))).events;
    expect(opened.map((e) => e.type)).toEqual(['Opened', 'Routed']);
    expect(opened[0]).toMatchObject({
      // the ids the API's write under the same claim would have had
      eventId: idempotentEventId(intakeCaseClaim('crashed'), 0),
      data: {
        caseId,
        intakeId: 'crashed',
        tenant: 'acme.example',
        requester: { id: 'ana', email: 'ana@acme.example' },
        product: 'drive',
        byId: 'ana', // the admin's request, whoever opens it
      },
      metadata: { actor: INTAKE_SWEEPER, tenant: 'acme.example' },
    });

    // again, before the read model saw the Opened, and from another process at once: no second case
    clock.set(at('12:01'));
    const other = newSweep(
      standaloneDoor({ store: new SqlEventStore(handle.db), clock, sla: testSla(), surveyDelayMs: 0 }),
    );
    const [again, fromOther] = await Promise.all([sweep.tick(), other.tick()]);
    expect([again.casesOpened, fromOther.casesOpened]).toEqual([[], []]);
    expect(await types(toCaseStreamId(caseId))).toEqual(['Opened', 'Routed']);
    await runner.catchUp();
    expect(await statusOf('crashed')).toEqual({ status: 'case-requested', case_opened: true });
    expect(await sweepAt(at('13:00'))).toEqual({ abandoned: [], casesOpened: [], examined: 0 });
    // the API's case was never touched
    expect(await types(toCaseStreamId(caseIdForIntake('fine')))).toEqual(['Opened', 'Routed']);
    expect((await handle.store.readStream(toCaseStreamId(caseIdForIntake('fine')))).events[0].data).toMatchObject({
      byId: 'ana',
    });
  });

  it('counts what it did, and shows what is due on each scrape', async () => {
    sweep.start(60_000); // the loop's own ticks are a minute away: this test ticks by hand
    await step.start('idle', { shown: ['kb-a'] }, at('09:00'));
    await step.start('asked', { shown: ['kb-a'] }, at('09:00'));
    await step.requestCase('asked', at('09:10'));
    clock.set(at('09:30', 3));
    await runner.catchUp();
    const before = await metrics.render();
    expect(sampleValue(before, 'intake_sweep_due', { action: 'abandon' })).toBe(1);
    expect(sampleValue(before, 'intake_sweep_due', { action: 'open-case' })).toBe(1);
    expect(sampleValue(before, 'intake_sweep_total', { action: 'abandon', outcome: 'recorded' })).toBe(0);
    await sweep.tick();
    await runner.catchUp();
    const after = await metrics.render();
    expect(sampleValue(after, 'intake_sweep_due', { action: 'abandon' })).toBe(0);
    expect(sampleValue(after, 'intake_sweep_due', { action: 'open-case' })).toBe(0);
    expect(sampleValue(after, 'intake_sweep_total', { action: 'abandon', outcome: 'recorded' })).toBe(1);
    expect(sampleValue(after, 'intake_sweep_total', { action: 'open-case', outcome: 'recorded' })).toBe(1);
  });
});
