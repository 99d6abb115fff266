import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  foldEvents,
  incidentDecider,
  INCIDENT_STREAM_CATEGORY,
  toIncidentStreamId,
  toIncidentView,
  type IncidentEvent,
} from '@app/case-domain';
import { EVENT_STORE, LOG_START, type EventStore } from '@app/event-store';
import { HttpEdgeError } from '../http/http.errors';

export type IncidentView = NonNullable<ReturnType<typeof toIncidentView>>;

/** Linking a case to an incident the status dashboard does not know (R14): a refusal, 409. */
export class UnknownIncident extends HttpEdgeError {
  readonly status = 409;
  readonly code = 'CASE.UNKNOWN_INCIDENT';
  constructor(incidentId: string) {
    super(`Incident ${incidentId} is not on the status dashboard; declare it before linking cases to it.`);
  }
}

/** An incident of the status dashboard, or null. */
export class GetIncident extends Query<IncidentView | null> {
  constructor(readonly incidentId: string) {
    super();
  }
}

/** The incidents, newest first. */
export class ListIncidents extends Query<IncidentView[]> {}

@QueryHandler(GetIncident)
export class GetIncidentHandler implements IQueryHandler<GetIncident, IncidentView | null> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ incidentId }: GetIncident): Promise<IncidentView | null> {
    const { events } = await this.store.readStream(toIncidentStreamId(incidentId));
    return toIncidentView(foldEvents(incidentDecider, events as unknown as IncidentEvent[]));
  }
}

/** the newest incidents listed */
const LISTED = 500;

/**
 * Incidents are few (a status dashboard), so they are folded from their streams: the
 * streams' first events, read by category (everything committed now), newest first.
 */
@QueryHandler(ListIncidents)
export class ListIncidentsHandler implements IQueryHandler<ListIncidents, IncidentView[]> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(GetIncidentHandler) private readonly one: GetIncidentHandler,
  ) {}

  async execute(): Promise<IncidentView[]> {
    const reader = this.store.reader();
    const streams: string[] = [];
    for (let after = LOG_START; ;) {
      const { events, checkpoint } = await reader.readCategory(INCIDENT_STREAM_CATEGORY, { after, committedNow: true });
      streams.push(...events.filter((e) => e.streamVersion === 1).map((e) => e.streamId));
      if (events.length === 0) break;
      after = checkpoint;
    }
    const ids = streams
      .reverse()
      .slice(0, LISTED)
      .map((streamId) => streamId.slice(INCIDENT_STREAM_CATEGORY.length + 1));
    const views = await Promise.all(ids.map((id) => this.one.execute(new GetIncident(id))));
    return views.filter((v): v is IncidentView => v !== null);
  }
}
