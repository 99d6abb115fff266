import { ExpectedVersionConflict } from './event-store.errors';
import type { AppendResult, EventMetadata, EventStore, NewEvent } from './event-store.port';

/**
 * A decider (Chassaing's pattern, as in Emmett): pure functions, time given, no I/O.
 * The same shape as `Decider` in @app/case-domain, so its deciders fit as they are.
 */
export interface StreamDecider<S, C, E extends NewEvent> {
  decide(state: S, command: C, now: Date): readonly E[];
  evolve(state: S, event: E): S;
  readonly initialState: S;
}

export interface HandleCommandOptions {
  /** the version the caller saw (e.g. from If-Match); default: whatever the read finds */
  readonly expectedVersion?: number;
  /** merged into every new event's metadata (actor, tenant, correlation id…) */
  readonly eventMetadata: EventMetadata;
  readonly now: Date;
}

export interface HandleCommandResult<E, S> {
  readonly newEvents: readonly E[];
  readonly newState: S;
  /** the stream's version afterwards: the next expected version (unchanged when nothing was decided) */
  readonly nextExpectedVersion: number;
  /** undefined when `decide` returned no events and nothing was appended */
  readonly appended?: AppendResult;
}

/**
 * read → fold `evolve` → `decide` → append at the version read. A concurrent writer makes
 * the append fail with {@link ExpectedVersionConflict} rather than decide on a stale state.
 */
export const handleCommand = async <S, C, E extends NewEvent>(
  store: EventStore,
  streamId: string,
  { decide, evolve, initialState }: StreamDecider<S, C, E>,
  command: C,
  { expectedVersion, eventMetadata, now }: HandleCommandOptions,
): Promise<HandleCommandResult<E, S>> => {
  const { events, currentVersion } = await store.readStream(streamId);
  // the caller decided on what it saw: if the stream moved since, fail before deciding
  if (expectedVersion !== undefined && expectedVersion !== currentVersion)
    throw new ExpectedVersionConflict(streamId, expectedVersion, currentVersion);
  // the stored events of this stream are E's; RecordedEvent adds fields, it removes none
  const state = events.reduce((s, e) => evolve(s, e as unknown as E), initialState);
  const newEvents = decide(state, command, now);
  if (newEvents.length === 0) return { newEvents, newState: state, nextExpectedVersion: currentVersion };
  const toAppend = newEvents.map((e) => ({ ...e, metadata: { ...eventMetadata, ...e.metadata } }));
  const appended = await store.appendToStream(streamId, toAppend, currentVersion);
  return {
    newEvents,
    newState: newEvents.reduce(evolve, state),
    nextExpectedVersion: appended.nextExpectedVersion,
    appended,
  };
};
