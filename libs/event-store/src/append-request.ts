import { randomUUID } from 'node:crypto';
import { canonicalJson } from './event-hash';
import { InvalidAppend } from './event-store.errors';
import type { ExpectedVersion, NewEvent } from './event-store.port';

/** An append checked and serialised, ready for SQL. */
export interface AppendRequest {
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  /** the version the stream must be at; null for `'any'` */
  readonly expectedVersion: number | null;
  readonly eventIds: string[];
  readonly types: string[];
  readonly schemaVersions: number[];
  /**
   * Each event's data and metadata as RFC 8785 (JCS) canonical JSON text: what is stored
   * (jsonb parses it) and what the hash chain hashes (event-hash.ts, canonicalEventText).
   */
  readonly data: string[];
  readonly metadata: string[];
  /**
   * The same as plain JSON values (a Date became its ISO string, a class instance its own
   * enumerable fields, exactly as JSON.stringify serialises them).
   */
  readonly values: { readonly data: unknown; readonly metadata: unknown }[];
  /** the caller chose event ids, so an id that is already stored may mean a retry */
  readonly idsGiven: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_STREAM_ID_LENGTH = 1000;
const MAX_SCHEMA_VERSION = 2_147_483_647;

/**
 * Checks an append and serialises its events; throws {@link InvalidAppend} naming the
 * first fault. Runs before any SQL, so a refused append writes nothing.
 */
export const toAppendRequest = (streamId: unknown, events: unknown, expected: unknown): AppendRequest => {
  const fail = (reason: string): never => {
    throw new InvalidAppend(streamId, reason);
  };
  if (typeof streamId !== 'string' || streamId.trim() === '') fail('the stream id is empty');
  const id = streamId as string;
  if (id.length > MAX_STREAM_ID_LENGTH) fail(`the stream id is longer than ${MAX_STREAM_ID_LENGTH} characters`);
  if (id.includes('\u0000')) fail('the stream id holds a NUL character');
  const expectedVersion = toExpectedVersion(expected, fail);
  if (!Array.isArray(events) || events.length === 0) fail('there are no events to append');

  const request: AppendRequest = {
    streamId: id,
    expected: expected as ExpectedVersion,
    expectedVersion,
    eventIds: [],
    types: [],
    schemaVersions: [],
    data: [],
    metadata: [],
    values: [],
    idsGiven: false,
  };
  const seen = new Set<string>();
  (events as unknown[]).forEach((candidate, i) => {
    const at = `event ${i + 1}`;
    if (typeof candidate !== 'object' || candidate === null) return fail(`${at} is not an object`);
    const { eventId, type, schemaVersion = 1, data, metadata = {} } = candidate as NewEvent;
    if (eventId !== undefined && (typeof eventId !== 'string' || !UUID.test(eventId)))
      fail(`${at} has an event id that is not a UUID: ${JSON.stringify(String(eventId))}`);
    const eid = eventId ? eventId.toLowerCase() : randomUUID();
    if (seen.has(eid)) fail(`${at} repeats the event id ${eid} of an earlier event in the batch`);
    seen.add(eid);
    if (typeof type !== 'string' || type.trim() === '') fail(`${at} has no type`);
    if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > MAX_SCHEMA_VERSION)
      fail(`${at} has a schema version that is not a positive integer: ${String(schemaVersion)}`);
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
      fail(`${at} has metadata that is not an object`);
    request.eventIds.push(eid);
    request.types.push(type);
    request.schemaVersions.push(schemaVersion);
    const d = toJsonValue(data, `${at} (${type}): data`, fail);
    const m = toJsonValue(metadata, `${at} (${type}): metadata`, fail);
    request.data.push(d.json);
    request.metadata.push(m.json);
    request.values.push({ data: d.value, metadata: m.value });
    if (eventId) (request as { idsGiven: boolean }).idsGiven = true;
  });
  return request;
};

const toExpectedVersion = (expected: unknown, fail: (reason: string) => never): number | null => {
  if (expected === 'any') return null;
  if (expected === 'no-stream') return 0;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return expected;
  return fail(`the expected version must be a whole number >= 0, 'no-stream' or 'any', not ${describe(expected)}`);
};

const describe = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/**
 * A value as the plain JSON value it stands for, and its canonical (RFC 8785) JSON text; or a
 * refusal. JSON.stringify would silently drop functions and turn NaN into null, and
 * PostgreSQL's jsonb refuses NUL characters and lone surrogates, so what is stored would not
 * be what was given. One walk checks and normalises as JSON.stringify would serialise (toJSON
 * called with its key, boxed primitives unwrapped, undefined dropped from objects and null in
 * arrays): the result is what jsonb stores and what the hash chain hashes. (A replacer
 * function in JSON.stringify, then JSON.parse, did the same at two and a half times the cost.)
 *
 * The walk also puts each object's keys in JCS order (sorted by UTF-16 code units, which is
 * what Array#sort does with strings). JSON.stringify of the result is then already the JCS
 * text: it writes keys in insertion order, and strings and numbers exactly as JCS does (JCS
 * defines them by JSON.stringify's rules). One exception: JavaScript enumerates keys that look
 * like array indices ("0", "10") first, in numeric order, whatever the insertion order; a
 * value with such a key is canonicalised by the library instead. This saves a second walk
 * over every event on the append path (the library remains the definition: verification uses
 * it, and a property test holds the two equal).
 */
const toJsonValue = (
  value: unknown,
  what: string,
  fail: (reason: string) => never,
): { json: string; value: unknown } => {
  if (value === undefined) return fail(`${what} is undefined`);
  const refuse = (fault: string): never => fail(`${what} is not JSON-serialisable: it holds ${fault}`);
  const ancestors: object[] = [];
  let indexLikeKey = false;
  // the key is only named in a refusal: built then, not for every value on the way
  const at = (key: string | number) => (key === '' ? '' : ` at key ${JSON.stringify(String(key))}`);
  const walk = (input: unknown, key: string | number, inArray: boolean): unknown => {
    let v = input;
    if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function')
      v = (v as { toJSON(key: string): unknown }).toJSON(String(key));
    if (v instanceof Number || v instanceof String || v instanceof Boolean) v = v.valueOf();
    switch (typeof v) {
      case 'string':
        return hasBadText(v) ? refuse(`a string with a NUL character or a lone surrogate${at(key)}`) : v;
      case 'number':
        if (!Number.isFinite(v)) return refuse(`${v}${at(key)}`);
        return v === 0 ? 0 : v; // -0 is serialised as 0
      case 'boolean':
        return v;
      case 'undefined':
        return inArray ? null : undefined;
      case 'bigint':
        return refuse(`a BigInt${at(key)}`);
      case 'function':
        return refuse(`a function${at(key)}`);
      case 'symbol':
        return refuse(`a symbol${at(key)}`);
    }
    if (v === null) return null;
    const object = v as Record<string, unknown>;
    if (ancestors.includes(object)) return refuse('a circular reference');
    ancestors.push(object);
    let out: unknown;
    if (Array.isArray(object)) {
      const items = new Array<unknown>(object.length);
      for (let i = 0; i < object.length; i += 1) items[i] = walk(object[i], i, true);
      out = items;
    } else {
      // no prototype: a "__proto__" key (JSON.parse makes it an own property) stays a plain key
      const fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const k of Object.keys(object).sort()) {
        if (hasBadText(k)) refuse(`a key ${JSON.stringify(k)} that jsonb cannot store`);
        if (!indexLikeKey && DIGITS.test(k)) indexLikeKey = true;
        const inner = walk(object[k], k, false);
        if (inner !== undefined) fields[k] = inner;
      }
      out = fields;
    }
    ancestors.pop();
    return out;
  };
  const clean = walk(value, '', false);
  // a top-level toJSON may answer undefined: nothing to store
  if (clean === undefined) return fail(`${what} is not JSON-serialisable`);
  return { json: indexLikeKey ? canonicalJson(clean) : JSON.stringify(clean), value: clean };
};

/** a key JavaScript may enumerate before the others (an array index is all digits) */
const DIGITS = /^[0-9]+$/;

/** NUL or any surrogate: one cheap scan clears almost every string; only these need a closer look */
// eslint-disable-next-line no-control-regex -- NUL is exactly what it looks for
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
const hasBadText = (text: string) => SUSPECT.test(text) && (text.includes('\u0000') || LONE_SURROGATE.test(text));
