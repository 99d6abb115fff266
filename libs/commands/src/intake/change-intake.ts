import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  IntakeNotFound,
  intakeDecider,
  toIntakeStreamId,
  type IntakeCommand,
  type IntakeEvent,
  type IntakeState,
} from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { derivedUuid, EVENT_STORE, type EventMetadata, type EventStore } from '@app/event-store';
import type { IdempotencyClaim } from '../idempotency';
import { StaleVersion } from '../stale-version';
import { StreamWriter, type StreamWriteResult } from '../stream-writer';

export type IntakeChange = StreamWriteResult<IntakeState, IntakeEvent>;

/** A help assistant intake's id: derived from the caller's Idempotency-Key, so a retry finds the intake it started. */
export const newIntakeId = (idempotency?: IdempotencyClaim): string =>
  idempotency ? derivedUuid('intake', idempotency.scope, idempotency.key) : crypto.randomUUID();

/** R8: the one case an intake may open; derived, so a retry or the worker opens that same case. */
export const caseIdForIntake = (intakeId: string): string => derivedUuid('case', 'intake', intakeId);

/**
 * The idempotency claim under which an intake's case is opened: whoever opens it (the API,
 * a retry, the worker after a crash between the two writes), the same event ids are written
 * once and later attempts get the first one's answer.
 */
export const intakeCaseClaim = (intakeId: string): IdempotencyClaim => ({
  scope: 'intake',
  key: intakeId,
  fingerprint: 'case-requested',
});

/** Every step of a help assistant intake (R5–R8), each intake its own stream `intake-<id>`. */
export class ChangeIntake extends Command<IntakeChange> {
  constructor(
    readonly request: {
      readonly command: IntakeCommand;
      readonly actor: EventMetadata['actor'];
      readonly correlationId?: string;
      readonly expectedVersion?: number;
      readonly idempotency?: IdempotencyClaim;
      /** R3: may the caller see this intake (its organisation)? An intake it may not see is not found. */
      readonly canSee?: (state: IntakeState) => boolean;
    },
  ) {
    super();
  }
}

/** Intakes through the same write path as cases (stream-writer.ts). */
@CommandHandler(ChangeIntake)
export class ChangeIntakeHandler implements ICommandHandler<ChangeIntake, IntakeChange> {
  private readonly writer: StreamWriter<IntakeState, IntakeEvent>;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(CLOCK) clock: Clock) {
    this.writer = new StreamWriter(store, intakeDecider, { now: () => clock.now(), cacheSize: 1_000 });
  }

  /** The intake as it stands, or IntakeNotFound (R3: also for one the caller may not see). */
  async read(
    intakeId: string,
    canSee?: (state: IntakeState) => boolean,
  ): Promise<{ state: IntakeState; version: number }> {
    const { state, version } = await this.writer.load(toIntakeStreamId(intakeId));
    if (state.status === 'not-started' || (canSee && !canSee(state))) throw new IntakeNotFound(intakeId);
    return { state, version };
  }

  execute({ request: r }: ChangeIntake): Promise<IntakeChange> {
    const intakeId = r.command.intakeId;
    const tenant = r.command.type === 'StartIntake' ? r.command.tenant : undefined;
    return this.writer.write({
      streamId: toIntakeStreamId(intakeId),
      commandName: () => r.command.type,
      expectNew: r.command.type === 'StartIntake' && r.idempotency === undefined,
      expectedVersion: r.expectedVersion,
      idempotency: r.idempotency,
      stale: (expected, actual) => new StaleVersion(`Intake ${intakeId}`, expected, actual),
      metadata: {
        actor: r.actor,
        ...(r.correlationId ? { correlationId: r.correlationId } : {}),
      },
      decide: (state, _version, now) => {
        if (state.status !== 'not-started' && r.canSee && !r.canSee(state)) throw new IntakeNotFound(intakeId);
        // R3: every event says whose it is
        const owner = state.tenant ?? tenant;
        return intakeDecider
          .decide(state, r.command, now)
          .map((e) => (owner ? { ...e, metadata: { tenant: owner } } : e));
      },
    });
  }
}
