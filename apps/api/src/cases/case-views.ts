import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@app/auth';
import {
  audienceOfRole,
  caseCastOf,
  CaseNotFound,
  caseViewFor,
  toCaseStreamId,
  toCaseView,
  type Audience,
  type AudienceEvent,
  type CaseState,
  type CaseView,
  type CustomerCaseView,
} from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { SlaService } from '@app/sla';

/** Who a principal is to a case: a customer (the organisation's admins) or staff (case-audience.ts). */
export const audienceOf = (principal: Principal): Audience => audienceOfRole(principal.role);

/**
 * The case as the API shows it: the domain's view with its SLA figures at the clock's now
 * (R10), as the caller's audience may see it (`for`).
 */
@Injectable()
export class CaseViews {
  constructor(
    @Inject(SlaService) private readonly sla: SlaService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  of(state: CaseState, version: number = state.version): CaseView {
    const view = toCaseView(state, version, this.sla.report(state, this.clock.now()));
    if (!view) throw new CaseNotFound('(none)');
    return view;
  }

  /**
   * The case as `principal` may see it (`caseViewFor`): staff the whole view, a customer
   * theirs, with staff shown by the names the case's events recorded. `recorded`: the case's
   * events when the caller has them; else, for a customer, they are read (one read).
   */
  async for(
    principal: Principal,
    state: CaseState,
    version: number = state.version,
    recorded?: readonly AudienceEvent[],
  ): Promise<CaseView | CustomerCaseView> {
    const view = this.of(state, version);
    if (audienceOf(principal) === 'staff') return view;
    const events = recorded ?? (await this.store.readStream(toCaseStreamId(view.id))).events;
    return caseViewFor(view, 'customer', caseCastOf(events));
  }
}
