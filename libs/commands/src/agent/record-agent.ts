import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  agentDecider,
  toAgentStreamId,
  type AgentEvent,
  type AgentProfile,
  type AgentState,
  type RecordAgent as RecordAgentCommand,
} from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@app/event-store';
import { StreamWriter } from '../stream-writer';

export interface AgentRecorded {
  readonly profile: AgentProfile;
  /** false when the directory already knew the agent with these claims */
  readonly changed: boolean;
  readonly position?: number;
}

/**
 * Records the agent a token shows (R4): its vendor, languages and regions, in the agent's
 * own stream `agent-<sub>` (`AgentSeen` the first time, `AgentProfileChanged` when the claims
 * change, nothing otherwise). The API sends it when an agent presents a token it has not seen
 * in this process (apps/api agents-seen.interceptor.ts); a supervisor's reassignment then
 * looks the agent up there (ChangeCaseHandler).
 */
export class RecordAgent extends Command<AgentRecorded> {
  constructor(
    readonly request: {
      readonly command: RecordAgentCommand;
      readonly actor: EventMetadata['actor'];
      readonly correlationId?: string;
    },
  ) {
    super();
  }
}

@CommandHandler(RecordAgent)
export class RecordAgentHandler implements ICommandHandler<RecordAgent, AgentRecorded> {
  private readonly writer: StreamWriter<AgentState, AgentEvent>;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(CLOCK) clock: Clock) {
    this.writer = new StreamWriter(store, agentDecider, { now: () => clock.now(), cacheSize: 10_000 });
  }

  async execute({ request: r }: RecordAgent): Promise<AgentRecorded> {
    const result = await this.writer.write({
      streamId: toAgentStreamId(r.command.agentId),
      commandName: () => r.command.type,
      metadata: { actor: r.actor, ...(r.correlationId ? { correlationId: r.correlationId } : {}) },
      decide: (state, _version, now) => agentDecider.decide(state, r.command, now),
    });
    return {
      profile: result.state.profile as AgentProfile,
      changed: result.events.length > 0,
      position: result.position,
    };
  }
}
