import type { Decider } from '../shared/decider';
import { InvalidCommand } from '../shared/domain-rule-violation';
import { isoInstant, requireText } from '../shared/validation';
import {
  IncidentAlreadyDeclared,
  IncidentAlreadyResolved,
  IncidentEndsBeforeStart,
  IncidentNotFound,
  UnknownIncidentCommand,
} from './incident.errors';
import {
  incidentEvent,
  initialIncidentState,
  type DeclareIncident,
  type IncidentCommand,
  type IncidentEvent,
  type IncidentState,
  type ResolveIncident,
} from './incident.model';

export const decideIncident = (state: IncidentState, command: IncidentCommand, now: Date): IncidentEvent[] => {
  const at = isoInstant('now', now);
  switch (command.type) {
    case 'DeclareIncident':
      return declareIncident(state, command, at);
    case 'ResolveIncident':
      return resolveIncident(state, command, at);
    default: {
      const unknown: never = command;
      throw new UnknownIncidentCommand(unknown);
    }
  }
};

const declareIncident = (state: IncidentState, c: DeclareIncident, at: string): IncidentEvent[] => {
  requireText('incidentId', c.incidentId);
  requireText('title', c.title);
  if (!Array.isArray(c.services) || c.services.length === 0)
    throw new InvalidCommand('services', 'must name at least one service');
  const services = [...new Set(c.services.map((service, i) => requireText(`services[${i}]`, service)))];
  const startedAt = isoInstant('startedAt', c.startedAt);
  if (state.status !== 'not-declared') throw new IncidentAlreadyDeclared(c.incidentId);
  return [
    incidentEvent('IncidentDeclared', {
      incidentId: c.incidentId,
      at,
      byId: c.actor.id,
      title: c.title,
      services,
      startedAt,
    }),
  ];
};

/** Resolving twice is refused: a second, different end time would rewrite the dashboard's history. */
const resolveIncident = (state: IncidentState, c: ResolveIncident, at: string): IncidentEvent[] => {
  const endedAt = isoInstant('endedAt', c.endedAt);
  if (state.status === 'not-declared') throw new IncidentNotFound(c.incidentId);
  if (state.status === 'resolved') throw new IncidentAlreadyResolved(state.id, state.endedAt ?? '?');
  if (c.endedAt.getTime() < Date.parse(state.startedAt))
    throw new IncidentEndsBeforeStart(state.id, state.startedAt, endedAt);
  return [
    incidentEvent('IncidentResolved', {
      incidentId: state.id,
      at,
      byId: c.actor.id,
      startedAt: state.startedAt,
      endedAt,
    }),
  ];
};

/** Total and pure, like the case's evolve: unknown events only bump the version. */
export const evolveIncident = (state: IncidentState, event: IncidentEvent): IncidentState => {
  const version = state.version + 1;
  switch (event.type) {
    case 'IncidentDeclared': {
      if (state.status !== 'not-declared') return { ...state, version };
      const { incidentId, title, services, startedAt, at } = event.data;
      return { status: 'ongoing', version, id: incidentId, title, services, startedAt, declaredAt: at };
    }
    case 'IncidentResolved':
      return state.status === 'not-declared'
        ? { ...state, version }
        : { ...state, version, status: 'resolved', endedAt: event.data.endedAt };
    default:
      return { ...state, version };
  }
};

export const incidentDecider: Decider<IncidentState, IncidentCommand, IncidentEvent> = {
  decide: decideIncident,
  evolve: evolveIncident,
  initialState: initialIncidentState,
};
