/**
 * Given/when/then for a pure decider (docs/conventions.md; Emmett's DeciderSpecification,
 * Oskar Dudycz's `testing/unit/specification.ts`):
 *
 *   const given = deciderSpec(caseDecider);
 *   it('R14: refuses a second credit', () =>
 *     given([opened, linked, requested, issued]).when(issueCredit).thenThrows(CreditAlreadyIssued));
 *
 * The history is folded with `evolve`, then `decide` runs once, synchronously. State and
 * history are deep-frozen first, so a decider that mutates its input fails the test instead
 * of passing by luck. Do not `await` the result of `when`: it has a `then` method.
 */
import type { Decider } from '@app/case-domain';

/** The default `now` of `when`: a fixed instant, so expected events can name it. */
export const SPEC_NOW = new Date('2026-03-02T09:30:00.000Z');

/** an error class, abstract ones (with protected constructors) included */
type ErrorClass<T extends Error> = { readonly prototype: T; readonly name: string };

export interface DeciderExpectation<Event> {
  /** decide returns exactly these events (compared with toEqual) */
  then(expected: readonly Event[]): void;
  /** decide throws an instance of `errorClass`; `check` may look closer (code, fields) */
  thenThrows<T extends Error>(errorClass: ErrorClass<T>, check?: (error: T) => void): void;
  /** decide accepts the command and returns no event (an idempotent repeat) */
  thenNothingHappened(): void;
}

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
};

export const deciderSpec =
  <State, Command, Event>(decider: Decider<State, Command, Event>) =>
  (history: readonly Event[] = []) => ({
    when: (command: Command, now: Date = SPEC_NOW): DeciderExpectation<Event> => {
      const run = (): readonly Event[] => {
        const state = deepFreeze(history).reduce(
          (s, e) => deepFreeze(decider.evolve(s, e)),
          deepFreeze(decider.initialState),
        );
        return decider.decide(state, command, now);
      };
      return {
        then: (expected) => expect(run()).toEqual(expected),
        thenNothingHappened: () => expect(run()).toEqual([]),
        thenThrows: <T extends Error>(errorClass: ErrorClass<T>, check?: (error: T) => void) => {
          let events: readonly Event[];
          try {
            events = run();
          } catch (error) {
            expect(error).toBeInstanceOf(errorClass);
            check?.(error as T);
            return;
          }
          throw new Error(`expected ${errorClass.name} to be thrown, but decide returned ${JSON.stringify(events)}`);
        },
      };
    },
  });
