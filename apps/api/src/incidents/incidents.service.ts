import { Inject, Injectable } from '@nestjs/common';
import {
  incidentDecider,
  INCIDENT_STREAM_CATEGORY,
  toIncidentStreamId,
  toIncidentView,
  type IncidentCommand,
  type IncidentEvent,
} from '@app/case-domain';
import { toActor } from '@app/auth';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, SQL_DATABASE, handleCommand, type EventStore, type SqlDatabase } from '@app/event-store';
import type { WriteRequest } from '../http/write-request';
import { HttpEdgeError, StaleVersion } from '../http/http.errors';

/** Linking a case to an incident the status dashboard does not know (R14): a refusal, 409. */
export class UnknownIncident extends HttpEdgeError {
  readonly status = 409;
  readonly code = 'CASE.UNKNOWN_INCIDENT';
  constructor(incidentId: string) {
    super(`Incident ${incidentId} is not on the status dashboard; declare it before linking cases to it.`);
  }
}

export type IncidentView = NonNullable<ReturnType<typeof toIncidentView>>;

/** Incidents of the status dashboard (R14), each its own stream `incident-<id>`. */
@Injectable()
export class IncidentsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(incidentId: string, write: WriteRequest, command: IncidentCommand): Promise<IncidentView> {
    const result = await handleCommand(this.store, toIncidentStreamId(incidentId), incidentDecider, command, {
      eventMetadata: { actor: toActor(write.principal), correlationId: write.correlationId, idempotencyKey: write.idempotencyKey },
      now: this.clock.now(),
      expectedVersion: write.expectedVersion,
    }).catch((e: unknown) => {
      const actual = (e as { actual?: unknown }).actual;
      if ((e as { code?: string }).code === 'EVENT_STORE.VERSION_CONFLICT' && typeof actual === 'number')
        throw new StaleVersion(incidentId, write.expectedVersion, actual);
      throw e;
    });
    return toIncidentView(result.newState) as IncidentView;
  }

  async get(incidentId: string): Promise<IncidentView | null> {
    const { events } = await this.store.readStream(toIncidentStreamId(incidentId));
    return toIncidentView((events as unknown as IncidentEvent[]).reduce(incidentDecider.evolve, incidentDecider.initialState));
  }

  async assertExists(incidentId: string): Promise<void> {
    if (!(await this.get(incidentId))) throw new UnknownIncident(incidentId);
  }

  /** Newest first. Incidents are few (a status dashboard), so they are folded from their streams. */
  async list(): Promise<IncidentView[]> {
    const { rows } = await this.db.query<{ stream_id: string }>(
      `SELECT stream_id FROM events WHERE stream_id LIKE $1 AND stream_version = 1 ORDER BY global_position DESC LIMIT 500`,
      [`${INCIDENT_STREAM_CATEGORY}-%`],
    );
    const views = await Promise.all(rows.map((r) => this.get(r.stream_id.slice(INCIDENT_STREAM_CATEGORY.length + 1))));
    return views.filter((v): v is IncidentView => v !== null);
  }
}
