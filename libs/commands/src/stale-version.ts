import { CommandError } from './idempotency';

/** If-Match named a version the case (or incident) is no longer, or never was, at: 412. */
export class StaleVersion extends CommandError {
  readonly status = 412;
  readonly code = 'CASE.STALE_VERSION';
  readonly retriable = false;
  constructor(
    readonly subject: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      `${subject} is at version ${actual}, not ${expected} as If-Match says; read it again and decide on the current version.`,
    );
  }
}
