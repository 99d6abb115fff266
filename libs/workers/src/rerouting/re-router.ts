import type { Clock } from '@app/clock';
import { isOpenedCase, type RoutingTrigger } from '@app/case-domain';
import { ChangeCase, type CommandDoor } from '@app/commands';
import type { SqlQueryable } from '@app/event-store';
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
    private readonly commands: CommandDoor,
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
    // decided again on the case itself, as it stands when appended: routeCase does nothing
    // for a case someone claimed meanwhile, or whose vendor would not change
    const { events } = await this.commands.execute(
      new ChangeCase({
        caseId: c.caseId,
        command: (state, at) => (isOpenedCase(state) ? this.router.command(state, at, trigger, vendors) : null),
        correlationId: `reroute:${now.toISOString()}`,
      }),
    );
    return events.length > 0;
  }
}
