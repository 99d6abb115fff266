import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ACCESS_POLICY, type AccessPolicy, type Principal } from '@app/auth';
import {
  caseCastOf,
  caseDecider,
  caseEventFor,
  CaseNotFound,
  foldEvents,
  isOpenedCase,
  toCaseStreamId,
  type CaseEvent,
  type CaseView,
  type CustomerCaseView,
} from '@app/case-domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@app/event-store';
import { CaseListQuery, type CaseListPage, type ListCasesFilter } from './case-list.query';
import { audienceOf, CaseViews } from './case-views';

export interface CaseEventsView {
  readonly events: readonly {
    type: string;
    version: number;
    recordedAt: string;
    data: unknown;
    metadata: unknown;
  }[];
}

/** A case as the caller may see it (GET /v1/cases/{id}; a customer's view: case-audience.ts). */
export class GetCase extends Query<CaseView | CustomerCaseView> {
  constructor(
    readonly caseId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** A case's history (GET /v1/cases/{id}/events), as the caller may see it (case-audience.ts: no internal note for customers). */
export class GetCaseEvents extends Query<CaseEventsView> {
  constructor(
    readonly caseId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** The cases the caller may see, from the case summaries projection (GET /v1/cases). */
export class ListCases extends Query<CaseListPage> {
  constructor(
    readonly principal: Principal,
    readonly filter: ListCasesFilter,
  ) {
    super();
  }
}

/**
 * A case and its history fold from its stream (one read: always current, whatever process
 * wrote last); an unknown case and one the caller may not see look the same (R3, R4).
 */
abstract class CaseStreamReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  protected async read(caseId: string, principal: Principal) {
    const { events } = await this.store.readStream(toCaseStreamId(caseId));
    // the stored events of a case stream are CaseEvents; RecordedEvent only adds fields
    const state = foldEvents(caseDecider, events as unknown as CaseEvent[]);
    if (
      !isOpenedCase(state) ||
      !this.policy.canSeeCase(principal, state.tenant, state.language, state.routing?.vendorId ?? null)
    )
      throw new CaseNotFound(caseId);
    return { state, recorded: events as RecordedEvent[] };
  }
}

@QueryHandler(GetCase)
export class GetCaseHandler extends CaseStreamReader implements IQueryHandler<GetCase, CaseView | CustomerCaseView> {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(ACCESS_POLICY) policy: AccessPolicy,
    @Inject(CaseViews) private readonly views: CaseViews,
  ) {
    super(store, policy);
  }

  async execute({ caseId, principal }: GetCase): Promise<CaseView | CustomerCaseView> {
    const { state, recorded } = await this.read(caseId, principal);
    return this.views.for(principal, state, state.version, recorded);
  }
}

@QueryHandler(GetCaseEvents)
export class GetCaseEventsHandler extends CaseStreamReader implements IQueryHandler<GetCaseEvents, CaseEventsView> {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(ACCESS_POLICY) policy: AccessPolicy) {
    super(store, policy);
  }

  async execute({ caseId, principal }: GetCaseEvents): Promise<CaseEventsView> {
    const { recorded } = await this.read(caseId, principal);
    const audience = audienceOf(principal);
    const cast = audience === 'customer' ? caseCastOf(recorded) : undefined;
    return {
      events: recorded.flatMap((e) => {
        const shown = caseEventFor(
          {
            type: e.type,
            version: e.streamVersion,
            recordedAt: e.recordedAt.toISOString(),
            data: e.data,
            metadata: e.metadata,
          },
          audience,
          cast,
        );
        return shown ? [shown] : [];
      }),
    };
  }
}

@QueryHandler(ListCases)
export class ListCasesHandler implements IQueryHandler<ListCases, CaseListPage> {
  constructor(@Inject(CaseListQuery) private readonly list: CaseListQuery) {}

  execute({ principal, filter }: ListCases): Promise<CaseListPage> {
    return this.list.list(principal, filter);
  }
}
