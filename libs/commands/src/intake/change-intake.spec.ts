import { randomUUID } from 'node:crypto';
import {
  caseOpenFor,
  IntakeNotFound,
  toCaseStreamId,
  toIntakeStreamId,
  type IntakeCommand,
  type IntakeEventDataMap,
  type IntakeState,
  type StartIntake,
} from '@app/case-domain';
import { ManualClock } from '@app/clock';
import { createEventStore, SqlEventStore, type EventStoreHandle } from '@app/event-store';
import { testSla } from '../../../sla/src/testing/test-sla';
import { ChangeCase } from '../case/change-case.command';
import { standaloneDoor, type CommandDoor } from '../command-door';
import { idempotentEventId, type IdempotencyClaim } from '../idempotency';
import { caseIdForIntake, ChangeIntake, ChangeIntakeHandler, intakeCaseClaim, newIntakeId } from './change-intake';

/**
 * The intake door over PGlite (R3, R5–R8): the intake's own stream through the one write path.
 * Two doors on one database stand for two processes (each its own queue and cache).
 */
describe('ChangeIntake (the help assistant intake, R5–R8)', () => {
  let handle: EventStoreHandle;
  let door: CommandDoor;
  let other: CommandDoor;
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const admin = { id: 'admin-1', role: 'support-admin' };
  const acme = (state: IntakeState) => state.tenant === 'org-acme';
  const globex = (state: IntakeState) => state.tenant === 'org-globex';

  const start = (intakeId: string, o: Partial<StartIntake> = {}): StartIntake => ({
    type: 'StartIntake',
    intakeId,
    actor: admin,
    tenant: 'org-acme',
    description: 'Nobody in sales can sign in with SAML since 9:00',
    product: 'cloud-identity-premium',
    language: 'en',
    suggestions: [{ articleId: 'sso-saml-errors-en', version: 3, score: 7.5 }],
    recentCaseIds: ['case-0007'],
    ...o,
  });
  const change = (
    command: IntakeCommand,
    o: { canSee?: (s: IntakeState) => boolean; idempotency?: IdempotencyClaim; correlationId?: string } = {},
    via = door,
  ) => via.execute(new ChangeIntake({ command, actor: admin, ...o }));
  const stream = async (intakeId: string) => (await handle.store.readStream(toIntakeStreamId(intakeId))).events;

  // one store for the file: each test works on its own intake ids
  beforeAll(async () => {
    handle = await createEventStore();
    door = standaloneDoor({ store: handle.store, clock, sla: testSla(), surveyDelayMs: 0 });
    other = standaloneDoor({ store: new SqlEventStore(handle.db), clock, sla: testSla(), surveyDelayMs: 0 });
  });
  afterAll(() => handle.store.close());

  it('writes a started intake to its own stream, each event with the organisation (R3), the actor and the correlation', async () => {
    const intakeId = randomUUID();
    const started = await change(start(intakeId), { correlationId: 'req-1' });
    expect(started).toMatchObject({ version: 3, replayed: false, position: expect.any(Number) });
    expect(started.state).toMatchObject({ status: 'suggesting', tenant: 'org-acme', id: intakeId });
    clock.advance(60_000);
    await change({
      type: 'SearchAgain',
      intakeId,
      actor: admin,
      query: 'SAML ACS URL',
      suggestions: [{ articleId: 'sso-saml-errors-en', version: 4, score: 8 }],
    });
    const events = await stream(intakeId);
    expect(events.map((e) => e.type)).toEqual([
      'IntakeStarted',
      'ArticlesSuggested',
      'RecentCasesOffered',
      'SearchRepeated',
      'ArticlesSuggested',
    ]);
    expect(events[0].data).toEqual({
      intakeId,
      at: '2026-03-02T09:00:00.000Z',
      byId: 'admin-1',
      tenant: 'org-acme',
      description: 'Nobody in sales can sign in with SAML since 9:00',
      product: 'cloud-identity-premium',
      language: 'en',
    });
    // the tenant is on every event, the later ones' taken from the intake
    for (const e of events) expect(e.metadata).toMatchObject({ tenant: 'org-acme', actor: admin });
    expect(events.slice(0, 3).map((e) => e.metadata.correlationId)).toEqual(['req-1', 'req-1', 'req-1']);
    // one append per command
    expect(events[0].transactionId).toBe(events[2].transactionId);
    expect(events[3].transactionId).not.toBe(events[0].transactionId);
  });

  it('R3: an intake the caller may not see is not found, and nothing is written', async () => {
    const intakeId = randomUUID();
    await change(start(intakeId));
    const deflect: IntakeCommand = { type: 'DeflectIntake', intakeId, actor: admin, articleId: 'sso-saml-errors-en' };
    for (const via of [door, other]) {
      await expect(change(deflect, { canSee: globex }, via)).rejects.toMatchObject({
        code: 'INTAKE.NOT_FOUND',
        kind: 'not-found',
      });
      // not even a retry of the start tells that the id is taken
      await expect(change(start(intakeId), { canSee: globex }, via)).rejects.toBeInstanceOf(IntakeNotFound);
    }
    expect((await stream(intakeId)).map((e) => e.type)).toEqual([
      'IntakeStarted',
      'ArticlesSuggested',
      'RecentCasesOffered',
    ]);
    // the same answer as an intake never started, through the handler's read too
    const handler = new ChangeIntakeHandler(handle.store, clock);
    await expect(handler.read(intakeId, globex)).rejects.toBeInstanceOf(IntakeNotFound);
    await expect(handler.read(randomUUID(), acme)).rejects.toBeInstanceOf(IntakeNotFound);
    await expect(handler.read(intakeId, acme)).resolves.toMatchObject({ version: 3, state: { status: 'suggesting' } });
    // the organisation's own caller goes on
    expect((await change(deflect, { canSee: acme })).events.map((e) => e.type)).toEqual(['Deflected']);
  });

  it('writes once under the same idempotency claim: a retry, also from another process, gets the first answer (replayed)', async () => {
    const claim: IdempotencyClaim = { scope: 'admin-1', key: `start-${randomUUID()}`, fingerprint: 'f1' };
    const intakeId = newIntakeId(claim);
    const first = await change(start(intakeId), { idempotency: claim });
    expect(first).toMatchObject({ replayed: false, version: 3 });
    for (const via of [door, other]) {
      const again = await change(start(newIntakeId(claim)), { idempotency: claim }, via);
      expect(again).toMatchObject({ replayed: true, version: 3, position: first.position, events: [] });
      expect(again.state).toEqual(first.state);
    }
    const events = await stream(intakeId);
    expect(events.map((e) => e.type)).toEqual(['IntakeStarted', 'ArticlesSuggested', 'RecentCasesOffered']);
    expect(events.map((e) => e.eventId)).toEqual([0, 1, 2].map((i) => idempotentEventId(claim, i)));
    expect(events[0].metadata).toMatchObject({
      tenant: 'org-acme',
      idempotencyKey: claim.key,
      idempotencyScope: 'admin-1',
      requestFingerprint: 'f1',
    });
  });

  it('derives the intake id from the claim, and the case id from the intake id', () => {
    const claim: IdempotencyClaim = { scope: 'admin-1', key: 'k-1', fingerprint: 'f1' };
    const id = newIntakeId(claim);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIntakeId({ ...claim, fingerprint: 'f2' })).toBe(id); // the fingerprint tells requests apart, not intakes
    expect(newIntakeId({ ...claim, key: 'k-2' })).not.toBe(id);
    expect(newIntakeId({ ...claim, scope: 'admin-2' })).not.toBe(id);
    expect(newIntakeId()).not.toBe(newIntakeId()); // no key: a fresh id each time

    expect(caseIdForIntake(id)).toBe(caseIdForIntake(id));
    expect(caseIdForIntake(id)).not.toBe(caseIdForIntake(newIntakeId({ ...claim, key: 'k-2' })));
    expect(caseIdForIntake(id)).not.toBe(id);
    expect(intakeCaseClaim(id)).toEqual({ scope: 'intake', key: id, fingerprint: 'case-requested' });
  });

  it('R8: the case an intake requested opens once, under the intake’s claim, and its Opened names the intake', async () => {
    const intakeId = randomUUID();
    await change(start(intakeId));
    const caseId = caseIdForIntake(intakeId);
    const requested = await change({
      type: 'RequestCase',
      intakeId,
      actor: admin,
      caseId,
      requester: { id: 'admin-1', email: 'admin@acme.example' },
      subject: 'SAML sign-in fails for the sales team',
      description: 'Nobody in sales can sign in with SAML since 9:00.',
      channel: 'email',
      language: 'en',
      impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: false },
      workaround: 'none',
    });
    expect(requested.events.map((e) => e.type)).toEqual(['StillNeedsHelp', 'CaseRequested']);
    const request = requested.state.request as IntakeEventDataMap['CaseRequested'];
    const open = () =>
      new ChangeCase({
        caseId,
        command: caseOpenFor('org-acme', request),
        idempotency: intakeCaseClaim(intakeId),
      });
    const opened = await door.execute(open());
    expect(opened.replayed).toBe(false);
    // the worker, after a crash between the two writes, opens the same case: nothing more is written
    expect(await other.execute(open())).toMatchObject({ replayed: true, version: opened.version });
    const caseEvents = (await handle.store.readStream(toCaseStreamId(caseId))).events;
    expect(caseEvents.filter((e) => e.type === 'Opened')).toHaveLength(1);
    expect(caseEvents[0].data).toMatchObject({
      caseId,
      intakeId,
      tenant: 'org-acme',
      product: 'cloud-identity-premium',
      channel: 'email',
      priority: 'P1',
    });
  });
});
