import { caseDecider, toCaseView, type CaseEvent, type CaseState, type CaseView } from '@app/case-domain';
import type { RecordedEvent } from '@app/event-store';

/**
 * A case's history for auditors: its state at a moment and a readable account of each
 * change. Pure: the caller reads the stream (up to the moment, in version order).
 */
export interface CaseAsOf {
  /** null when the events do not open the case */
  readonly view: CaseView | null;
  readonly state: CaseState;
  readonly events: readonly RecordedEvent[];
}

/** Folds the case's events with the case decider's `evolve`, as a command handler would. */
export const caseAsOf = (events: readonly RecordedEvent[]): CaseAsOf => {
  const state = events.reduce((s, e) => caseDecider.evolve(s, e as unknown as CaseEvent), caseDecider.initialState);
  return { view: toCaseView(state), state, events };
};

export interface FieldChange {
  /** a field of the case view, dotted for nested ones (`survey.rating`) */
  readonly field: string;
  /** JSON of the value before and after; absent: the field was not set */
  readonly from?: string;
  readonly to?: string;
}

export interface TimelineEntry {
  readonly recordedAt: string;
  readonly version: number;
  readonly type: string;
  /** `id (role)` from the event's metadata, or the data's `byId` */
  readonly actor: string;
  readonly changes: readonly FieldChange[];
}

/** One entry per event: when, who, what, and which fields of the case view it changed. */
export const caseTimeline = (events: readonly RecordedEvent[]): TimelineEntry[] => {
  let state = caseDecider.initialState;
  let before = flatten(toCaseView(state));
  return events.map((event) => {
    state = caseDecider.evolve(state, event as unknown as CaseEvent);
    const after = flatten(toCaseView(state));
    const changes = diff(before, after);
    before = after;
    return {
      recordedAt: event.recordedAt.toISOString(),
      version: event.streamVersion,
      type: event.type,
      actor: actorOf(event),
      changes,
    };
  });
};

const actorOf = ({ metadata, data }: RecordedEvent): string => {
  const actor = metadata.actor;
  if (actor?.id) return actor.role ? `${actor.id} (${actor.role})` : actor.id;
  const byId = (data as { byId?: unknown } | null)?.byId;
  return typeof byId === 'string' ? byId : 'unknown';
};

/** The view's fields as dotted paths to JSON text; arrays stay whole. `version` is left out. */
const flatten = (view: CaseView | null): Map<string, string> => {
  const fields = new Map<string, string>();
  const walk = (value: unknown, path: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
    } else if (value !== undefined) fields.set(path, JSON.stringify(value));
  };
  if (view) {
    const { version: _version, ...rest } = view;
    walk(rest, '');
  }
  return fields;
};

const diff = (before: Map<string, string>, after: Map<string, string>): FieldChange[] => {
  const changes: FieldChange[] = [];
  for (const [field, to] of after) {
    const from = before.get(field);
    if (from !== to) changes.push(from === undefined ? { field, to } : { field, from, to });
  }
  for (const [field, from] of before) if (!after.has(field)) changes.push({ field, from });
  return changes;
};

/** One line per entry: `time  actor  Type vN  field: from → to; …`. */
export const renderTimeline = (entries: readonly TimelineEntry[]): string[] => {
  const actorWidth = Math.max(5, ...entries.map((e) => e.actor.length));
  const typeWidth = Math.max(4, ...entries.map((e) => `${e.type} v${e.version}`.length));
  return entries.map((e) => {
    const what = e.changes.length === 0 ? '(no change to the case view)' : e.changes.map(renderChange).join('; ');
    return `${e.recordedAt}  ${e.actor.padEnd(actorWidth)}  ${`${e.type} v${e.version}`.padEnd(typeWidth)}  ${what}`;
  });
};

const MAX_VALUE = 60;
const short = (json: string | undefined): string => {
  if (json === undefined) return '∅';
  return json.length > MAX_VALUE ? `${json.slice(0, MAX_VALUE - 1)}…` : json;
};
const renderChange = ({ field, from, to }: FieldChange): string => `${field}: ${short(from)} → ${short(to)}`;
