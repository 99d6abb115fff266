import { randomUUID } from 'node:crypto';
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
  /** JSON text of each event's data and metadata */
  readonly data: string[];
  readonly metadata: string[];
  /**
   * The same, parsed back from that JSON text: plain JSON values, which is what is stored
   * (jsonb) and what the hash chain canonicalises (a Date became its ISO string, a class
   * instance its own enumerable fields, exactly as JSON.stringify saw them).
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
    const dataJson = toJson(data, `${at} (${type}): data`, fail);
    const metadataJson = toJson(metadata, `${at} (${type}): metadata`, fail);
    request.data.push(dataJson);
    request.metadata.push(metadataJson);
    request.values.push({ data: JSON.parse(dataJson) as unknown, metadata: JSON.parse(metadataJson) as unknown });
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
 * JSON text of a value, or a refusal: JSON.stringify would silently drop functions and
 * turn NaN into null, and PostgreSQL's jsonb refuses NUL characters and lone surrogates,
 * so what is stored would not be what was given.
 */
const toJson = (value: unknown, what: string, fail: (reason: string) => never): string => {
  if (value === undefined) return fail(`${what} is undefined`);
  let fault: string | undefined;
  const check = (key: string, v: unknown) => {
    const where = key === '' ? '' : ` at key ${JSON.stringify(key)}`;
    if (hasBadText(key)) fault = `a key ${JSON.stringify(key)} that jsonb cannot store`;
    else if (typeof v === 'bigint') fault = `a BigInt${where}`;
    else if (typeof v === 'function') fault = `a function${where}`;
    else if (typeof v === 'symbol') fault = `a symbol${where}`;
    else if (typeof v === 'number' && !Number.isFinite(v)) fault = `${v}${where}`;
    else if (typeof v === 'string' && hasBadText(v))
      fault = `a string with a NUL character or a lone surrogate${where}`;
    return fault;
  };
  let json: string | undefined;
  try {
    json = JSON.stringify(value, function replacer(key, v: unknown) {
      if (check(key, v)) throw new Error(fault);
      return v;
    });
  } catch (error) {
    const circular = error instanceof TypeError && /circular/i.test(error.message);
    return fail(
      `${what} is not JSON-serialisable: it holds ${circular ? 'a circular reference' : (fault ?? (error as Error).message)}`,
    );
  }
  return json ?? fail(`${what} is not JSON-serialisable`);
};

/** NUL or any surrogate: one cheap scan clears almost every string; only these need a closer look */
// eslint-disable-next-line no-control-regex -- NUL is exactly what it looks for
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
const hasBadText = (text: string) => SUSPECT.test(text) && (text.includes('\u0000') || LONE_SURROGATE.test(text));
