import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  incidentDecider,
  toIncidentStreamId,
  type IncidentCommand,
  type IncidentEvent,
  type IncidentState,
} from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@app/event-store';
import type { IdempotencyClaim } from '../idempotency';
import { StaleVersion } from '../stale-version';
import { StreamWriter, type StreamWriteResult } from '../stream-writer';

export type IncidentChange = StreamWriteResult<IncidentState, IncidentEvent>;

/** Every change to an incident of the status dashboard (R14), each its own stream `incident-<id>`. */
export class ChangeIncident extends Command<IncidentChange> {
  constructor(
    readonly request: {
      readonly incidentId: string;
      readonly command: IncidentCommand;
      readonly actor: EventMetadata['actor'];
      readonly correlationId?: string;
      readonly expectedVersion?: number;
      readonly idempotency?: IdempotencyClaim;
    },
  ) {
    super();
  }
}

/** Incidents through the same write path as cases (stream-writer.ts). */
@CommandHandler(ChangeIncident)
export class ChangeIncidentHandler implements ICommandHandler<ChangeIncident, IncidentChange> {
  private readonly writer: StreamWriter<IncidentState, IncidentEvent>;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(CLOCK) clock: Clock) {
    this.writer = new StreamWriter(store, incidentDecider, { now: () => clock.now(), cacheSize: 1_000 });
  }

  execute({ request: r }: ChangeIncident): Promise<IncidentChange> {
    return this.writer.write({
      streamId: toIncidentStreamId(r.incidentId),
      commandName: () => r.command.type,
      expectedVersion: r.expectedVersion,
      idempotency: r.idempotency,
      stale: (expected, actual) => new StaleVersion(`Incident ${r.incidentId}`, expected, actual),
      metadata: { actor: r.actor, ...(r.correlationId ? { correlationId: r.correlationId } : {}) },
      decide: (state, _version, now) => incidentDecider.decide(state, r.command, now),
    });
  }
}
