import { randomUUID } from 'node:crypto';
import { cmd } from '@app/case-domain/testing';
import { CaseAlreadyResolved, EXAMPLE_VENDORS, toCaseStreamId, type CaseCommand } from '@app/case-domain';
import { ManualClock } from '@app/clock';
import { createEventStore, SqlEventStore, type EventStoreHandle } from '@app/event-store';
import { VendorDirectory } from '@app/routing';
import { testSla } from '../../../sla/src/testing/test-sla';
import { standaloneDoor, type CommandDoor } from '../command-door';
import { IdempotencyKeyReused, type IdempotencyClaim } from '../idempotency';
import { StaleVersion } from '../stale-version';
import { SeedVendors } from '../vendor/seed-vendors';
import { ChangeCase, newCaseId, type ChangeCaseRequest } from './change-case.command';

/**
 * The case handler over PGlite: the one write path (stream-writer.ts) with the shell's
 * work (SLA terms, routing, the survey follow-up). Two doors on one database stand for two
 * processes: each has its own queue and cache.
 */
describe('ChangeCaseHandler (the command door for cases)', () => {
  let handle: EventStoreHandle;
  let door: CommandDoor;
  let other: CommandDoor;
  let otherStore: SqlEventStore;
  const clock = new ManualClock('2026-03-02T09:00:00Z'); // Monday: the Paris desk is at work
  const sla = testSla();

  const doorOn = (store = handle.store, surveyDelayMs = 0) => {
    const directory = new VendorDirectory(store, 60_000); // the vendors do not change here: read them once
    return standaloneDoor({ store, clock, sla, surveyDelayMs, directory });
  };
  const change = (request: ChangeCaseRequest, via = door) => via.execute(new ChangeCase(request));
  const open = async (via = door) => {
    const caseId = randomUUID();
    await change({ caseId, command: { ...cmd.open(), caseId } }, via);
    return caseId;
  };
  const on = (caseId: string, c: CaseCommand): CaseCommand => ({ ...c, caseId });
  const stream = async (caseId: string) => (await handle.store.readStream(toCaseStreamId(caseId))).events;
  const key = (k: string, fingerprint = 'f1'): IdempotencyClaim => ({ scope: 'ana', key: k, fingerprint });

  beforeEach(async () => {
    handle = await createEventStore();
    door = doorOn();
    await door.execute(new SeedVendors(EXAMPLE_VENDORS));
    // another process: its own handler, queue and cache, on the same database
    otherStore = new SqlEventStore(handle.db);
    other = doorOn(otherStore);
  });
  // the other process's store first: its last NOTIFY, throttled, goes out before the database closes
  afterEach(async () => {
    await otherStore.close();
    await handle.store.close();
  });

  it('opens a case with its SLA terms and routes it in the same append (R4, R10, R16)', async () => {
    const caseId = randomUUID();
    const result = await change({ caseId, command: { ...cmd.open(), caseId }, correlationId: 'req-1' });
    expect(result.events.map((e) => e.type)).toEqual(['Opened', 'Routed']);
    expect(result.version).toBe(2);
    const events = await stream(caseId);
    expect(events.map((e) => e.type)).toEqual(['Opened', 'Routed']);
    // one append: one transaction wrote both
    expect(events[0].transactionId).toBe(events[1].transactionId);
    expect(events[0].data).toMatchObject({ sla: { calendarId: 'europe-paris' } });
    expect(events[1].data).toMatchObject({ vendorId: 'north-desk', trigger: 'opened' });
    expect(events[1].metadata).toMatchObject({
      actor: { id: 'system:router' },
      tenant: 'org-acme',
      correlationId: 'req-1',
    });
    expect(result.position).toBe(events[1].globalPosition);
  });

  it('sends the survey in the same append as the resolution when SURVEY_DELAY is 0, and leaves it to the timer otherwise (R15)', async () => {
    const now = await open();
    const resolved = await change({ caseId: now, command: on(now, cmd.resolve()) });
    expect(resolved.events.map((e) => e.type)).toEqual(['Resolved', 'SurveySent']);
    const later = doorOn(handle.store, 86_400_000);
    const caseId = await open(later);
    expect((await change({ caseId, command: on(caseId, cmd.resolve()) }, later)).events.map((e) => e.type)).toEqual([
      'Resolved',
    ]);
  });

  it('opens without reading, writes a known case without reading it again (the cache), and stays right when another process wrote meanwhile', async () => {
    await open(); // the vendors are read once, by the first open
    const reads = jest.spyOn(handle.store, 'readStream');
    const caseId = await open();
    await change({ caseId, command: on(caseId, cmd.respond()) });
    expect(reads).not.toHaveBeenCalled();
    // another process moves the case: this one's cached state is now behind
    await change({ caseId, command: on(caseId, cmd.respond({ message: 'from the other process' })) }, other);
    const third = await change({ caseId, command: on(caseId, cmd.respond({ message: 'third' })) });
    expect(third.version).toBe(5);
    expect((await stream(caseId)).map((e) => e.type)).toEqual([
      'Opened',
      'Routed',
      'AgentResponded',
      'AgentResponded',
      'AgentResponded',
    ]);
  });

  it('confirms a refusal decided on a remembered state against the stream before answering it', async () => {
    const caseId = await open();
    await change({ caseId, command: on(caseId, cmd.respond()) }); // cached here as open
    await change({ caseId, command: on(caseId, cmd.resolve()) }, other); // resolved by another process
    // on the remembered (open) case no survey was sent, so an answer is refused; the stream has one
    const answered = await change({
      caseId,
      command: { type: 'AnswerSurvey', caseId, actor: cmd.reopen().actor, rating: 5 },
    });
    expect(answered.events.map((e) => e.type)).toEqual(['SurveyAnswered']);
    // a refusal that stands on the stream is answered
    await expect(change({ caseId, command: on(caseId, cmd.respond()) })).rejects.toBeInstanceOf(CaseAlreadyResolved);
  });

  it('refuses with If-Match a version the case is not at (412), and accepts the current one even when the cache is behind', async () => {
    const caseId = await open();
    await change({ caseId, command: on(caseId, cmd.respond()) });
    await expect(change({ caseId, expectedVersion: 2, command: on(caseId, cmd.respond()) })).rejects.toBeInstanceOf(
      StaleVersion,
    );
    await change({ caseId, command: on(caseId, cmd.respond()) }, other); // now at 4, this process remembers 3
    const accepted = await change({ caseId, expectedVersion: 4, command: on(caseId, cmd.respond()) });
    expect(accepted.version).toBe(5);
  });

  it('decides 50 concurrent writes without If-Match, from two processes, each on the state it finds: none refused', async () => {
    const caseId = await open();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        change({ caseId, command: on(caseId, cmd.respond({ message: `answer ${i}` })) }, i % 2 ? door : other),
      ),
    );
    expect(new Set(results.map((r) => r.version)).size).toBe(50);
    expect((await stream(caseId)).filter((e) => e.type === 'AgentResponded')).toHaveLength(50);
  });

  describe('under an idempotency key', () => {
    it('answers a retry with the committed write: same version and state, nothing appended, also from another process', async () => {
      const caseId = await open();
      const first = await change({ caseId, idempotency: key('k1'), command: on(caseId, cmd.escalate()) });
      await change({ caseId, command: on(caseId, cmd.respond()) }); // the case moves on
      for (const via of [door, other]) {
        const again = await change({ caseId, idempotency: key('k1'), command: on(caseId, cmd.escalate()) }, via);
        expect(again).toMatchObject({ replayed: true, version: first.version, position: first.position, events: [] });
        expect(again.state).toEqual(first.state);
      }
      const events = await stream(caseId);
      expect(events.filter((e) => e.type === 'Escalated')).toHaveLength(1);
      expect(events.find((e) => e.type === 'Escalated')?.metadata).toMatchObject({
        idempotencyKey: 'k1',
        idempotencyScope: 'ana',
      });
    });

    it('refuses the same key with another request (422), found in the log', async () => {
      const caseId = await open();
      await change({ caseId, idempotency: key('k2', 'f1'), command: on(caseId, cmd.escalate()) });
      await expect(
        change({ caseId, idempotency: key('k2', 'f2'), command: on(caseId, cmd.respond()) }, other),
      ).rejects.toBeInstanceOf(IdempotencyKeyReused);
    });

    it('gives a retried open the same case id and the answer of the open that committed', async () => {
      const claim = key('open-1');
      const caseId = newCaseId(claim);
      expect(newCaseId(claim)).toBe(caseId);
      const first = await change({ caseId, idempotency: claim, command: { ...cmd.open(), caseId } });
      const again = await change(
        { caseId: newCaseId(claim), idempotency: claim, command: { ...cmd.open(), caseId } },
        other,
      );
      expect(again).toMatchObject({ replayed: true, version: first.version });
      expect((await stream(caseId)).map((e) => e.type)).toEqual(['Opened', 'Routed']);
    });

    it('two copies racing in two processes: the events are stored once and both get the same answer', async () => {
      const caseId = await open();
      const claim = key('race');
      const answers = await Promise.all(
        [door, other, door, other].map((via) =>
          change({ caseId, idempotency: claim, command: on(caseId, cmd.resolve()) }, via),
        ),
      );
      expect(new Set(answers.map((a) => a.version))).toEqual(new Set([4]));
      expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
      expect((await stream(caseId)).map((e) => e.type)).toEqual(['Opened', 'Routed', 'Resolved', 'SurveySent']);
    });

    it('does not replay a refusal as if it were a write: a refused keyed request writes nothing and is refused again', async () => {
      const caseId = await open();
      await change({ caseId, command: on(caseId, cmd.resolve()) });
      const refused = () => change({ caseId, idempotency: key('late'), command: on(caseId, cmd.respond()) });
      await expect(refused()).rejects.toBeInstanceOf(CaseAlreadyResolved);
      await expect(refused()).rejects.toBeInstanceOf(CaseAlreadyResolved);
      expect((await stream(caseId)).map((e) => e.type)).toEqual(['Opened', 'Routed', 'Resolved', 'SurveySent']);
    });
  });
});
