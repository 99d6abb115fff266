import type { Clock } from '@app/clock';
import {
  isOpenedCase,
  ROUTER,
  routingDecider,
  toCaseStreamId,
  type CaseEvent,
  type CaseState,
  type RouteCase,
  type RoutingTrigger,
} from '@app/case-domain';
import {
  ExpectedVersionConflict,
  handleCommand,
  type EventStore,
  type SqlQueryable,
  type StreamDecider,
} from '@app/event-store';
import { casesToReroute, type QueuedCase } from '@app/read-models';
import type { CaseRouter, VendorDirectory } from '@app/routing';

export interface ReRouteResult {
  /** unassigned cases in progress routed to an off-shift vendor, or to none */
  readonly examined: number;
  /** those that got a new `Routed` */
  readonly rerouted: number;
}

/**
 * Follow-the-sun, continued (R16): when a vendor's shift ends with cases of its queues
 * still unassigned, they are routed again, to a vendor at work if one speaks their language
 * (trigger `shift-ended`); a case routed to no vendor is routed as soon as one can take it
 * (trigger `unrouted`). The candidates come from the `case_queue` read model; the decision is
 * made again from the case's own stream when it is appended, and the case itself does
 * nothing for a case someone claimed meanwhile, or whose vendor did not change (routeCase),
 * so any number of re-routers may run, each pass as often as it likes.
 */
export class ReRouter {
  constructor(
    private readonly store: EventStore,
    private readonly db: SqlQueryable,
    private readonly router: CaseRouter,
    private readonly directory: VendorDirectory,
    private readonly clock: Clock,
  ) {}

  /** One pass at the clock's now. */
  async tick(): Promise<ReRouteResult> {
    const now = this.clock.now();
    const vendors = await this.directory.list();
    const offShift = vendors.filter((v) => !this.router.isAtWork(v, now)).map((v) => v.id);
    const candidates = await casesToReroute(this.db, offShift);
    let rerouted = 0;
    for (const c of candidates) {
      // from the read model first: most off-shift cases have nowhere better to go, and need no read of their stream
      const decision = this.router.decideFor(
        { language: c.language, priority: c.priority, region: c.region ?? undefined },
        now,
        vendors,
      );
      if (c.routed && decision.vendorId === c.vendorId) continue;
      if (await this.reroute(c, c.routed && c.vendorId !== null ? 'shift-ended' : 'unrouted', now, vendors))
        rerouted += 1;
    }
    return { examined: candidates.length, rerouted };
  }

  private async reroute(
    c: QueuedCase,
    trigger: RoutingTrigger,
    now: Date,
    vendors: Parameters<CaseRouter['decideFor']>[2],
  ): Promise<boolean> {
    const decider: StreamDecider<CaseState, undefined, CaseEvent> = {
      ...routingDecider,
      decide: (state, _none, at) => {
        if (!isOpenedCase(state)) return [];
        const command: RouteCase = {
          type: 'RouteCase',
          caseId: state.id,
          actor: ROUTER,
          trigger,
          decision: this.router.decideFor(
            { language: state.language, priority: state.priority, region: state.sla.terms?.region },
            at,
            vendors,
          ),
        };
        return routingDecider.decide(state, command, at).map((e) => ({ ...e, metadata: { tenant: state.tenant } }));
      },
    };
    try {
      const result = await handleCommand(this.store, toCaseStreamId(c.caseId), decider, undefined, {
        eventMetadata: { actor: ROUTER, correlationId: `reroute:${now.toISOString()}` },
        now,
      });
      return result.newEvents.length > 0;
    } catch (error) {
      // someone wrote to the case meanwhile (a claim, most likely): the next pass sees it
      if (error instanceof ExpectedVersionConflict) return false;
      throw error;
    }
  }
}
