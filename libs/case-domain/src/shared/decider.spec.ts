import { deciderSpec } from '@app/testing';
import { foldEvents, type Decider } from './decider';
import { InvalidCommand } from './domain-rule-violation';

/** A toy counter, to pin down foldEvents and the given/when/then helper itself. */
type Added = { type: 'Added'; data: { by: number } };
type Add = { by: number };
const counter: Decider<{ total: number }, Add, Added> = {
  initialState: { total: 0 },
  evolve: (state, event) => ({ total: state.total + event.data.by }),
  decide: (state, command) => {
    if (command.by <= 0) throw new InvalidCommand('by', 'must be positive');
    return state.total >= 10 ? [] : [{ type: 'Added', data: { by: command.by } }];
  },
};
const added = (by: number): Added => ({ type: 'Added', data: { by } });
const given = deciderSpec(counter);

describe('foldEvents', () => {
  it('folds a history from the initial state or from a given one', () => {
    expect(foldEvents(counter, [added(1), added(2)])).toEqual({ total: 3 });
    expect(foldEvents(counter, [added(2)], { total: 5 })).toEqual({ total: 7 });
  });
});

describe('deciderSpec', () => {
  it('passes when the events, the refusal or the nothing match', () => {
    given([added(1)])
      .when({ by: 2 })
      .then([added(2)]);
    given([])
      .when({ by: 0 })
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('by'));
    given([added(10)])
      .when({ by: 1 })
      .thenNothingHappened();
  });

  it('fails when decide does not throw, or returns other events', () => {
    expect(() => given([]).when({ by: 1 }).thenThrows(InvalidCommand)).toThrow(/expected InvalidCommand/);
    expect(() =>
      given([])
        .when({ by: 1 })
        .then([added(9)]),
    ).toThrow();
    expect(() => given([]).when({ by: 1 }).thenNothingHappened()).toThrow();
  });

  it('fails a decider that mutates the state it was given', () => {
    const mutating = {
      ...counter,
      decide: (state: { total: number }) => {
        state.total = 99;
        return [];
      },
    };
    expect(() =>
      deciderSpec(mutating)([added(1)])
        .when({ by: 1 })
        .thenNothingHappened(),
    ).toThrow(TypeError);
  });
});
