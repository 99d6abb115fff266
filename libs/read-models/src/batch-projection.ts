import type { RecordedEvent } from '@app/event-store';

/** An event a projection cannot apply (not retriable: the runner parks it and the rest of its stream). */
export class EventRefused extends Error {
  readonly retriable = false;
  constructor(
    readonly code: string,
    readonly event: RecordedEvent,
    message: string,
  ) {
    super(message);
    this.name = 'EventRefused';
  }
}
