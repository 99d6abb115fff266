import type { Actor } from '../shared/decider';

/**
 * Incidents: the outages of the status dashboard (R14), an aggregate of their own
 * (stream `incident-<id>`), declared and resolved by supervisors. Cases link to them.
 */

// ── commands ───────────────────────────────────────────────────────────────
export interface DeclareIncident {
  readonly type: 'DeclareIncident';
  readonly incidentId: string;
  readonly actor: Actor;
  readonly title: string;
  /** the services it hits, e.g. `sso`, `directory` */
  readonly services: readonly string[];
  readonly startedAt: Date;
}

export interface ResolveIncident {
  readonly type: 'ResolveIncident';
  readonly incidentId: string;
  readonly actor: Actor;
  readonly endedAt: Date;
}

export type IncidentCommand = DeclareIncident | ResolveIncident;

// ── events ─────────────────────────────────────────────────────────────────
export const INCIDENT_EVENT_SCHEMA_VERSIONS = { IncidentDeclared: 1, IncidentResolved: 1 } as const;
export type IncidentEventType = keyof typeof INCIDENT_EVENT_SCHEMA_VERSIONS;

export interface IncidentEventDataMap {
  IncidentDeclared: {
    readonly incidentId: string;
    readonly at: string;
    readonly byId: string;
    readonly title: string;
    readonly services: readonly string[];
    readonly startedAt: string;
  };
  IncidentResolved: {
    readonly incidentId: string;
    readonly at: string;
    readonly byId: string;
    readonly startedAt: string;
    readonly endedAt: string;
  };
}

export type IncidentEventOf<T extends IncidentEventType> = {
  readonly type: T;
  readonly schemaVersion: (typeof INCIDENT_EVENT_SCHEMA_VERSIONS)[T];
  readonly data: IncidentEventDataMap[T];
};
export type IncidentEvent = { [T in IncidentEventType]: IncidentEventOf<T> }[IncidentEventType];

export const incidentEvent = <T extends IncidentEventType>(
  type: T,
  data: IncidentEventDataMap[T],
): IncidentEventOf<T> => ({
  type,
  schemaVersion: INCIDENT_EVENT_SCHEMA_VERSIONS[type],
  data,
});

// ── state ──────────────────────────────────────────────────────────────────
export interface UndeclaredIncident {
  readonly status: 'not-declared';
  readonly version: number;
}

export interface DeclaredIncident {
  readonly status: 'ongoing' | 'resolved';
  readonly version: number;
  readonly id: string;
  readonly title: string;
  readonly services: readonly string[];
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly declaredAt: string;
}

export type IncidentState = UndeclaredIncident | DeclaredIncident;

export const initialIncidentState: IncidentState = Object.freeze({
  status: 'not-declared',
  version: 0,
}) as UndeclaredIncident;

/** The incident as the API shows it, or null when it was never declared. */
export const toIncidentView = (state: IncidentState) =>
  state.status === 'not-declared'
    ? null
    : {
        id: state.id,
        status: state.status,
        title: state.title,
        services: state.services,
        startedAt: state.startedAt,
        ...(state.endedAt === undefined ? {} : { endedAt: state.endedAt }),
        version: state.version,
      };
