import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { toAppendRequest } from './append-request';
import { canonicalEventContent, canonicalEventText } from './event-hash';
import { InvalidAppend } from './event-store.errors';

const refusal = (streamId: unknown, events: unknown, expected: unknown = 'no-stream'): InvalidAppend => {
  try {
    toAppendRequest(streamId, events, expected);
  } catch (error) {
    if (error instanceof InvalidAppend) return error;
    throw error;
  }
  throw new Error('expected InvalidAppend');
};

describe('toAppendRequest', () => {
  it('serialises a valid batch: ids lower-cased or generated, schema version 1 and empty metadata by default', () => {
    const request = toAppendRequest(
      'case-1',
      [
        {
          eventId: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE',
          type: 'Opened',
          data: { at: new Date('2026-03-02T09:30:00Z') },
        },
        { type: 'Noted', schemaVersion: 2, data: null, metadata: { tenant: 'acme' } },
      ],
      'any',
    );
    expect(request).toEqual({
      streamId: 'case-1',
      expected: 'any',
      expectedVersion: null,
      eventIds: ['aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', expect.stringMatching(/^[0-9a-f-]{36}$/)],
      types: ['Opened', 'Noted'],
      schemaVersions: [1, 2],
      data: ['{"at":"2026-03-02T09:30:00.000Z"}', 'null'],
      metadata: ['{}', '{"tenant":"acme"}'],
      values: [
        { data: { at: '2026-03-02T09:30:00.000Z' }, metadata: {} },
        { data: null, metadata: { tenant: 'acme' } },
      ],
      idsGiven: true,
    });
    expect(toAppendRequest('s', [{ type: 'T', data: 1 }], 'no-stream')).toMatchObject({
      expectedVersion: 0,
      idsGiven: false,
    });
  });

  it.each([
    ['a stream id that is not a string', 42, [{ type: 'T', data: 1 }], /stream id is empty/],
    ['an event that is not an object', 's', ['Opened'], /event 1 is not an object/],
    ['metadata that is an array', 's', [{ type: 'T', data: 1, metadata: [] }], /metadata that is not an object/],
    ['a lone surrogate', 's', [{ type: 'T', data: { s: '\uD800x' } }], /lone surrogate at key "s"/],
    ['a key with a NUL', 's', [{ type: 'T', data: { 'a\u0000': 1 } }], /a key "a\\u0000" that jsonb cannot store/],
    [
      'Infinity in metadata',
      's',
      [{ type: 'T', data: 1, metadata: { n: Infinity } }],
      /metadata is not JSON-serialisable: it holds Infinity at key "n"/,
    ],
    ['a symbol', 's', [{ type: 'T', data: { s: Symbol('x') } }], /symbol at key "s"/],
    ['a very long stream id', 'x'.repeat(1001), [{ type: 'T', data: 1 }], /longer than 1000/],
  ])('refuses %s', (_name, streamId, events, message) => {
    expect(refusal(streamId, events).message).toMatch(message);
  });

  it("keeps exactly what JSON.stringify serialises, as a plain value and as the library's JCS text, for any JSON value", () => {
    // keys that look like array indices are where JavaScript's own key order and JCS's differ
    const key = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.nat().map(String),
      fc.constantFrom('01', '-1', '4294967295'),
    );
    const json = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 1 }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 5 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        const text = JSON.stringify(value);
        fc.pre(!text.includes('\\u0000'));
        const { data, values } = toAppendRequest('s', [{ type: 'T', data: value }], 0);
        expect(data).toEqual([canonicalize(JSON.parse(text))]);
        expect(values[0].data).toEqual(JSON.parse(text));
      }),
      { numRuns: 1000 },
    );
  });

  it("assembles an event's canonical text exactly as the library canonicalises the whole event", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1 }).filter((t) => t.trim() !== '' && !t.includes('\u0000')),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: 2_147_483_647 }),
        fc.jsonValue({ stringUnit: 'grapheme' }),
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.date({ noInvalidDate: true }),
        (type, streamVersion, schemaVersion, value, meta, at) => {
          fc.pre(!JSON.stringify([type, value, meta]).includes('\\u0000'));
          const r = toAppendRequest('s', [{ type, schemaVersion, data: value, metadata: meta }], 0);
          const recordedAt = at.toISOString();
          expect(canonicalEventText(type, streamVersion, schemaVersion, r.data[0], r.metadata[0], recordedAt)).toBe(
            canonicalEventContent({
              type,
              streamVersion,
              schemaVersion,
              data: r.values[0].data,
              metadata: r.values[0].metadata,
              recordedAt,
            }),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('serialises values as JSON.stringify does: toJSON with its key, boxed primitives, holes, undefined', () => {
    const seenKeys: string[] = [];
    const shared = { x: 1 };
    const data = {
      at: new Date('2026-03-02T09:30:00.5Z'),
      custom: { toJSON: (key: string) => (seenKeys.push(key), `custom@${key}`) },
      boxed: [Object(1), Object('s'), Object(false)],
      holes: [1, , 3], // eslint-disable-line no-sparse-arrays
      undefinedInArray: [undefined],
      dropped: undefined,
      negativeZero: -0,
      twice: [shared, shared],
    };
    const expected = JSON.stringify(data);
    seenKeys.length = 0;
    const { data: json, values } = toAppendRequest('s', [{ type: 'T', data }], 0);
    expect(seenKeys).toEqual(['custom']); // called once, with its key, as JSON.stringify calls it
    expect(json).toEqual([canonicalize(JSON.parse(expected))]);
    expect(values[0].data).toEqual(JSON.parse(expected));
  });

  it('keeps a "__proto__" key as a key, as JSON.parse made it', () => {
    const data: unknown = JSON.parse('{"__proto__": {"a": 1}, "b": 2}');
    const { data: json, values } = toAppendRequest('s', [{ type: 'T', data }], 0);
    expect(json).toEqual(['{"__proto__":{"a":1},"b":2}']);
    expect(Object.keys(values[0].data as object)).toEqual(['__proto__', 'b']);
  });
});
