/**
 * Errors of the messaging port. Like kafkajs' own (and the event store's), each says
 * whether trying again can help.
 */
export class PublishFailed extends Error {
  readonly code = 'MESSAGING.PUBLISH_FAILED';
  constructor(
    message: string,
    /** true when the same call may succeed later (broker down, leader moving, timeout) */
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PublishFailed';
  }
}

/** The relay cannot run as configured (e.g. no pseudonym secret): nothing to retry. */
export class RelayMisconfigured extends Error {
  readonly code = 'MESSAGING.RELAY_MISCONFIGURED';
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'RelayMisconfigured';
  }
}
