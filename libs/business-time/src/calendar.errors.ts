/**
 * A calendar definition that cannot be used. The message is always one line,
 * `<source>: <fault>`, where `source` names the file (or the in-code calendar) and `fault`
 * says what is wrong and where, so that a boot log points straight at the line to fix.
 */
export class InvalidCalendar extends Error {
  readonly code = 'BUSINESS_TIME.INVALID_CALENDAR';
  /** a bad configuration file stays bad: retrying does not help */
  readonly retriable = false;

  constructor(
    readonly source: string,
    readonly fault: string,
  ) {
    super(oneLine(`${source}: ${fault}`));
    this.name = 'InvalidCalendar';
  }
}

/** Collapses any line breaks (for example from a JSON parser's message) into single spaces. */
export const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
