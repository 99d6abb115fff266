import { createHmac } from 'node:crypto';

/** Replaces a person's id with a stable pseudonym. */
export type Pseudonymise = (id: string) => string;

/** Shorter keys are refused: the same minimum as `PSEUDONYM_SECRET` in the config. */
export const PSEUDONYM_SECRET_MIN_LENGTH = 32;

/**
 * HMAC-SHA-256 of the id under `secret`, as 64 lower-case hex digits. The same id always
 * gives the same pseudonym (so analytics can count per agent or requester), but without
 * the secret nobody can compute it from a known id, which a plain hash would allow: ids
 * are few and guessable. Rotating the secret starts new pseudonyms for everyone.
 */
export const hmacPseudonymiser = (secret: string): Pseudonymise => {
  if (typeof secret !== 'string' || secret.length < PSEUDONYM_SECRET_MIN_LENGTH)
    throw new TypeError(`The pseudonym secret must have at least ${PSEUDONYM_SECRET_MIN_LENGTH} characters`);
  const key = Buffer.from(secret, 'utf8');
  // the same few agents and requesters act again and again: remembering their pseudonyms
  // saves the relay most of its HMACs (bounded; the oldest entry goes first)
  const cache = new Map<string, string>();
  return (id) => {
    let pseudonym = cache.get(id);
    if (pseudonym === undefined) {
      pseudonym = createHmac('sha256', key).update(id, 'utf8').digest('hex');
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(id, pseudonym);
    }
    return pseudonym;
  };
};

const CACHE_SIZE = 10_000;
