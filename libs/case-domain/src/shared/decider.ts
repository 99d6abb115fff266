/**
 * A pure decider (Chassaing's pattern, as in Emmett): `decide` turns a command into events
 * or throws a {@link DomainRuleViolation}; `evolve` folds one event into the state. Time is
 * an argument, never read from a clock, so the same history and command always give the
 * same events.
 */
export interface Decider<State, Command, Event> {
  decide(state: State, command: Command, now: Date): Event[];
  evolve(state: State, event: Event): State;
  readonly initialState: State;
}

/** Folds a history into a state: what a command handler does before it calls `decide`. */
export const foldEvents = <State, Event>(
  decider: Pick<Decider<State, unknown, Event>, 'evolve' | 'initialState'>,
  events: readonly Event[],
  from: State = decider.initialState,
): State => events.reduce((state, event) => decider.evolve(state, event), from);

/** Who did it: the actor recorded in events. Roles are checked by the API, not here. */
export interface Actor {
  readonly id: string;
  readonly role: string;
}
