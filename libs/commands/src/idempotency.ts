import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { derivedUuid } from '@app/event-store';

/**
 * A caller's Idempotency-Key, as the command handlers get it: `scope` keeps two callers'
 * keys apart (the API uses the caller's subject), `fingerprint` tells the same request
 * from another one sent with the same key.
 */
export interface IdempotencyClaim {
  readonly scope: string;
  readonly key: string;
  readonly fingerprint: string;
}

/** SHA-256 of a request's method, route and canonical body (RFC 8785): what "the same request" means. */
export const requestFingerprint = (method: string, route: string, body: unknown): string =>
  createHash('sha256')
    .update(`${method} ${route}\n${canonicalize(body ?? {}) ?? ''}`)
    .digest('hex');

/** The id of the i-th event written under a key: a retry writes the same ids, and the store keeps one copy. */
export const idempotentEventId = (claim: IdempotencyClaim, index: number): string =>
  derivedUuid('event', claim.scope, claim.key, index);

/** Errors of the write path that are neither the domain's nor the store's; each says its HTTP status. */
export abstract class CommandError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  abstract readonly retriable: boolean;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The same Idempotency-Key with another request (method, route or body): 422. */
export class IdempotencyKeyReused extends CommandError {
  readonly status = 422;
  readonly code = 'IDEMPOTENCY.KEY_REUSED';
  readonly retriable = false;
  constructor(key: string) {
    super(`Idempotency-Key ${JSON.stringify(key)} was already used with another request body or route; use a new key.`);
  }
}

/**
 * Other processes kept moving the stream while this write decided again and again: nothing
 * was written; a retry a moment later will be decided on the state then (503, Retry-After).
 */
export class WriteContention extends CommandError {
  readonly status = 503;
  readonly code = 'WRITE.CONTENTION';
  readonly retriable = true;
  readonly retryAfterSeconds = 1;
  constructor(streamId: string, attempts: number) {
    super(
      `${streamId} kept changing under ${attempts} attempts to write to it; nothing was written. Retry in a moment.`,
    );
  }
}
