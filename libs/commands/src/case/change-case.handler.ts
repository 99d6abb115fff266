import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  afterCaseEvent,
  agentDecider,
  assigneeOf,
  caseDecider,
  CaseNotFound,
  DomainRuleViolation,
  isOpenedCase,
  foldEvents,
  priorityFor,
  toAgentStreamId,
  toCaseStreamId,
  type AgentEvent,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type Vendor,
} from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { METRICS, type Metrics } from '@app/observability';
import { CaseRouter, VendorDirectory } from '@app/routing';
import { SlaService } from '@app/sla';
import { StreamWriter } from '../stream-writer';
import { CASE_WRITE_SETTINGS, type CaseWriteSettings } from '../commands.tokens';
import { StaleVersion } from '../stale-version';
import { ChangeCase, type CaseChange, type CaseCommandOrPlan, type ChangeCaseRequest } from './change-case.command';

/**
 * The case's command handler: one write path for every case command (stream-writer.ts),
 * plus what the shell knows and the domain must not: the SLA terms of a new case (R10: the
 * calendars and the policy), the routing decision (R4, R16: the vendors, in memory), and
 * the process manager's follow-ups (R15: the survey at once when SURVEY_DELAY is 0), and the
 * facts a command's rules need from other streams (R3: the organisation of the case an open
 * follows; R4: the vendor and languages of the agent a supervisor names, from `agent-<id>`).
 * A new case's `Opened` and `Routed` are one append; so are `Resolved` and `SurveySent`.
 */
@CommandHandler(ChangeCase)
export class ChangeCaseHandler implements ICommandHandler<ChangeCase, CaseChange> {
  private readonly writer: StreamWriter<CaseState, CaseEvent>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) clock: Clock,
    @Inject(SlaService) private readonly sla: SlaService,
    @Inject(CaseRouter) private readonly router: CaseRouter,
    @Inject(VendorDirectory) private readonly directory: VendorDirectory,
    @Inject(CASE_WRITE_SETTINGS) private readonly settings: CaseWriteSettings,
    @Optional() @Inject(METRICS) private readonly metrics?: Metrics,
  ) {
    this.writer = new StreamWriter(store, caseDecider, { now: () => clock.now(), cacheSize: settings.cacheSize });
  }

  async execute({ request: asked }: ChangeCase): Promise<CaseChange> {
    let type = typeof asked.command === 'function' ? 'planned' : asked.command.type;
    // a case may be opened: the router then needs the vendors (in memory, refreshed from the log)
    const vendors = type === 'OpenCase' || type === 'planned' ? await this.directory.list() : [];
    try {
      const request = { ...asked, command: await this.withFacts(asked.command) };
      const result = await this.writer.write({
        streamId: toCaseStreamId(request.caseId),
        // a plan's command is known once decided
        commandName: () => type,
        expectedVersion: request.expectedVersion,
        idempotency: request.idempotency,
        // an open names a new id: nothing to read (a retry under a key finds its case on the append)
        expectNew: type === 'OpenCase',
        stale: (expected, actual) => new StaleVersion(`Case ${request.caseId}`, expected, actual),
        metadata: {
          ...(request.correlationId ? { correlationId: request.correlationId } : {}),
          ...(request.causationId ? { causationId: request.causationId } : {}),
        },
        decide: (state, _version, now) => {
          const command = typeof request.command === 'function' ? request.command(state, now) : request.command;
          if (command === null) return [];
          type = command.type;
          return this.decide(state, command, request, now, vendors);
        },
      });
      this.metrics?.commands.inc({ command: type, result: 'accepted' });
      return result;
    } catch (error) {
      this.metrics?.commands.inc({
        command: type,
        result: error instanceof DomainRuleViolation ? 'refused' : 'failed',
      });
      throw error;
    }
  }

  /** The command's events, then the router's and the process manager's on the state they leave. */
  private decide(
    state: CaseState,
    command: CaseCommand,
    request: ChangeCaseRequest,
    now: Date,
    vendors: readonly Vendor[],
  ): CaseEvent[] {
    if (command.type !== 'OpenCase' && request.canSee && !(isOpenedCase(state) && request.canSee(state)))
      throw new CaseNotFound(request.caseId);
    const actor = request.actor ?? command.actor;
    const events = this.stamp(caseDecider.decide(state, this.withSlaTerms(command, state, now), now), state, actor);
    let after = events.reduce(caseDecider.evolve, state);
    const follows: CaseEvent[] = [];
    const follow = (next: CaseCommand) => {
      const decided = this.stamp(caseDecider.decide(after, next, now), after, next.actor, request.caseId);
      after = decided.reduce(caseDecider.evolve, after);
      follows.push(...decided);
    };
    // R4, R16: a new case goes to a vendor's queue in the same append as its Opened
    if (isOpenedCase(after) && events.some((e) => e.type === 'Opened'))
      follow(this.router.command(after, now, 'opened', vendors));
    // R15: the process manager; with a survey delay the timer sends it later (same survey id)
    for (const event of events) {
      const next = afterCaseEvent(event);
      if (next && !(next.type === 'SendSurvey' && this.settings.surveyDelayMs > 0)) follow(next);
    }
    return [...events, ...follows];
  }

  /**
   * What the domain decides on but cannot read, looked up before the write: R3, the
   * organisation of the case an open says it follows (null: no such case); R4, who the
   * agent a command names is (null: never seen). Reads of other streams, so not repeated
   * when the write is decided again: a case's organisation never changes, and an agent's
   * claims change only when the agent signs in again.
   */
  private async withFacts(command: CaseCommandOrPlan): Promise<CaseCommandOrPlan> {
    if (typeof command === 'function') return command;
    if (command.type === 'OpenCase' && command.relatedCase === undefined && validId(command.relatedCaseId)) {
      const { state } = await this.writer.load(toCaseStreamId(command.relatedCaseId));
      return { ...command, relatedCase: isOpenedCase(state) ? { tenant: state.tenant } : null };
    }
    if (command.type === 'AssignCase' && command.assignee === undefined && validId(command.agentId)) {
      const { events } = await this.store.readStream(toAgentStreamId(command.agentId));
      return { ...command, assignee: assigneeOf(foldEvents(agentDecider, events as unknown as AgentEvent[])) };
    }
    return command;
  }

  /**
   * R10: an OpenCase without terms gets them (the calendar of the customer's region, the
   * versions, the due time). A command that may reopen a resolved case (ReopenCase, and
   * ReplyToCase, R15) gets the new cycle's first-response terms, recorded in `Reopened`.
   */
  private withSlaTerms(command: CaseCommand, state: CaseState, at: Date): CaseCommand {
    if ((command.type === 'ReopenCase' || command.type === 'ReplyToCase') && command.sla === undefined) {
      const sla = state.status === 'resolved' ? this.sla.cycleTermsFor(state, at) : undefined;
      return sla === undefined ? command : { ...command, sla };
    }
    if (command.type !== 'OpenCase' || command.sla !== undefined) return command;
    // a malformed intake gets no terms: decide refuses it with the field that is wrong
    if (typeof command.impact !== 'object' || command.impact === null) return command;
    return {
      ...command,
      sla: this.sla.termsFor({ tenant: command.tenant, priority: priorityFor(command), openedAt: at }),
    };
  }

  /** Each event's metadata: who, and the case's tenant (R3: every event says whose it is). */
  private stamp(
    events: CaseEvent[],
    state: CaseState,
    actor: ChangeCaseRequest['actor'],
    causationId?: string,
  ): CaseEvent[] {
    return events.map((event) => {
      const tenant = isOpenedCase(state) ? state.tenant : event.type === 'Opened' ? event.data.tenant : undefined;
      return { ...event, metadata: { actor, tenant, ...(causationId ? { causationId } : {}) } };
    });
  }
}

/** an id worth looking up; anything else is left to the domain's validation (COMMAND.INVALID) */
const validId = (id: unknown): id is string => typeof id === 'string' && id.trim() !== '' && id.length <= 255;
