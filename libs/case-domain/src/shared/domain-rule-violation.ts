/**
 * Every refusal the domain throws. `code` is stable (clients and dashboards match on it),
 * `message` is written for a person, and `kind` says how the edge should answer, so the
 * API maps errors in one place without knowing each class (docs/conventions.md):
 *
 * | kind        | meaning                                     | HTTP |
 * | ----------- | ------------------------------------------- | ---- |
 * | `conflict`  | a business rule refuses it in this state    | 409  |
 * | `not-found` | the aggregate was never created             | 404  |
 * | `invalid`   | a value the types cannot stop is wrong      | 400  |
 */
export type ViolationKind = 'conflict' | 'not-found' | 'invalid';

export abstract class DomainRuleViolation extends Error {
  abstract readonly code: string;
  abstract readonly kind: ViolationKind;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A value the types cannot stop: an empty message, a rating of 9, a credit of -5. */
export class InvalidCommand extends DomainRuleViolation {
  readonly code = 'COMMAND.INVALID';
  readonly kind = 'invalid';

  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`Invalid ${field}: ${problem}.`);
  }
}
