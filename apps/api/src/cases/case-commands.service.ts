import { Inject, Injectable } from '@nestjs/common';
import { ACCESS_POLICY, toActor, type AccessPolicy, type Principal } from '@app/auth';
import {
  afterCaseEvent,
  caseDecider,
  CaseNotFound,
  DomainRuleViolation,
  isOpenedCase,
  priorityFor,
  routingDecider,
  toCaseStreamId,
  toCaseView,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type CaseView,
} from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { METRICS, type Metrics } from '@app/observability';
import {
  EVENT_STORE,
  ExpectedVersionConflict,
  handleCommand,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
  type StreamDecider,
} from '@app/event-store';
import { SlaService } from '@app/sla';
import { CaseRouter } from '@app/routing';
import { eventIdFor, StaleVersion } from '../http/http.errors';

/** What every write needs besides the command: who, which request, which version the caller saw. */
export interface WriteContext {
  readonly principal: Principal;
  readonly correlationId: string;
  readonly idempotencyKey?: string;
  /** from If-Match: the version the caller decided on */
  readonly expectedVersion?: number;
}

export interface CaseWriteResult {
  readonly view: CaseView;
  /** global position of the last event written (for read-your-writes on projections) */
  readonly position?: number;
}

/** How many times a write re-reads and decides again when another writer got there first. */
const CONFLICT_RETRIES = 3;

/**
 * The application shell of every case write: read the stream, fold, check the caller may
 * see this case and saw its current version, decide, append at the version read, then run
 * the process manager. Rules live in @app/case-domain.
 *
 * R10: a new case gets its SLA terms here (the shell holds the calendars and the policy, so
 * `decide` stays pure), and every view carries the SLA figures at the clock's now.
 * R15: the survey is a durable timer (@app/timers) SURVEY_DELAY after the resolution; with
 * a delay of 0 the shell also sends it at once, so the answer to the resolution shows it.
 */
@Injectable()
export class CaseCommandsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(SlaService) private readonly sla: SlaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CaseRouter) private readonly router: CaseRouter,
  ) {}

  /** The case as GET /v1/cases/{id} shows it, with its SLA figures at the clock's now (R10). */
  view(state: CaseState): CaseView | null {
    return toCaseView(state, state.version, this.sla.report(state, this.clock.now()));
  }

  async execute(
    caseId: string,
    context: WriteContext,
    toCommand: (state: CaseState) => CaseCommand,
  ): Promise<CaseWriteResult> {
    const seen: { type?: string } = {};
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.executeOnce(caseId, context, (state) => {
          const command = toCommand(state);
          seen.type = command.type;
          return command;
        });
        this.metrics.commands.inc({ command: seen.type ?? 'unknown', result: 'accepted' });
        return result;
      } catch (e) {
        if (!(e instanceof ExpectedVersionConflict) || attempt >= CONFLICT_RETRIES || context.expectedVersion !== undefined)
          this.metrics.commands.inc({ command: seen.type ?? 'unknown', result: e instanceof DomainRuleViolation ? 'refused' : 'failed' });
        // without If-Match the caller did not decide on a version: deciding again on the
        // new state is what it asked for; with If-Match, a moved stream is its 412
        if (e instanceof ExpectedVersionConflict && context.expectedVersion === undefined && attempt < CONFLICT_RETRIES)
          continue;
        if (e instanceof ExpectedVersionConflict) throw new StaleVersion(caseId, context.expectedVersion, e.actual);
        throw e;
      }
    }
  }

  /** The case as the caller may see it, or 404 (an unknown case and another organisation's look the same: R3). */
  async read(caseId: string, principal: Principal): Promise<{ state: CaseState; recorded: RecordedEvent[] }> {
    const { events } = await this.store.readStream(toCaseStreamId(caseId));
    // the stored events of a case stream are CaseEvents; RecordedEvent only adds fields
    const state = (events as unknown as CaseEvent[]).reduce(caseDecider.evolve, caseDecider.initialState);
    this.assertVisible(caseId, state, principal);
    return { state, recorded: events };
  }

  private async executeOnce(caseId: string, context: WriteContext, toCommand: (state: CaseState) => CaseCommand) {
    const now = this.clock.now();
    const streamId = toCaseStreamId(caseId);
    const decider: StreamDecider<CaseState, undefined, CaseEvent> = {
      ...caseDecider,
      decide: (state, _none, at) => {
        const command = this.withSlaTerms(toCommand(state), at);
        if (command.type !== 'OpenCase') this.assertVisible(caseId, state, context.principal);
        if (context.expectedVersion !== undefined && context.expectedVersion !== state.version)
          throw new StaleVersion(caseId, context.expectedVersion, state.version);
        return this.stamp(caseDecider.decide(state, command, at), state, context);
      },
    };
    const result = await handleCommand(this.store, streamId, decider, undefined, { eventMetadata: this.metadata(context), now });
    let state = result.newState;
    let position = result.appended?.globalPositions.at(-1);
    // R4, R16: a new case goes to a vendor's queue at once (Routed right after Opened)
    if (isOpenedCase(state) && result.newEvents.some((e) => e.type === 'Opened')) {
      const routed = await this.route(streamId, state, context, now);
      state = routed?.newState ?? state;
      position = routed?.appended?.globalPositions.at(-1) ?? position;
    }
    // the process manager reacts to what was just recorded (R15: SurveySent after Resolved);
    // its commands are idempotent (the survey id derives from the case and cycle), so the
    // survey timer, which sends the same id, finds it sent, or the shell finds it sent
    for (const event of result.newEvents) {
      const follow = afterCaseEvent(event);
      if (!follow) continue;
      if (follow.type === 'SendSurvey' && this.config.timers.surveyDelayMs > 0) continue; // the timer sends it later
      const system: StreamDecider<CaseState, undefined, CaseEvent> = {
        ...caseDecider,
        decide: (s, _none, at) => this.stamp(caseDecider.decide(s, follow, at), s, context, 'follow'),
      };
      const next = await handleCommand(this.store, streamId, system, undefined, {
        eventMetadata: { ...this.metadata(context), actor: follow.actor, causationId: event.data.caseId },
        now,
      });
      state = next.newState;
      position = next.appended?.globalPositions.at(-1) ?? position;
    }
    const view = this.view(state);
    if (!view) throw new CaseNotFound(caseId);
    return { view, position };
  }

  /**
   * R10: an OpenCase without terms gets them: the calendar of the customer's region (the
   * policy's region for the tenant, else its default calendar), the versions, the due time.
   */
  private withSlaTerms(command: CaseCommand, at: Date): CaseCommand {
    if (command.type !== 'OpenCase' || command.sla !== undefined) return command;
    // a malformed intake gets no terms: decide refuses it with the field that is wrong
    if (typeof command.impact !== 'object' || command.impact === null) return command;
    return { ...command, sla: this.sla.termsFor({ tenant: command.tenant, priority: priorityFor(command), openedAt: at }) };
  }

  /**
   * Appends the routing decision for a case just opened. Should another write slip in
   * between (a conflict), the case stays unrouted and the re-router routes it on its next
   * pass (trigger `unrouted`); retrying here would decide OpenCase again and refuse it.
   */
  private async route(streamId: string, opened: CaseState, context: WriteContext, now: Date) {
    if (!isOpenedCase(opened)) return undefined;
    const command = await this.router.command(opened, now, 'opened');
    const routing: StreamDecider<CaseState, undefined, CaseEvent> = {
      ...caseDecider,
      decide: (s, _none, at) => this.stamp(routingDecider.decide(s, command, at), s, context, 'route'),
    };
    return handleCommand(this.store, streamId, routing, undefined, {
      eventMetadata: { ...this.metadata(context), actor: command.actor, causationId: opened.id },
      now,
    }).catch((e: unknown) => {
      if (e instanceof ExpectedVersionConflict) return undefined;
      throw e;
    });
  }

  /** Adds the case's tenant to each event's metadata and, under an idempotency key, stable event ids. */
  private stamp(events: CaseEvent[], state: CaseState, context: WriteContext, step = 'command'): CaseEvent[] {
    const tenant = isOpenedCase(state) ? state.tenant : undefined;
    return events.map((event, i) => ({
      ...event,
      ...(context.idempotencyKey ? { eventId: eventIdFor(`${context.principal.sub}:${step}`, context.idempotencyKey, i) } : {}),
      metadata: { tenant: tenant ?? (event.type === 'Opened' ? event.data.tenant : undefined) },
    }));
  }

  private assertVisible(caseId: string, state: CaseState, principal: Principal): void {
    if (!isOpenedCase(state) || !this.policy.canSeeCase(principal, state.tenant, state.language, state.routing?.vendorId ?? null))
      throw new CaseNotFound(caseId);
  }

  private metadata(context: WriteContext): EventMetadata {
    const { principal, correlationId, idempotencyKey } = context;
    return {
      actor: toActor(principal),
      correlationId,
      ...(idempotencyKey ? { idempotencyKey } : {}),
    };
  }
}
