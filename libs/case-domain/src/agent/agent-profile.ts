import type { Assignee } from '../case/case.commands';
import type { Actor, Decider } from '../shared/decider';
import { InvalidCommand } from '../shared/domain-rule-violation';
import { isoInstant, requireText } from '../shared/validation';

/**
 * The agents directory (R4): what the desk knows of an agent, learnt from the tokens the
 * agent presents (the identity provider is the source; the API records what it saw). One
 * small stream per agent, `agent-<id>` (the token's `sub`), so recording an agent never
 * contends with another and looking one up is one read. A supervisor may assign a case only
 * to an agent recorded here whose vendor and languages fit the case (handling.decide.ts).
 *
 * No e-mail address or name is recorded: the vendor, the languages and the regions are what
 * assignment needs.
 */
export const AGENT_STREAM_CATEGORY = 'agent';

export const toAgentStreamId = (agentId: string): string => {
  if (typeof agentId !== 'string' || agentId.trim() === '') throw new InvalidCommand('agentId', 'must not be empty');
  return `${AGENT_STREAM_CATEGORY}-${agentId}`;
};

export interface AgentProfile {
  readonly agentId: string;
  /** the vendor the agent works for (the token's `vendor`) */
  readonly vendorId: string;
  /** lower-case BCP 47 tags, sorted */
  readonly languages: readonly string[];
  /** lower-case region ids, sorted */
  readonly regions: readonly string[];
}

export const AGENT_EVENT_SCHEMA_VERSIONS = { AgentSeen: 1, AgentProfileChanged: 1 } as const;
export type AgentEventType = keyof typeof AGENT_EVENT_SCHEMA_VERSIONS;

export type AgentEventData = AgentProfile & { readonly at: string; readonly byId: string };

export type AgentEvent =
  /** the first token of this agent the desk saw */
  | { readonly type: 'AgentSeen'; readonly schemaVersion: 1; readonly data: AgentEventData }
  /** a later token said another vendor, other languages or other regions */
  | {
      readonly type: 'AgentProfileChanged';
      readonly schemaVersion: 1;
      readonly data: AgentEventData & { readonly previous: Omit<AgentProfile, 'agentId'> };
    };

/** The agent's claims as a token carried them (checked and normalised by `decideAgent`). */
export interface RecordAgent {
  readonly type: 'RecordAgent';
  readonly agentId: string;
  readonly vendorId: string;
  readonly languages: readonly string[];
  readonly regions: readonly string[];
  readonly actor: Actor;
}
export type AgentCommand = RecordAgent;

export interface AgentState {
  /** null until the agent was first seen */
  readonly profile: AgentProfile | null;
  readonly version: number;
}

export const initialAgentState: AgentState = Object.freeze({ profile: null, version: 0 });

const IDENT = /^[a-z0-9][a-z0-9._:-]{0,99}$/;
const LANGUAGE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/;

const sortedList = (field: string, value: unknown, item: RegExp): string[] => {
  if (!Array.isArray(value) || value.length === 0) throw new InvalidCommand(field, 'must be a non-empty list');
  const items = value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v));
  if (items.some((v) => typeof v !== 'string' || !item.test(v)))
    throw new InvalidCommand(field, 'must hold only well-formed ids');
  return [...new Set(items as string[])].sort();
};

const profileOf = (c: RecordAgent): AgentProfile => {
  const agentId = requireText('agentId', c.agentId);
  const vendorId = typeof c.vendorId === 'string' ? c.vendorId.trim().toLowerCase() : '';
  if (!IDENT.test(vendorId)) throw new InvalidCommand('vendorId', 'must be a vendor id');
  return {
    agentId,
    vendorId,
    languages: sortedList('languages', c.languages, LANGUAGE),
    regions: sortedList('regions', c.regions, IDENT),
  };
};

const sameProfile = (a: AgentProfile, b: AgentProfile): boolean =>
  a.vendorId === b.vendorId && a.languages.join() === b.languages.join() && a.regions.join() === b.regions.join();

/** First seen: `AgentSeen`; the same claims again: nothing; other claims: `AgentProfileChanged`. */
export const decideAgent = (state: AgentState, command: AgentCommand, now: Date): AgentEvent[] => {
  const at = isoInstant('now', now);
  const profile = profileOf(command);
  const byId = command.actor.id;
  const known = state.profile;
  if (known === null) return [{ type: 'AgentSeen', schemaVersion: 1, data: { ...profile, at, byId } }];
  if (known.agentId !== profile.agentId) throw new InvalidCommand('agentId', 'must name the stream’s agent');
  if (sameProfile(known, profile)) return [];
  const { agentId: _id, ...previous } = known;
  return [{ type: 'AgentProfileChanged', schemaVersion: 1, data: { ...profile, at, byId, previous } }];
};

/** Total: an unknown event only bumps the version. */
export const evolveAgent = (state: AgentState, e: AgentEvent): AgentState => {
  const version = state.version + 1;
  if (e.type !== 'AgentSeen' && e.type !== 'AgentProfileChanged') return { ...state, version };
  const { agentId, vendorId, languages, regions } = e.data;
  return { profile: { agentId, vendorId, languages, regions }, version };
};

export const agentDecider: Decider<AgentState, AgentCommand, AgentEvent> = {
  decide: decideAgent,
  evolve: evolveAgent,
  initialState: initialAgentState,
};

/** R4: the agent as an assignee of a case (`AssignCase.assignee`), or null when never seen. */
export const assigneeOf = (state: AgentState): Assignee | null =>
  state.profile === null
    ? null
    : { kind: 'agent', vendorId: state.profile.vendorId, languages: state.profile.languages };
