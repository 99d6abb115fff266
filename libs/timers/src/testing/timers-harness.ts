import { randomBytes, randomUUID } from 'node:crypto';
import {
  caseDecider,
  priorityFor,
  toCaseStreamId,
  type Actor,
  type CaseCommand,
  type CaseEvent,
  type CaseEventOf,
  type CaseEventType,
  type OpenCase,
} from '@app/case-domain';
import { ManualClock } from '@app/clock';
import { StreamWriter, standaloneDoor } from '@app/commands';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import type { MailMessage, MailTransport } from '../mail/mail-transport';
import { SurveyMailer } from '../mail/survey-mailer';
import { SurveyTokens } from '../mail/survey-token';
import { migrateTimers, TimerScheduler, type TimerSchedulerOptions } from '../scheduler/timer-scheduler';
import type { SlaService } from '@app/sla';
import { testSla } from '../../../sla/src/testing/test-sla';

/**
 * Where the timers' tests run: PGlite (in memory, or in a data directory to survive a
 * restart) or a PostgreSQL test database. `connect()` gives a connection to the shared
 * database: on PostgreSQL a new pool each time (two schedulers really run side by side);
 * PGlite has one connection, shared.
 */
export interface TimersBackend {
  readonly name: string;
  connect(): Promise<EventStoreHandle>;
  /** drops what the backend created */
  dispose(): Promise<void>;
}

export const pgliteBackend = (dataDir?: string): TimersBackend => {
  let shared: { handle: EventStoreHandle; users: number } | undefined;
  return {
    name: dataDir ? 'PGlite (data directory)' : 'PGlite (memory)',
    connect: async () => {
      shared ??= { handle: await createEventStore({ dataDir }), users: 0 };
      shared.users++;
      const current = shared;
      return {
        db: current.handle.db,
        store: new Proxy(current.handle.store, {
          get(target, key, receiver) {
            if (key !== 'close') return Reflect.get(target, key, receiver);
            // the last user closes PGlite; a later connect() reopens the data directory (a restart)
            return async () => {
              if (--current.users === 0) {
                shared = undefined;
                await target.close();
              }
            };
          },
        }),
      };
    },
    dispose: async () => {
      await shared?.handle.store.close();
      shared = undefined;
    },
  };
};

export const postgresBackend = (url: string, drop: () => Promise<void>): TimersBackend => {
  const handles: EventStoreHandle[] = [];
  return {
    name: 'PostgreSQL',
    connect: async () => {
      const handle = await createEventStore({ databaseUrl: url, poolSize: 4 });
      handles.push(handle);
      return handle;
    },
    dispose: async () => {
      await Promise.all(handles.map((h) => h.store.close().catch(() => undefined)));
      await drop();
    },
  };
};

/** A transport that keeps what it is given. */
export const capturingTransport = (): MailTransport & { readonly sent: MailMessage[] } => {
  const sent: MailMessage[] = [];
  return {
    kind: 'outbox',
    sent,
    send: async (m) => (sent.push(m), { messageId: m.messageId }),
    close: () => undefined,
  };
};

const customer: Actor = { id: 'ana', role: 'support-admin' };
const agent: Actor = { id: 'eve', role: 'agent' };

/** Monday 2 March 2026, 10:00 in Paris */
export const MONDAY_0900Z = '2026-03-02T09:00:00.000Z';

export interface TimersHarness {
  readonly clock: ManualClock;
  readonly sla: SlaService;
  readonly handle: EventStoreHandle;
  readonly tokens: SurveyTokens;
  readonly transport: ReturnType<typeof capturingTransport>;
  /** a scheduler on `handle` (or on another connection), with its mailer */
  scheduler(options?: Partial<TimerSchedulerOptions> & { handle?: EventStoreHandle }): TimerScheduler;
  /** opens a case as the API's shell does: with the SLA terms of its tenant and priority */
  open(o?: Partial<OpenCase>): Promise<string>;
  /** runs a command at the clock's now, as the write shell does */
  run(caseId: string, command: (caseId: string) => CaseCommand): Promise<CaseEvent[]>;
  respond(caseId: string): Promise<CaseEvent[]>;
  requestInfo(caseId: string): Promise<CaseEvent[]>;
  provideInfo(caseId: string): Promise<CaseEvent[]>;
  resolve(caseId: string): Promise<CaseEvent[]>;
  reopen(caseId: string): Promise<CaseEvent[]>;
  eventsOf<T extends CaseEventType>(caseId: string, type: T): Promise<CaseEventOf<T>[]>;
  typesOf(caseId: string): Promise<string[]>;
}

export const timersHarness = async (
  handle: EventStoreHandle,
  defaults: Partial<TimerSchedulerOptions> = {},
): Promise<TimersHarness> => {
  await migrateTimers(handle.db);
  const clock = new ManualClock(MONDAY_0900Z);
  // the calendars and policy of the cases, their terms and the timers: the shipped calendars unless given
  const sla = defaults.sla ?? testSla();
  const tokens = new SurveyTokens(randomBytes(32));
  const transport = capturingTransport();
  // the test's own commands, without the handler's follow-ups (no routing: the timers' tests need no vendors)
  const writer = new StreamWriter(handle.store, caseDecider, { now: () => clock.now() });
  const run = async (caseId: string, command: (caseId: string) => CaseCommand) => {
    const c = command(caseId);
    const result = await writer.write({
      streamId: toCaseStreamId(caseId),
      metadata: { actor: c.actor },
      decide: (state, _version, now) => caseDecider.decide(state, c, now),
    });
    return [...result.events];
  };
  const read = async (caseId: string) =>
    (await handle.store.readStream(toCaseStreamId(caseId))).events as unknown as CaseEvent[];
  return {
    clock,
    sla,
    handle,
    tokens,
    transport,
    scheduler: ({ handle: on = handle, ...o } = {}) => {
      const surveyDelayMs = o.surveyDelayMs ?? defaults.surveyDelayMs ?? 86_400_000;
      const commands = standaloneDoor({ store: on.store, clock, sla, surveyDelayMs });
      const base = { store: on.store, commands, db: on.db, clock, sla, surveyDelayMs: 86_400_000, autoCloseDays: 7 };
      const owner = o.owner ?? `scheduler-${randomUUID().slice(0, 8)}`;
      const mailer = new SurveyMailer({
        ...base,
        tokens,
        transport,
        from: 'Support <support@desk.example>',
        publicBaseUrl: 'https://support.example',
        owner,
      });
      return new TimerScheduler({ ...base, autoEscalateOnBreach: false, mailer, ...defaults, ...o, owner });
    },
    open: async (o = {}) => {
      const caseId = randomUUID();
      const command: OpenCase = {
        type: 'OpenCase',
        caseId,
        actor: customer,
        tenant: 'acme.example',
        requester: { id: customer.id, email: 'ana@acme.example' },
        subject: 'SSO fails',
        description: 'Nobody can sign in.',
        product: 'cloud-identity',
        language: 'fr',
        channel: 'email',
        impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
        workaround: 'none',
        ...o,
      };
      const terms = sla.termsFor({ tenant: command.tenant, priority: priorityFor(command), openedAt: clock.now() });
      await run(caseId, () => ({ ...command, sla: terms }));
      return caseId;
    },
    run,
    respond: (id) =>
      run(id, (caseId) => ({ type: 'RespondToCase', caseId, actor: agent, agentId: agent.id, message: 'On it.' })),
    requestInfo: (id) =>
      run(id, (caseId) => ({
        type: 'RequestInfo',
        caseId,
        actor: agent,
        agentId: agent.id,
        items: ['logs'],
        message: 'Logs?',
      })),
    provideInfo: (id) => run(id, (caseId) => ({ type: 'ProvideInfo', caseId, actor: customer, message: 'Attached.' })),
    resolve: (id) =>
      run(id, (caseId) => ({ type: 'ResolveCase', caseId, actor: agent, outcome: 'solved', summary: 'Fixed.' })),
    reopen: (id) => run(id, (caseId) => ({ type: 'ReopenCase', caseId, actor: customer, reason: 'Again.' })),
    eventsOf: async (caseId, type) => (await read(caseId)).filter((e) => e.type === type) as never,
    typesOf: async (caseId) => (await read(caseId)).map((e) => e.type),
  };
};
