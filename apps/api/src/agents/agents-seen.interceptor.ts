import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { from, switchMap, type Observable } from 'rxjs';
import { toActor, type AgentPrincipal, type Principal } from '@app/auth';
import { RecordAgent } from '@app/commands';

/** agents remembered per process; past that, the oldest is recorded again (a no-op) when seen */
const REMEMBERED = 10_000;

/**
 * R4: the agents directory learns agents from the tokens they present. Before an agent's
 * request is handled, the first time this process sees the agent (or sees other claims for
 * them), it records the token's vendor, languages and regions through the command door
 * (`RecordAgent`: `AgentSeen`, `AgentProfileChanged`, or nothing when the log already has
 * them). A supervisor's reassignment is then decided on what the log knows of the agent.
 * Every other request costs one lookup in memory.
 */
@Injectable()
export class AgentsSeenInterceptor implements NestInterceptor {
  private readonly seen = new Map<string, string>();

  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const principal =
      context.getType() === 'http'
        ? (context.switchToHttp().getRequest<{ principal?: Principal }>().principal ?? null)
        : null;
    if (principal?.role !== 'agent') return next.handle();
    const claims = fingerprint(principal);
    if (this.seen.get(principal.sub) === claims) return next.handle();
    return from(this.record(principal, claims)).pipe(switchMap(() => next.handle()));
  }

  private async record(p: AgentPrincipal, claims: string): Promise<void> {
    await this.commands.execute(
      new RecordAgent({
        command: {
          type: 'RecordAgent',
          agentId: p.sub,
          vendorId: p.vendor,
          languages: p.languages,
          regions: p.regions,
          actor: { id: p.sub, role: p.role },
        },
        actor: toActor(p),
      }),
    );
    this.seen.delete(p.sub);
    this.seen.set(p.sub, claims);
    if (this.seen.size > REMEMBERED) this.seen.delete(this.seen.keys().next().value as string);
  }
}

const fingerprint = (p: AgentPrincipal): string =>
  JSON.stringify([p.vendor, [...p.languages].sort(), [...p.regions].sort()]);
